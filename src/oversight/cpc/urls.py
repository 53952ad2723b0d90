from django.urls import path

from . import views

app_name = "cpc"
urlpatterns = [
    path("", views.home, name="home"),
    path("review/", views.review, name="review"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("input/", views.community_input, name="input"),
    path("input/<int:pk>/route/", views.route, name="route"),
    path("workplan/", views.workplan, name="workplan"),
    path("workplan/<int:pk>/do/<str:action>/", views.workplan_act, name="workplan_act"),
]
