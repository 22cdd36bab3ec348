from regions.importers import MunicipalityImporter
from spukportal.management.import_command import ImportCommand


class Command(ImportCommand):
    help = "Importeer gemeenten (kolommen: cbs_code,naam,provincie)."
    importer_class = MunicipalityImporter
