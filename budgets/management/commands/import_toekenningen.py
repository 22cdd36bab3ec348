from budgets.importers import OfficialAllocationImporter
from budgets.models import Regulation
from spukportal.management.import_command import ImportCommand


class Command(ImportCommand):
    help = ("Importeer een officiële tabel met bedragen per gemeente (kolommen: cbs_code,naam,bedrag_JJJJ,…) als "
            "berekening van de soort 'vastgesteld'.")
    importer_class = OfficialAllocationImporter

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--name", required=True, help="naam van de tabel")
        parser.add_argument("--regulation", default=Regulation.BREDE_SPUK, choices=Regulation.values)
        parser.add_argument("--source", default="", help="bron, bijv. brief met kenmerk en bijlage")
        parser.add_argument("--publish", action="store_true", help="direct zichtbaar voor gemeenten")

    def importer_options(self, options):
        return {"name": options["name"], "regulation": options["regulation"], "source": options["source"],
                "publish": options["publish"]}
