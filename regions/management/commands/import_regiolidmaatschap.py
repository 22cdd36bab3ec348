from regions.importers import MembershipImporter
from spukportal.management.import_command import ImportCommand


class Command(ImportCommand):
    help = "Importeer welke gemeente in welke IZA-regio zit (kolommen: regio,cbs_code,naam)."
    importer_class = MembershipImporter

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--geldig-vanaf", dest="valid_from", help="ingangsdatum (JJJJ-MM-DD), standaard 2023-01-01")

    def importer_options(self, options):
        return {"valid_from": options["valid_from"]} if options.get("valid_from") else {}
