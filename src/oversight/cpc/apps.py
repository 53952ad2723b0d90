from django.apps import AppConfig


class CpcConfig(AppConfig):
    name = "oversight.cpc"
    label = "cpc"
    verbose_name = "Community Police Commission"

    def ready(self) -> None:
        from . import sections, waiting

        sections.register()
        waiting.register()
