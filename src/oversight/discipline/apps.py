from django.apps import AppConfig


class DisciplineConfig(AppConfig):
    name = "oversight.discipline"
    label = "discipline"
    verbose_name = "Findings, the Chief's decision, discipline and appeals"

    def ready(self) -> None:
        from . import (
            guards,  # noqa: F401  (connects the signal receivers)
            sections,
            waiting,
        )

        sections.register()
        waiting.register()
