"""Scoped reads of the SiSa spending reports.

For the dashboards (signatures are kept stable):

- `granted_by_municipality(*, year, regulation=None) -> {municipality_id: euros}`: what each gemeente
  was granted for the year (portal decisions + prior grants, `monitoring.grants`); IZA money counts at
  the region's mandate holder.
- `spending_by_municipality(*, year, regulation=None) -> {municipality_id: euros}`: the /01 besteding
  (expenditure, year T) of each gemeente's current submitted report (the latest version; replaced versions
  and concepts are not counted). IZA reports count at the mandate holder (H35 lines, not the H35B rows).
- `late_reports(*, year, today) -> list[Municipality]`: gemeenten with a grant for the year and no
  submitted report for one of their granted regulations, once the SiSa deadline (15 July of year + 1)
  has passed (before it: an empty list). Ordered by name.
- `deadline(year) -> date`: the SiSa deadline of the year's accountability.
"""

import datetime

from django.db.models import Sum

from regions.models import Municipality

from .. import grants
from . import permissions
from ..models import SpendingLine, SpendingReport


def deadline(year: int) -> datetime.date:
    """SiSa is delivered to CBS by 15 July of the following year: the SiSa appendix goes with the jaarrekening (Fvw
    art. 17a), which the gemeente sends by 15 July (Gemeentewet art. 201; not checked against the text here). The
    GALA names no deadline."""
    return datetime.date(year + 1, 7, 15)


def granted_by_municipality(*, year: int, regulation: str | None = None) -> dict[int, int]:
    return grants.granted_by_municipality(year=year, regulation=regulation)


def spending_by_municipality(*, year: int, regulation: str | None = None) -> dict[int, int]:
    """From the grant ledger (what the submitted reports booked as spent); IZA at the mandate holder."""
    from applications.regulations import codes
    from budgets.ledger.models import LedgerEntry

    totals: dict = {}
    for m, _line, amount in grants.ledger_money(year, [regulation] if regulation else codes(), LedgerEntry.Kind.SPENT):
        totals[m] = totals.get(m, 0) + amount
    return totals


def late_reports(*, year: int, today: datetime.date) -> list:
    if today <= deadline(year):
        return []
    expected = {(row.municipality_id, row.regulation) for row in grants.grant_rows(year=year)}
    submitted = set(SpendingReport.objects.filter(year=year, status=SpendingReport.Status.SUBMITTED)
                    .values_list("municipality_id", "regulation"))
    late_ids = {muni_id for muni_id, reg in expected - submitted}
    return list(Municipality.objects.filter(pk__in=late_ids).order_by("name"))


# --- reports, scoped -------------------------------------------------------------------------------

def current_report(*, municipality_id: int, regulation: str, year: int):
    """The submitted (current) report of the gemeente for the regulation and year, or None."""
    return (SpendingReport.objects.filter(municipality_id=municipality_id, regulation=regulation, year=year,
                                          status=SpendingReport.Status.SUBMITTED)
            .prefetch_related("lines", "transfers").first())


def concept_report(*, municipality_id: int, regulation: str, year: int):
    return SpendingReport.objects.filter(municipality_id=municipality_id, regulation=regulation, year=year,
                                         status=SpendingReport.Status.CONCEPT).first()


def previous_cumulative(*, municipality_id: int, regulation: str, year: int) -> dict:
    """{line key: /04 cumulative} of last year's current report ({} if none). From 2025 the brede SPUK
    lines of 2024 (per component) add up into the one line."""
    prev = current_report(municipality_id=municipality_id, regulation=regulation, year=year - 1)
    if prev is None:
        return {}
    out: dict = {}
    for line in prev.lines.all():
        key = grants.line_key(regulation, year, line.component_id)
        out[key] = out.get(key, 0) + line.cumulative
    return out


def previous_transfer_cumulative(*, municipality_id: int, regulation: str, year: int) -> dict:
    prev = current_report(municipality_id=municipality_id, regulation=regulation, year=year - 1)
    return {t.recipient_id: t.cumulative for t in prev.transfers.all()} if prev else {}


def reports_visible_to(user):
    """Every report the user may read: ministry staff all; officers their own gemeente's, and for IZA
    their region's (as a member); kerngroep nothing (see monitoring.permissions)."""
    return permissions.visible_reports(user)
