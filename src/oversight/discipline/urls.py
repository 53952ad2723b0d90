from django.urls import path

from . import views

app_name = "discipline"
urlpatterns = [
    path("", views.index, name="index"),
    path("reports/<str:kind>/", views.report_view, name="report"),
    path("cases/<str:number>/", views.case_view, name="case"),
    path("cases/<str:number>/do/<str:action>/", views.case_action, name="action"),
    path("cases/<str:number>/statements/<int:pk>/", views.statement_view, name="statement"),
    path("cases/<str:number>/notices/<int:pk>/", views.notice_view, name="notice"),
]
