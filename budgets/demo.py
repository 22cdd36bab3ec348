"""Demo data of the budgets app; called by `manage.py load_demo_data` (after the demo accounts exist).

A finished computed run of the GALA base budget 2023–2026 per component, visible to gemeenten, the same for
the SPUK IZA (whose region sums cap the IZA applications), and the
official 2025/2026 table as a run of kind "vastgesteld", so that the ministry's comparison has something to
compare. Idempotent."""

from django.conf import settings
from django.contrib.auth import get_user_model

from .importers import GalaBudgetImporter
from .models import AllocationRun, BudgetVersion, DistributionKey, Regulation
from .services import allocation_run_publish, allocation_run_start, official_allocation_import

DEMO_RUN_NAME = "Demo: GALA-basisbegroting 2023–2026"
IZA_RUN_NAME = "Demo: SPUK IZA 2023–2026"
OFFICIAL_RUN_NAME = "Vastgesteld 2025–2026 (VWS-brief 12-09-2025, bijlage 2A)"


def load(stdout=None):
    actor = get_user_model().objects.filter(username="ministerie").first()
    run = AllocationRun.objects.filter(name=DEMO_RUN_NAME, status=AllocationRun.Status.FINISHED).first()
    if run is None:
        run = allocation_run_start(
            actor=actor, name=DEMO_RUN_NAME, regulation=Regulation.BREDE_SPUK, years=[2023, 2024, 2025, 2026],
            budget_version=BudgetVersion.objects.get(name=GalaBudgetImporter.version_name),
            distribution_key=DistributionKey.objects.get(is_default=True), run_now=True,
        )
        if run.status != AllocationRun.Status.FINISHED:
            raise RuntimeError(f"Demo-berekening mislukt: {run.error}")
        allocation_run_publish(actor=actor, run=run)
        if stdout:
            stdout.write(f"Demo-berekening '{run}' aangemaakt (id {run.pk}).")
    if not AllocationRun.objects.filter(name=IZA_RUN_NAME, status=AllocationRun.Status.FINISHED).exists():
        iza = allocation_run_start(
            actor=actor, name=IZA_RUN_NAME, regulation=Regulation.SPUK_IZA, years=[2023, 2024, 2025, 2026],
            budget_version=BudgetVersion.objects.get(name=GalaBudgetImporter.version_name),
            distribution_key=DistributionKey.objects.get(is_default=True), run_now=True,
        )
        if iza.status != AllocationRun.Status.FINISHED:
            raise RuntimeError(f"Demo-berekening IZA mislukt: {iza.error}")
        allocation_run_publish(actor=actor, run=iza)
        if stdout:
            stdout.write(f"Demo-berekening '{iza}' aangemaakt (id {iza.pk}).")
    if not AllocationRun.objects.filter(name=OFFICIAL_RUN_NAME).exists():
        official_allocation_import(
            actor=actor, file=settings.REFERENCE_DATA_DIR / "brede_spuk_bedragen_2025_2026.csv",
            name=OFFICIAL_RUN_NAME, regulation=Regulation.BREDE_SPUK, publish=True,
            source="VWS-brief 12-09-2025 (4190863-1084972-DMO), bijlage 2A",
        )
        if stdout:
            stdout.write(f"Officiële tabel '{OFFICIAL_RUN_NAME}' geïmporteerd.")
