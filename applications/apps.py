from django.apps import AppConfig

from spukportal.hooks import DEMO_DATA, REGION_PAGE, START_PAGE


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Aanvragen"

    def ready(self):
        # Imported here: these modules import the app's models, which exist only once the registry is ready.
        from budgets.ledger import sources

        from . import demo
        from .decisions import decide, selectors as decision_selectors
        from .decisions import demo as decision_demo
        from .intake import selectors as intake_selectors
        from .intake import services as intake_services
        from .review import selectors as review_selectors
        from .ledger_posting import decision_reference
        from .review import services as review_services

        # The effects of the workflow's transitions live in the room that owns them.
        intake_services.register_effects(review_services.EFFECTS)
        intake_services.register_effects(decide.EFFECTS)
        START_PAGE.register(intake_selectors.start_page, order=20)
        START_PAGE.register(review_selectors.start_page, order=30)
        START_PAGE.register(decision_selectors.start_page, order=40)
        REGION_PAGE.register(intake_selectors.region_page, order=20)
        DEMO_DATA.register(demo.load, order=30)
        DEMO_DATA.register(decision_demo.load, order=31)

        # The ledger's messages name a decision by its kenmerk.
        sources.REFERENCE_LOOKUPS[sources.DECISION] = decision_reference
