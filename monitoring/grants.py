"""What was granted, read from the grant ledger (budgets.ledger) — nothing here sums decisions or prior
grants itself. Kept as the monitoring app's adaptor: the SiSa reports, their checks, the appendix and the
dashboards speak of a gemeente (IZA: the region's mandate holder reports) and of line keys `component_id`
(brede SPUK up to 2024) or `None` (the whole regulation), where the ledger speaks of a recipient (gemeente or
region) and line keys "123" / "".

The IZA members' local parts (H35B) are a breakdown of a live decision's lines, not a granted sum: they are
read from the decision lines of the decisions the ledger holds live.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Sum

from applications.models import GrantDecision, GrantDecisionLine
from applications.regulations import definition
from budgets import ledger
from budgets.ledger import sources
from budgets.ledger.models import LedgerEntry
from regions.models import MandateHolder

from .models import PriorGrant


def line_key(regulation: str, year: int, component_id: int | None) -> int | None:
    """The spending line a granted amount belongs to: the component while the regulation is split per
    component that year, else the one line of the whole regulation (None)."""
    return component_id if definition(regulation).per_component(year) else None


def _from_ledger_line(line: str) -> int | None:
    return int(line) if line else None


def to_ledger_line(regulation: str, year: int, component_id: int | None) -> str:
    return ledger.line_key(regulation, year, component_id) if definition(regulation).per_component(year) else ""


@dataclass(frozen=True)
class GrantRow:
    municipality_id: int  # the recipient (IZA: the region's mandate holder)
    region_id: int | None  # IZA only
    regulation: str
    year: int
    component_id: int | None  # the line key (see line_key)
    amount: int
    reference: str
    prior: bool  # True: a pre-portal grant (PriorGrant)
    member_id: int | None = None  # IZA: the member gemeente this local part goes to (H35B), else None


def _holders(region_ids) -> dict:
    holders: dict = {}
    for holder in MandateHolder.objects.filter(region_id__in=set(region_ids), municipality__isnull=False).order_by(
            "valid_from"):
        holders.setdefault(holder.region_id, []).append(holder)
    return holders


def holder_on(holders, region_id, date: datetime.date | None):
    """The gemeente holding the region's mandate on `date` (else the latest one), or None."""
    found = holders.get(region_id, [])
    for holder in found:
        if date and holder.valid_from <= date and (holder.valid_until is None or holder.valid_until >= date):
            return holder.municipality_id
    return found[-1].municipality_id if found else None


def _references(pairs) -> dict:
    """{(source kind, id): kenmerk} of decisions and prior grants, one query each."""
    ids = defaultdict(set)
    for kind, pk in pairs:
        ids[kind].add(pk)
    refs = {}
    if ids.get(sources.DECISION) or ids.get(sources.AMENDED_DECISION):
        for pk, ref in GrantDecision.objects.filter(
                pk__in=ids[sources.DECISION] | ids[sources.AMENDED_DECISION]).values_list("pk", "reference"):
            refs[(sources.DECISION, pk)] = refs[(sources.AMENDED_DECISION, pk)] = ref
    if ids.get(sources.PRIOR_GRANT):
        for pk, ref in PriorGrant.objects.filter(pk__in=ids[sources.PRIOR_GRANT]).values_list("pk", "reference"):
            refs[(sources.PRIOR_GRANT, pk)] = ref
    for kind, pk in pairs:
        refs.setdefault((kind, pk), sources.describe(kind, pk))
    return refs


def grant_rows(*, year: int | None = None, regulation: str | None = None,
               municipality_ids=None, region_ids=None) -> list[GrantRow]:
    """Every granted amount (net, per source and line) in the ledger matching the filters."""
    entries = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.GRANTED)
    if year is not None:
        entries = entries.filter(year=year)
    if regulation:
        entries = entries.filter(regulation=regulation)
    if region_ids is not None:
        entries = entries.filter(region_id__in=list(region_ids))
    values = [v for v in entries.values("municipality_id", "region_id", "regulation", "year", "line", "source_kind",
                                        "source_id").annotate(total=Sum("amount"))
              .order_by("year", "regulation", "source_kind", "source_id", "line") if v["total"]]
    region_dates = {}
    if any(v["region_id"] for v in values):
        for region_id, source_kind, source_id, booked_on in entries.filter(region_id__isnull=False).values_list(
                "region_id", "source_kind", "source_id", "booked_on"):
            region_dates.setdefault((region_id, source_kind, source_id), booked_on)
    holders = _holders({v["region_id"] for v in values if v["region_id"]})
    refs = _references({(v["source_kind"], v["source_id"]) for v in values})
    rows = []
    for v in values:
        muni_id = v["municipality_id"]
        if v["region_id"]:
            muni_id = holder_on(holders, v["region_id"],
                                region_dates.get((v["region_id"], v["source_kind"], v["source_id"])))
            if muni_id is None:
                continue  # a region without a gemeente as mandate holder cannot report in the portal
        if municipality_ids is not None and muni_id not in municipality_ids:
            continue
        rows.append(GrantRow(muni_id, v["region_id"], v["regulation"], v["year"], _from_ledger_line(v["line"]),
                             v["total"], refs[(v["source_kind"], v["source_id"])],
                             v["source_kind"] == sources.PRIOR_GRANT))
    return rows


def granted_by_municipality(*, year: int, regulation: str | None = None) -> dict[int, int]:
    """{municipality_id: euros granted for the year} (IZA counted at the mandate holder)."""
    totals: dict[int, int] = defaultdict(int)
    for row in grant_rows(year=year, regulation=regulation):
        totals[row.municipality_id] += row.amount
    return dict(totals)


@dataclass
class Granted:
    """What one recipient was granted for one regulation and year."""

    lines: dict  # {line key (component_id | None): euros}
    members: dict  # IZA: {member municipality_id: euros of local lines} (H35B)
    references: list  # [(reference, prior?)]

    @property
    def total(self) -> int:
        return sum(self.lines.values())

    @property
    def any(self) -> bool:
        return bool(self.references)

    @property
    def prior_references(self) -> list[str]:
        return [ref for ref, prior in self.references if prior]


def _members(rows) -> dict:
    """IZA: {member municipality_id: euros} of the local lines of the live decisions among `rows`."""
    decision_refs = {row.reference for row in rows if not row.prior}
    if not decision_refs or not rows:
        return {}
    members: dict = defaultdict(int)
    years = {row.year for row in rows}
    for member_id, amount in GrantDecisionLine.objects.filter(
            decision__reference__in=decision_refs, year__in=years, municipality__isnull=False).values_list(
            "municipality_id", "amount"):
        members[member_id] += amount
    return dict(members)


def granted_for(*, municipality_id: int, regulation: str, year: int, region_id: int | None = None) -> Granted:
    """What the gemeente (IZA: as mandate holder of the region) was granted for the year."""
    rows = grant_rows(year=year, regulation=regulation, municipality_ids={municipality_id},
                      region_ids={region_id} if region_id else None)
    lines: dict = defaultdict(int)
    refs = []
    for row in rows:
        lines[row.component_id] += row.amount
        if (row.reference, row.prior) not in refs:
            refs.append((row.reference, row.prior))
    members = _members(rows) if definition(regulation).by_region else {}
    return Granted(dict(lines), members, refs)


def granted_over_period(*, municipality_id: int, regulation: str, first_year: int, last_year: int,
                        region_id: int | None = None) -> int:
    """The total granted over the years (for the final settlement, terugvordering)."""
    rows = grant_rows(regulation=regulation, municipality_ids={municipality_id},
                      region_ids={region_id} if region_id else None)
    return sum(r.amount for r in rows if first_year <= r.year <= last_year)


def _holder_of_regions(region_ids, today=None) -> dict:
    """{region_id: municipality_id} of today's mandate holder (a gemeente), one query."""
    today = today or datetime.date.today()
    holders = {}
    for h in MandateHolder.objects.filter(region_id__in=list(region_ids), municipality__isnull=False).order_by(
            "valid_from"):
        if h.valid_from <= today and (h.valid_until is None or h.valid_until >= today):
            holders[h.region_id] = h.municipality_id
        holders.setdefault(h.region_id, h.municipality_id)
    return holders


def ledger_money(year, regulations, kind) -> list[tuple]:
    """[(municipality_id, (regulation, line key), euros)] of one kind of ledger money in `year` (two aggregate
    queries and one for the mandate holders); region-level entries at the region's mandate holder."""
    entries = LedgerEntry.objects.filter(year=year, regulation__in=list(regulations), kind=kind)
    out = []
    for m, regulation, line, total in (entries.filter(municipality__isnull=False)
                                       .values_list("municipality_id", "regulation", "line")
                                       .annotate(total=Sum("amount")).order_by()):
        if total:
            out.append((m, (regulation, int(line) if line else None), total))
    by_region = list(entries.filter(region__isnull=False).values_list("region_id", "regulation", "line")
                     .annotate(total=Sum("amount")).order_by())
    holders = _holder_of_regions({r for r, _, _, _ in by_region})
    for r, regulation, line, total in by_region:
        if total and holders.get(r):
            out.append((holders[r], (regulation, int(line) if line else None), total))
    return out
