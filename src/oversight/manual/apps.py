from django.apps import AppConfig


class ManualConfig(AppConfig):
    name = "oversight.manual"
    label = "manual"
    verbose_name = "The OPA Manual"

    def ready(self) -> None:
        from . import waiting

        waiting.register()
