from django.core.management.base import CommandError

from budgets.models import DEFAULT_REGULATION, Regulation
from budgets.services import official_allocation_import
from spukportal.csv_import import ImportFailed
from spukportal.management.import_command import ImportCommand


class Command(ImportCommand):
    help = ("Importeer een officiële tabel met bedragen per gemeente (kolommen: cbs_code,naam,bedrag_JJJJ,…) als "
            "berekening van de soort 'vastgesteld'.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--name", required=True, help="naam van de tabel")
        parser.add_argument("--regulation", default=DEFAULT_REGULATION, choices=Regulation.values)
        parser.add_argument("--source", default="", help="bron, bijv. brief met kenmerk en bijlage")
        parser.add_argument("--publish", action="store_true", help="direct zichtbaar voor gemeenten")

    def handle(self, *args, **options):
        try:
            summary, _ = official_allocation_import(
                actor=None, file=options["file"], name=options["name"], regulation=options["regulation"],
                source=options["source"], publish=options["publish"], dry_run=options["dry_run"])
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(summary)
