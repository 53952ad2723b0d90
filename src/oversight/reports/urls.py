from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dash, name="dashboard"),
    path("dashboard/cases/", views.cases, name="cases"),
    path("posted/<int:pk>/", views.posted, name="posted"),
    path("<slug:kind>/", views.report, name="report"),
    path("<slug:kind>/post/", views.post, name="post"),
    path("<slug:kind>/draft/", views.draft, name="draft"),
    path("drafts/<int:pk>/comment/", views.draft_comment, name="draft_comment"),
]
