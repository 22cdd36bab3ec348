from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class SpukportalConfig(AppConfig):
    default = True
    name = "spukportal"
    verbose_name = "SPUK-portaal"

    def ready(self):
        from . import admin_names, auth, two_factor  # noqa: F401  (connect the login signals)

        admin_names.apply()


class AdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "spukportal.admin_site.PortalAdminSite"
