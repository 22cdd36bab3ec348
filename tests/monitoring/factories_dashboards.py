"""National volume for the dashboards' query-count test and benchmark: for every gemeente (342) ketenaanpak
states with history, valpreventie figures and a brede SPUK application; and a spending report per gemeente per
year 2023–2026 (the SiSa part's models). Bulk inserts; `size` limits the number of gemeenten (the small size)."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from monitoring.models import ChainApproach, ChainStage, ChainStateChange, FallPreventionFigures
from regions.models import Municipality

YEARS = [2023, 2024, 2025, 2026]


def national_volume(size=None):
    user = get_user_model().objects.get(username="beheer")
    municipalities = list(Municipality.objects.order_by("cbs_code")[:size])
    ChainStateChange.objects.filter(municipality__in=municipalities).delete()
    FallPreventionFigures.objects.filter(municipality__in=municipalities).delete()
    changes, figures = [], []
    for n, m in enumerate(municipalities):
        for a, approach in enumerate(ChainApproach.values):
            reached = (n + a) % len(ChainStage.values)
            for s, stage in enumerate(ChainStage.values[:reached + 1]):
                changes.append(ChainStateChange(municipality=m, approach=approach, stage=stage,
                                                changed_on=datetime.date(2023, 1, 1) + datetime.timedelta(days=70 * s),
                                                recorded_by=user))
        for year in YEARS:
            figures.append(FallPreventionFigures(municipality=m, year=year, home_dwelling_65_plus=5000 + n,
                                                 assessments=500 + n % 300, interventions=100 + n % 90,
                                                 updated_by=user))
    ChainStateChange.objects.bulk_create(changes, batch_size=2000)
    FallPreventionFigures.objects.bulk_create(figures, batch_size=2000)
    applications(municipalities, user)
    spending_reports(municipalities, user)
    return municipalities


def applications(municipalities, user):
    """One brede SPUK application per gemeente in a period of its own (states spread over the workflow)."""
    from applications.models import Application, ApplicationPeriod
    from applications.intake.flow import STATES
    from budgets.models import Regulation

    today = timezone.localdate()
    period = ApplicationPeriod.objects.create(
        name=f"Volume dashboards {timezone.now():%H:%M:%S.%f}", regulation=Regulation.BREDE_SPUK,
        first_year=2024, last_year=2026, opens_on=today - datetime.timedelta(days=90), closes_on=today)
    states = [s for s in STATES if s != "ingetrokken"]
    Application.objects.bulk_create([
        Application(municipality=m, period=period, regulation=Regulation.BREDE_SPUK, state=states[n % len(states)],
                    created_by=user) for n, m in enumerate(municipalities)])


def spending_reports(municipalities, user):
    """A submitted brede SPUK spending report per gemeente per year 2023–2026 (per component up to 2024, one line
    from 2025), replacing the gemeente's earlier ones (the SiSa part's models)."""
    from budgets.models import Component, Regulation
    from applications.regulations import BREDE_SPUK
    from monitoring.models import SpendingLine, SpendingReport

    SpendingReport.objects.filter(municipality__in=municipalities, regulation=Regulation.BREDE_SPUK,
                                  year__in=YEARS).delete()
    components = list(Component.objects.filter(regulation=Regulation.BREDE_SPUK, is_total=False)
                      .order_by("number")[:4])
    now = timezone.now()
    reports = SpendingReport.objects.bulk_create([
        SpendingReport(municipality=m, regulation=Regulation.BREDE_SPUK, year=year, status="ingediend",
                       created_by=user, submitted_by=user, submitted_at=now)
        for m in municipalities for year in YEARS], batch_size=2000)
    lines = []
    for n, report in enumerate(reports):
        if BREDE_SPUK.per_component(report.year):
            lines += [SpendingLine(report=report, component=c, expenditure=10_000 + 100 * (n % 50) + c.number,
                                   cumulative=10_000) for c in components]
        else:
            lines.append(SpendingLine(report=report, component=None, expenditure=40_000 + n % 1000,
                                      cumulative=40_000))
    SpendingLine.objects.bulk_create(lines, batch_size=2000)
