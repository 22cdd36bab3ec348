from django.apps import AppConfig

from spukportal.hooks import DEMO_DATA, REFERENCE_DATA


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = "Budgetten en verdeling"

    def ready(self):
        # Imported here: these modules import the app's models, which exist only once the registry is ready.
        from . import demo, reference

        REFERENCE_DATA.register(reference.load, order=20)
        DEMO_DATA.register(demo.load, order=20)
