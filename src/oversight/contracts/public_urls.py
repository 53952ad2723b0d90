from django.urls import path

from . import views

app_name = "public_contracts"
urlpatterns = [
    path("", views.public_index, name="index"),
    path("<slug:name>/compare/", views.public_compare, name="compare"),
    path("<slug:name>/replay/", views.public_replay, name="replay"),
]
