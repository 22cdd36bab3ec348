from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Aanvragen"

    def ready(self):
        from budgets.ledger import sources

        from .ledger_posting import decision_reference

        # The ledger's messages name a decision by its kenmerk.
        sources.REFERENCE_LOOKUPS[sources.DECISION] = decision_reference
