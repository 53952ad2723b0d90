from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "oversight.home"
    label = "home"
    verbose_name = "Each person's home, the refusal page, and the registry of case-page sections"
