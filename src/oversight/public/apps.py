from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "oversight.public"
    label = "public"
    verbose_name = "What the public sees"

    def ready(self) -> None:
        from . import (
            sections,
            signals,  # noqa: F401  (status messages to complainants as their case moves)
            waiting,
        )

        sections.register()
        waiting.register()
