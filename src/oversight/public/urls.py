from django.urls import path
from django.views.i18n import set_language

from . import views
from .feeds import PublishedFeed

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("language/", set_language, name="set_language"),
    path("complaint/", views.complaint, name="complaint"),
    path("complaint/received/", views.complaint_received, name="complaint_received"),
    path("track/", views.track, name="track"),
    path("track/status/", views.track_status, name="track_status"),
    path("track/status/add/", views.track_add, name="track_add"),
    path("track/leave/", views.track_leave, name="track_leave"),
    path("published/", views.publications, name="publications"),
    path("published.csv", views.publications_csv, name="publications_csv"),
    path("published/<int:pk>/", views.publication, name="publication"),
    path("feed/", PublishedFeed(), name="feed"),
    path("library/", views.library, name="library"),
    path("library/<int:pk>/", views.library_document, name="library_document"),
    path("statistics/", views.statistics, name="statistics"),
    path("digest/", views.digest, name="digest"),
    path("digest/confirm/<str:token>/", views.digest_confirm, name="digest_confirm"),
    path("digest/unsubscribe/<str:token>/", views.digest_unsubscribe, name="digest_unsubscribe"),
    path("staff/publish/", views.staff_publish, name="staff_publish"),
    path("staff/library/", views.staff_library, name="staff_library"),
    path("staff/evidence/<int:pk>/", views.staff_evidence, name="staff_evidence"),
    path("staff/cases/<str:number>/read/", views.mark_read, name="mark_read"),
]
