from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("board/", views.board_view, name="board"),
    path("intake/", views.intake, name="intake"),
    path("search/", views.search, name="search"),
    path("cases/<str:number>/", views.case_detail, name="detail"),
    path("cases/<str:number>/notice/<int:seq>/", views.notice_view, name="notice"),
    path("cases/<str:number>/evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("cases/<str:number>/do/<str:action>/", views.case_action, name="action"),
    path("accounts/login/", auth_views.LoginView.as_view(next_page="/"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="/accounts/login/"), name="logout"),
]
