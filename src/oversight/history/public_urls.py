from django.urls import path

from . import patterns, public_views

app_name = "discipline_data"

urlpatterns = [
    path("", public_views.page, name="page"),
    path("patterns/", patterns.page, name="patterns"),
    path("summary.json", public_views.summary_api, {"fmt": "json"}, name="summary_json"),
    path("summary.csv", public_views.summary_api, {"fmt": "csv"}, name="summary_csv"),
    path("summary.parquet", public_views.summary_api, {"fmt": "parquet"}, name="summary_parquet"),
    path("discipline.csv", public_views.download, {"fmt": "csv"}, name="download_csv"),
    path("discipline.parquet", public_views.download, {"fmt": "parquet"}, name="download_parquet"),
]
