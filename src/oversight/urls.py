from django.contrib import admin
from django.urls import include, path

from oversight.cases.api import api as cases_api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("data/", include("oversight.publicdata.urls")),
    path("oig/", include("oversight.oig.urls")),
    path("discipline/", include("oversight.discipline.urls")),
    path("public/", include("oversight.public.urls")),
    path("api/", cases_api.urls),
    path("", include("oversight.cases.urls")),
]
