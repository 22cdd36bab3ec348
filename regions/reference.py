"""Load the shipped reference data of this app (data/reference/)."""

from django.conf import settings

from . import geo
from .importers import MembershipImporter, MunicipalityImporter, RegionImporter, StatisticsImporter
from .models import Municipality

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
    _check_boundaries(stdout)


def _check_boundaries(stdout):
    """The map boundaries (data/reference/geo/) are a file read once per process, not a table: check that they
    fit the gemeenten just loaded, so a wrong file shows here and not as a blank spot on a map."""
    problems = geo.check_against(Municipality.objects.values_list("cbs_code", flat=True))
    if stdout:
        stdout.write("Kaartgrenzen (" + geo.GEMEENTE_FILE + "): " + ("; ".join(problems) if problems else
                     f"{len(geo.shapes().paths)} gemeenten, alle met een grens."))
