from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.board, name="board"),
    path("cases/<str:number>/", views.case_detail, name="detail"),
]
