from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "oversight.reports"
    label = "reports"
    verbose_name = "Reports and dashboards"

    def ready(self) -> None:
        from . import waiting

        waiting.register()
