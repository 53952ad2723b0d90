from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "oversight.institutions"
    label = "institutions"
    verbose_name = "The oversight bodies: seats, terms, staffing, scene response, referrals"

    def ready(self) -> None:
        from . import waiting

        waiting.register()
