"""What was granted, per recipient, regulation, year and (brede SPUK up to 2024) component: the ONE place
that answers it, for the spending reports, their checks, the SiSa appendix and the dashboards.

Two sources, counted alike:
- the lines of granted `applications.GrantDecision`s made in the portal. Brede SPUK: the applying gemeente,
  per component (from 2025 all lines fold into one line for the whole regulation). SPUK IZA: the region's
  decision, recipient the region's mandate holder (a gemeente) on the decision date, one line for the
  regulation; lines about a local plan line name the member gemeente that receives the money (H35B);
- `PriorGrant` rows: beschikkingen of DUS-I from before the portal, imported by ministry staff.

A line key is `component_id` for the brede SPUK up to 2024 and `None` (the whole regulation) otherwise.
"""

from collections import defaultdict
from dataclasses import dataclass

from applications.models import GrantDecision, GrantDecisionLine
from applications.regulations import definition
from regions.models import MandateHolder

from .models import PriorGrant


def line_key(regulation: str, year: int, component_id: int | None) -> int | None:
    """The spending line a granted amount belongs to: the component while the regulation is split per
    component that year, else the one line of the whole regulation (None)."""
    return component_id if definition(regulation).per_component(year) else None


@dataclass(frozen=True)
class GrantRow:
    municipality_id: int  # the recipient (IZA: the region's mandate holder)
    region_id: int | None  # IZA only
    regulation: str
    year: int
    component_id: int | None  # the line key (see line_key)
    amount: int
    reference: str
    prior: bool  # True: a PriorGrant (granted before the portal)
    member_id: int | None = None  # IZA: the member gemeente this local part goes to (H35B), else None


def grant_rows(*, year: int | None = None, regulation: str | None = None,
               municipality_ids=None, region_ids=None) -> list[GrantRow]:
    """Every granted amount matching the filters (one query per source)."""
    rows: list[GrantRow] = []
    lines = GrantDecisionLine.objects.filter(decision__outcome=GrantDecision.Outcome.GRANTED)
    if year is not None:
        lines = lines.filter(year=year)
    if regulation:
        lines = lines.filter(decision__application__regulation=regulation)
    if region_ids is not None:
        lines = lines.filter(decision__application__region_id__in=list(region_ids))
    values = list(lines.values_list("decision__application__regulation", "decision__application__municipality_id",
                                    "decision__application__region_id", "decision__decided_on", "year",
                                    "component_id", "municipality_id", "amount", "decision__reference"))
    holders = {}
    if any(v[2] for v in values):
        for holder in MandateHolder.objects.filter(region_id__in={v[2] for v in values if v[2]},
                                                   municipality__isnull=False):
            holders.setdefault(holder.region_id, []).append(holder)

    def holder_on(region_id, date):
        for holder in holders.get(region_id, []):
            if holder.valid_from <= date and (holder.valid_until is None or holder.valid_until >= date):
                return holder.municipality_id
        return None

    for reg, muni_id, region_id, decided_on, line_year, component_id, member_id, amount, ref in values:
        by_region = definition(reg).by_region
        if by_region:
            muni_id = holder_on(region_id, decided_on)
            if muni_id is None:
                continue  # a region without a gemeente as mandate holder cannot report in the portal
        if municipality_ids is not None and muni_id not in municipality_ids:
            continue
        rows.append(GrantRow(muni_id, region_id, reg, line_year, line_key(reg, line_year, component_id), amount,
                             ref, False, member_id if by_region else None))

    prior = PriorGrant.objects.all()
    if year is not None:
        prior = prior.filter(year=year)
    if regulation:
        prior = prior.filter(regulation=regulation)
    if municipality_ids is not None:
        prior = prior.filter(municipality_id__in=list(municipality_ids))
    if region_ids is not None:
        prior = prior.filter(region_id__in=list(region_ids))
    for p in prior.values_list("municipality_id", "region_id", "regulation", "year", "component_id", "amount",
                               "reference"):
        muni_id, region_id, reg, p_year, component_id, amount, ref = p
        rows.append(GrantRow(muni_id, region_id, reg, p_year, line_key(reg, p_year, component_id), amount, ref, True))
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


def granted_for(*, municipality_id: int, regulation: str, year: int, region_id: int | None = None) -> Granted:
    """What the gemeente (IZA: as mandate holder of the region) was granted for the year."""
    rows = grant_rows(year=year, regulation=regulation, municipality_ids={municipality_id},
                      region_ids={region_id} if region_id else None)
    lines: dict = defaultdict(int)
    members: dict = defaultdict(int)
    refs = []
    for row in rows:
        lines[row.component_id] += row.amount
        if row.member_id:
            members[row.member_id] += row.amount
        if (row.reference, row.prior) not in refs:
            refs.append((row.reference, row.prior))
    return Granted(dict(lines), dict(members), refs)


def granted_over_period(*, municipality_id: int, regulation: str, first_year: int, last_year: int,
                        region_id: int | None = None) -> int:
    """The total granted over the years (for the final settlement, terugvordering)."""
    rows = grant_rows(regulation=regulation, municipality_ids={municipality_id},
                      region_ids={region_id} if region_id else None)
    return sum(r.amount for r in rows if first_year <= r.year <= last_year)
