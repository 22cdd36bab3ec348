"""Load the shipped reference data of the budgets app: themes, components (with the GALA spending conditions),
the budget versions from data/reference/*.csv and the default distribution key with its fixed amounts.

Called by `manage.py load_reference_data`; idempotent."""

from decimal import Decimal

from django.conf import settings
from django.db import transaction

from spukportal import audit

from .components import COMPONENTS, THEMES
from .importers import (
    LETTER_SOURCE, EstablishedTotalsImporter, FixedAmountImporter, GalaBudgetImporter, MutationImporter,
)
from .models import Component, DistributionKey, Factor, KeyFactor, Theme

DEFAULT_KEY_NAME = "GALA-sleutel 50/50, peiljaar 2023"


def load_components():
    """Themes and components from budgets/components.py; the texts are kept up to date."""
    themes = {}
    for order, name in enumerate(THEMES, start=1):
        themes[name], _ = Theme.objects.update_or_create(name=name, defaults={"order": order})
    for data in COMPONENTS:
        Component.objects.update_or_create(
            regulation=data.regulation, number=data.number,
            defaults={"name": data.name, "theme": themes[data.theme], "is_mandatory": data.is_mandatory,
                      "spending_conditions": data.spending_conditions, "is_total": data.is_total},
        )


def load_default_key(*, actor=None, stdout=None):
    key = DistributionKey.objects.filter(name=DEFAULT_KEY_NAME).first()
    if key is None:
        key = DistributionKey.objects.create(
            name=DEFAULT_KEY_NAME, reference_year=2023, is_default=not DistributionKey.objects.filter(
                is_default=True).exists(),
            description=(
                "Werkmodel: aandeel = 0,5 × aandeel inwoners + 0,5 × aandeel inwoners met gezondheidsachterstand "
                "(CBS, peiljaar 2023). Vaste bedragen voor de Waddeneilanden en Rozendaal (2025 en 2026) en "
                "Renswoude (2026), afgelezen uit de VWS-brief van 12-09-2025. Hele euro's, grootste-restmethode."
            ),
        )
        KeyFactor.objects.bulk_create([
            KeyFactor(key=key, factor=Factor.POPULATION, weight=Decimal("0.5")),
            KeyFactor(key=key, factor=Factor.DISADVANTAGE, weight=Decimal("0.5")),
        ])
        audit.record(actor=actor, action="verdeelsleutel.vastgelegd", obj=key, message=f"Verdeelsleutel '{key}'.")
    result = FixedAmountImporter(key=key, source=f"{LETTER_SOURCE}, bijlage 2A").run(
        settings.REFERENCE_DATA_DIR / "vaste_bedragen_2025_2026.csv", actor=actor)
    if stdout:
        stdout.write(str(result))
    return key


def load(stdout=None, *, actor=None):
    with transaction.atomic():
        load_components()
        for importer_class, name in [
            (GalaBudgetImporter, "gala_spuk_begroting.csv"),
            (MutationImporter, "spuk_mutaties_2025_2026.csv"),
            (EstablishedTotalsImporter, "spuk_totalen_vastgesteld_2025_2026.csv"),
        ]:
            result = importer_class().run(settings.REFERENCE_DATA_DIR / name, actor=actor)
            if stdout:
                stdout.write(str(result))
        load_default_key(actor=actor, stdout=stdout)
