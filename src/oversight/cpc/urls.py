from django.urls import path

from . import views

app_name = "cpc"
urlpatterns = [
    path("", views.home, name="home"),
    path("review/", views.review, name="review"),
]
