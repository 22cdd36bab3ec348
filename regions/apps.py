from django.apps import AppConfig

from spukportal.hooks import REFERENCE_DATA, START_PAGE


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = "Gemeenten en IZA-regio's"

    def ready(self):
        # Imported here: these modules import the app's models, which exist only once the registry is ready.
        from . import reference, selectors

        START_PAGE.register(selectors.start_page, order=10)
        REFERENCE_DATA.register(reference.load, order=10)
