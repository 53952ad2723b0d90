from django.urls import path

from . import views

app_name = "recommendations_public"
urlpatterns = [
    path("", views.public_index, name="index"),
    path("feed/", views.feed, name="feed"),
    path("<str:number>/", views.public_detail, name="detail"),
]
