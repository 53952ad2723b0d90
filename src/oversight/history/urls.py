from django.urls import path

from . import views

app_name = "history"

urlpatterns = [
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/audit/", views.audit, name="audit"),
    path("employees/<str:pseudonym>/", views.employee, name="employee"),
]
