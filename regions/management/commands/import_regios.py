from regions.importers import RegionImporter
from spukportal.management.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importeer IZA-regio's en hun mandaathouders (kolommen: regio,mandaathouder,mandaathouder_is_gemeente; "
        "optioneel: ondertekenaar_naam,ondertekenaar_functie,bekendgemaakt_op)."
    )
    importer_class = RegionImporter

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--bekendgemaakt-op", dest="announced_on",
                            help="datum (JJJJ-MM-DD) waarop de mandaathouders bekend zijn gemaakt")
        parser.add_argument("--bron", dest="source", help="bron van de mandaathouders")

    def importer_options(self, options):
        return {k: options[k] for k in ("announced_on", "source") if options.get(k)}
