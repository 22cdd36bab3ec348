"""Load the shipped reference data of this app (data/reference/)."""

from django.conf import settings

from .importers import MembershipImporter, MunicipalityImporter, RegionImporter, StatisticsImporter

FILES = [
    (MunicipalityImporter, "gemeenten.csv"),
    (StatisticsImporter, "gemeente_statistieken_2023.csv"),
    (RegionImporter, "iza_regios.csv"),
    (MembershipImporter, "iza_regio_gemeenten.csv"),
]


def load(stdout=None, *, actor=None):
    for importer_class, name in FILES:
        result = importer_class().run(settings.REFERENCE_DATA_DIR / name, actor=actor)
        if stdout:
            stdout.write(str(result))
