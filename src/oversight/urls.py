from django.urls import include, path

from oversight.cases.api import api as cases_api
from oversight.home import views as home_views

# A refusal is a page in the site's layout: what was tried, why not, where to go.
handler403 = "oversight.home.views.refused"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("data/", include("oversight.publicdata.urls")),
    path("oig/", include("oversight.oig.urls")),
    path("discipline/", include("oversight.discipline.urls")),
    path("public/", include("oversight.public.urls")),
    path("cpc/", include("oversight.cpc.urls")),
    path("people/", include("oversight.accounts.urls")),
    path("reports/", include("oversight.reports.urls")),
    path("api/", cases_api.urls),
    path("", include("oversight.cases.urls")),
]
