from django.urls import path

from oversight.publicdata import views

app_name = "publicdata"

urlpatterns = [
    path("", views.index, name="index"),
    path("stops/", views.summary_page, {"kind": "stops"}, name="stops"),
    path("stops/disparity/", views.disparity_page, name="disparity"),
    path("force/", views.summary_page, {"kind": "force"}, name="force"),
    path("shootings/", views.shootings_page, name="shootings"),
    path("api/stops/disparity.json", views.disparity_api, name="disparity_api"),
    path("api/stops/disparity.csv", views.disparity_api, {"fmt": "csv"}, name="disparity_csv"),
    path("api/<str:kind>/summary.json", views.summary_api, {"fmt": "json"}, name="summary_json"),
    path("api/<str:kind>/summary.csv", views.summary_api, {"fmt": "csv"}, name="summary_csv"),
    path("api/<str:kind>/summary.parquet", views.summary_api, {"fmt": "parquet"}, name="summary_parquet"),
    path("download/<str:kind>.csv", views.download, {"fmt": "csv"}, name="download_csv"),
    path("download/<str:kind>.parquet", views.download, {"fmt": "parquet"}, name="download_parquet"),
]
