from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "oversight.recommendations"
    label = "recommendations"
    verbose_name = "Recommendations and their responses"

    def ready(self) -> None:
        from . import waiting

        waiting.register()
