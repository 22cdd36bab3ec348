"""Reading determinations: what the final settlement of a recipient comes to (from the ledger: granted and
spent per year), who has a final accounting and so can be determined, and what a user may read."""

from dataclasses import dataclass

from applications.regulations import definition
from budgets.ledger import selectors as ledger
from budgets.ledger.recipients import recipient_filter
from spukportal.permissions import is_ministry, officer_municipality_ids

from ..accountability import rules as sisa_rules
from ..models import SpendingReport
from .models import Determination


def recipient_of(report):
    """Whom the money of a report's grant went to in the ledger: the region (SPUK IZA) or the gemeente."""
    return report.region if report.region_id else report.municipality


def unpaid_advances(recipient, regulation: str) -> dict[int, int]:
    """{year: euros} of advances scheduled in the ledger and not (yet) booked as paid. Portal policy: the
    determination waits until every advance is paid, so that what it reclaims (granted minus determined) is
    money that was paid out. A pre-portal grant has no advances in the portal: it was paid outside it."""
    return {year: pos.advance_scheduled - pos.advance_paid
            for year, pos in sorted(ledger.position(recipient, regulation).items())
            if pos.advance_scheduled > pos.advance_paid}


def year_figures(recipient, regulation: str) -> list[sisa_rules.YearFigures]:
    """Granted and spent per year of the recipient's grant, as the ledger has them (net of reversals). Years
    accounted per component bring their lines, so that lines do not make up for each other."""
    reg = definition(regulation)
    out = []
    for year, pos in sorted(ledger.position(recipient, regulation).items()):
        if pos.granted <= 0 and pos.spent <= 0:
            continue
        lines = None
        if reg.per_component(year):
            granted, spent = pos.line("granted"), pos.line("spent")
            lines = {key: (granted.get(key, 0), spent.get(key, 0)) for key in set(granted) | set(spent)}
        out.append(sisa_rules.YearFigures(year, granted=max(pos.granted, 0), spent=max(pos.spent, 0), lines=lines))
    return out


def settlement(recipient, regulation: str) -> sisa_rules.Settlement:
    """The final settlement of the recipient's grant: the carry-over cap applied year by year."""
    carry = definition(regulation).carry_over_year
    return sisa_rules.settle(year_figures(recipient, regulation),
                             carry_over_years=frozenset({carry}) if carry is not None else frozenset())


def final_reports(regulation: str | None = None):
    """The current (submitted) final accountings: who can be determined."""
    qs = SpendingReport.objects.filter(status=SpendingReport.Status.SUBMITTED, is_final=True) \
        .select_related("municipality", "region")
    if regulation:
        qs = qs.filter(regulation=regulation)
    return qs.order_by("regulation", "municipality__name", "region__name")


@dataclass
class QueueRow:
    report: SpendingReport
    determination: Determination | None

    @property
    def recipient(self):
        return recipient_of(self.report)


def determination_for(report) -> Determination | None:
    return Determination.objects.filter(recipient_filter(recipient_of(report)), regulation=report.regulation).first()


def queue(regulation: str | None = None) -> list[QueueRow]:
    """Every final accounting with its determination (None: not yet made)."""
    reports = list(final_reports(regulation))
    existing = {(d.municipality_id, d.region_id, d.regulation): d for d in Determination.objects.filter(
        regulation__in={r.regulation for r in reports}).select_related("letter")}
    rows = []
    for r in reports:
        key = (None, r.region_id, r.regulation) if r.region_id else (r.municipality_id, None, r.regulation)
        rows.append(QueueRow(r, existing.get(key)))
    return rows


def undetermined_reports(regulation: str) -> list[SpendingReport]:
    """The final accountings of a regulation without a determined determination (what the batch does)."""
    return [row.report for row in queue(regulation)
            if row.determination is None or row.determination.letter_date is None]


def visible_determinations(user):
    """What the user may read, as a queryset: the same rule as `permissions.can_read_determination`."""
    qs = Determination.objects.select_related("municipality", "region", "final_report__municipality", "letter")
    if is_ministry(user):
        return qs
    ids = officer_municipality_ids(user)
    if not ids:
        return qs.none()
    return qs.filter(final_report__municipality_id__in=ids, letter_date__isnull=False)


def for_report(report) -> Determination | None:
    """The determination a SiSa report's final accounting led to, once determined (the SiSa page links it)."""
    if not report.is_final:
        return None
    d = determination_for(report)
    return d if d is not None and d.letter_date is not None else None
