from django.apps import AppConfig


class OigConfig(AppConfig):
    name = "oversight.oig"
    label = "oig"
    verbose_name = "Office of Inspector General"

    def ready(self) -> None:
        from . import sections, waiting

        sections.register()
        waiting.register()
