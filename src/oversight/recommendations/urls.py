from django.urls import path

from . import views

app_name = "recommendations"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("notices/", views.notices, name="notices"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/do/<str:action>/", views.act, name="act"),
]
