from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Monitoring en verantwoording"

    def ready(self):
        from budgets.ledger import sources

        from .ledger_posting import prior_grant_reference

        # The ledger's messages name a pre-portal grant by its kenmerk.
        sources.REFERENCE_LOOKUPS[sources.PRIOR_GRANT] = prior_grant_reference
