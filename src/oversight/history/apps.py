from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "oversight.history"
    label = "history"
    verbose_name = "Complaint history and the discipline database"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import sections, waiting

        waiting.register()
        sections.register()
