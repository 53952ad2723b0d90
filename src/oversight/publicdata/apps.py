from django.apps import AppConfig


class PublicDataConfig(AppConfig):
    name = "oversight.publicdata"
    label = "publicdata"
    verbose_name = "Public data"
