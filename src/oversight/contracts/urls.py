from django.urls import path

from . import views

app_name = "contracts"
urlpatterns = [
    path("", views.index, name="index"),
    path("record/", views.record, name="record"),
    path("draft/", views.draft, name="draft"),
    path("agreements/<int:pk>/", views.agreement, name="agreement"),
    path("agreements/<int:pk>/consult/", views.consult, name="consult"),
    path("<slug:name>/compare/", views.compare, name="compare"),
    path("<slug:name>/replay/", views.replay, name="replay"),
]
