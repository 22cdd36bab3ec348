import datetime

from django.core.management.base import CommandError

from budgets.importers import EstablishedTotalsImporter, GalaBudgetImporter, MutationImporter
from spukportal.management.import_command import ImportCommand

FORMATS = {
    "gala": GalaBudgetImporter,  # onderdeel_nr,onderdeel,regeling,2023,…,2026 (EUR mln)
    "mutaties": MutationImporter,  # jaar,regeling,onderwerp,bedrag_mln,bron
    "totalen": EstablishedTotalsImporter,  # regeling,jaar,totaal_eur,bron
}


class Command(ImportCommand):
    help = ("Leg een nieuwe begrotingsversie vast uit een CSV-bestand. Formaten: 'gala' (budget per onderdeel en "
            "jaar in mln), 'mutaties' (wijzigingen op een eerdere versie; vanaf 2025 één regel brede SPUK) of "
            "'totalen' (vastgestelde totalen per regeling en jaar). Een bestaande versie wordt nooit overschreven.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument("--name", required=True, help="naam van de nieuwe versie")
        parser.add_argument("--source", required=True, help="bron, bijv. brief met kenmerk en bijlage")
        parser.add_argument("--date", required=True, help="datum van de bron (JJJJ-MM-DD)")
        parser.add_argument("--based-on", help="naam van de versie die wordt gewijzigd (mutaties, totalen)")

    def handle(self, *args, **options):
        self.importer_class = FORMATS[options["format"]]
        return super().handle(*args, **options)

    def importer_options(self, options):
        try:
            source_date = datetime.date.fromisoformat(options["date"])
        except ValueError as exc:
            raise CommandError(f"Ongeldige datum '{options['date']}' (gebruik JJJJ-MM-DD).") from exc
        return {"name": options["name"], "source": options["source"], "source_date": source_date,
                "based_on": options["based_on"]}
