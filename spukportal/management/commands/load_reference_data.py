from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from spukportal.csv_import import ImportFailed
from spukportal.hooks import REFERENCE_DATA


class Command(BaseCommand):
    help = "Laad de referentiegegevens die met het portaal worden meegeleverd (data/reference/). Idempotent."

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                for load in REFERENCE_DATA:  # regions first, then budgets (registered in AppConfig.ready)
                    load(self.stdout)
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
