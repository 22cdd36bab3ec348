from django.core.management.base import BaseCommand
from django.db import transaction

import applications.decisions.demo
import applications.demo
import budgets.demo
import monitoring.dashboards.demo
import monitoring.accountability.demo
import spukportal.demo


class Command(BaseCommand):
    help = (
        "Maak de demo-accounts (wachtwoord 'spuk-demo') en voorbeeldgegevens aan. Alleen voor demo- en "
        "testomgevingen. Idempotent; laad eerst de referentiegegevens."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            spukportal.demo.load(self.stdout)
            budgets.demo.load(self.stdout)
            applications.demo.load(self.stdout)
            applications.decisions.demo.load(self.stdout)
            monitoring.dashboards.demo.load(self.stdout)
            monitoring.accountability.demo.load(self.stdout)
