from django.core.management.base import BaseCommand
from django.db import transaction

import applications.decision_demo
import applications.demo
import budgets.demo
import monitoring.dashboard_demo
import monitoring.determination.demo
import monitoring.sisa_demo
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
            applications.decision_demo.load(self.stdout)
            monitoring.dashboard_demo.load(self.stdout)
            monitoring.sisa_demo.load(self.stdout)
            monitoring.determination.demo.load(self.stdout)
