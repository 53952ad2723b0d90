from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "oversight.cases"
    verbose_name = "OPA cases"

    def ready(self) -> None:
        from . import sections, waiting

        sections.register()
        waiting.register()
