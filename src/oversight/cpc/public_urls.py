from django.urls import path

from . import views

app_name = "cpc_public"
urlpatterns = [path("meetings/", views.public_meetings, name="meetings")]
