from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "oversight.cases"
    verbose_name = "OPA cases"

    def ready(self) -> None:
        from . import checks, integrity, sections, waiting  # noqa: F401 (checks registers itself)

        integrity.connect()

        sections.register()
        waiting.register()
