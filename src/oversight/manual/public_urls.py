from django.urls import path

from . import views

app_name = "manual_public"
urlpatterns = [
    path("", views.public_index, name="index"),
    path("<int:pk>/file/", views.public_file, name="file"),
]
