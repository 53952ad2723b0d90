from django.urls import path

from . import views

app_name = "manual"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/do/<str:action>/", views.act, name="act"),
]
