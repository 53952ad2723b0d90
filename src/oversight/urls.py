from django.urls import include, path

from oversight.accounts import second_factor
from oversight.cases.api import api as cases_api
from oversight.home import views as home_views

# A refusal is a page in the site's layout: what was tried, why not, where to go.
handler403 = "oversight.home.views.refused"

urlpatterns = [
    path("", home_views.home, name="home"),
    # the second step of sign-in (oversight.accounts.second_factor); the first is cases:login
    path("accounts/second-factor/", second_factor.verify, name="second_factor"),
    path("accounts/second-factor/setup/", second_factor.enrol, name="second_factor_setup"),
    path("accounts/second-factor/recovery-codes/", second_factor.recovery_codes, name="recovery_codes"),
    path("data/discipline/", include("oversight.history.public_urls")),
    path("data/", include("oversight.publicdata.urls")),
    path("history/", include("oversight.history.urls")),
    path("oig/", include("oversight.oig.urls")),
    path("discipline/", include("oversight.discipline.urls")),
    path("public/", include("oversight.public.urls")),
    path("cpc/", include("oversight.cpc.urls")),
    path("recommendations/", include("oversight.recommendations.urls")),
    path("public/recommendations/", include("oversight.recommendations.public_urls")),
    path("public/cpc/", include("oversight.cpc.public_urls")),
    path("manual/", include("oversight.manual.urls")),
    path("public/manual/", include("oversight.manual.public_urls")),
    path("public/contracts/", include("oversight.contracts.public_urls")),
    path("contracts/", include("oversight.contracts.urls")),
    path("people/", include("oversight.accounts.urls")),
    path("reports/", include("oversight.reports.urls")),
    path("institutions/", include("oversight.institutions.urls")),
    path("public/institutions/", include("oversight.institutions.public_urls")),
    path("api/", cases_api.urls),
    path("", include("oversight.cases.urls")),
]
