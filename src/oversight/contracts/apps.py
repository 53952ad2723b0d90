from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "oversight.contracts"
    label = "contracts"
    verbose_name = "Bargaining agreements against the chapter"
