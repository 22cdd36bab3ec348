from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import budgets.reference
import regions.reference
from spukportal.csv_import import ImportFailed


class Command(BaseCommand):
    help = "Laad de referentiegegevens die met het portaal worden meegeleverd (data/reference/). Idempotent."

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                regions.reference.load(self.stdout)
                budgets.reference.load(self.stdout)
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
