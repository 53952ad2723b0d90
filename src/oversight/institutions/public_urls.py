from django.urls import path

from . import views

app_name = "institutions_public"
urlpatterns = [
    path("", views.public_index, name="index"),
    path("<str:body>/", views.public_body, name="body"),
]
