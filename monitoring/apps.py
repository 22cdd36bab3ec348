from django.apps import AppConfig

from spukportal.hooks import DEMO_DATA


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Monitoring en verantwoording"

    def ready(self):
        # Imported here: these modules import the app's models, which exist only once the registry is ready.
        from budgets.ledger import sources

        from .accountability import demo as accountability_demo
        from .dashboards import demo as dashboards_demo
        from .ledger_posting import prior_grant_reference

        DEMO_DATA.register(dashboards_demo.load, order=40)
        DEMO_DATA.register(accountability_demo.load, order=41)

        # The ledger's messages name a pre-portal grant by its kenmerk.
        sources.REFERENCE_LOOKUPS[sources.PRIOR_GRANT] = prior_grant_reference
