from django.core.management.base import BaseCommand
from django.db import transaction

from spukportal import demo
from spukportal.hooks import DEMO_DATA


class Command(BaseCommand):
    help = (
        "Maak de demo-accounts (wachtwoord 'spuk-demo') en voorbeeldgegevens aan. Alleen voor demo- en "
        "testomgevingen. Idempotent; laad eerst de referentiegegevens."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            demo.load(self.stdout)
            for load in DEMO_DATA:  # every app's demo data, lower apps first (registered in AppConfig.ready)
                load(self.stdout)
