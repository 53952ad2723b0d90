from django.urls import path

from . import views

app_name = "oig"
urlpatterns = [
    path("", views.home, name="home"),
    path("queue/", views.queue_view, name="queue"),
    path("cases/<str:number>/", views.case_view, name="case"),
    path("cases/<str:number>/determine/", views.determine, name="determine"),
    path("cases/<str:number>/direct/", views.direct, name="direct"),
    path("cases/<str:number>/classification-input/", views.classification_input, name="classification_input"),
    path("policy/", views.policy_view, name="policy"),
    path("audits/", views.audits_view, name="audits"),
    path("audits/<int:pk>/", views.audit_view, name="audit"),
    path("audits/<int:pk>/report/", views.audit_report, name="audit_report"),
    path("hotline/", views.hotline, name="hotline"),
    path("hotline/status/", views.hotline_status, name="hotline_status"),
    path("hotline/reports/", views.hotline_inbox, name="hotline_inbox"),
    path("hotline/reports/<int:pk>/", views.hotline_report, name="hotline_report"),
    path("withheld/", views.withheld_view, name="withheld"),
    path("conflicts/", views.conflicts_view, name="conflicts"),
    path("reads/", views.reads_view, name="reads"),
    path("retention/", views.retention_view, name="retention"),
]
