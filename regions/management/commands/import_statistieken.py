from regions.importers import StatisticsImporter
from spukportal.management.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importeer statistieken per gemeente en peiljaar (kolommen: cbs_code,peiljaar,inwoners,"
        "inwoners_gezondheidsachterstand,bron_inwoners,bron_gezondheidsachterstand)."
    )
    importer_class = StatisticsImporter
