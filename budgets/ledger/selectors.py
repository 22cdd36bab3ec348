"""Reading the ledger: the one answer to what was granted, paid, spent, carried over, determined and
reclaimed. All sums are net of reversals (a reversal is a negative entry)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from . import sources
from .models import LedgerEntry
from .recipients import recipient_filter

Kind = LedgerEntry.Kind

_FIELDS = {Kind.GRANTED: "granted", Kind.ADVANCE_SCHEDULED: "advance_scheduled",
           Kind.ADVANCE_PAID: "advance_paid", Kind.SPENT: "spent", Kind.CARRIED_OVER: "carried_over",
           Kind.DETERMINED: "determined",
           Kind.RECLAIMED: "reclaimed"}


@dataclass
class Position:
    """One recipient's money for one regulation and year (euros); `lines`: {kind field: {line key: euros}}."""

    granted: int = 0
    advance_scheduled: int = 0
    advance_paid: int = 0
    spent: int = 0
    carried_over: int = 0
    determined: int = 0
    reclaimed: int = 0
    lines: dict = field(default_factory=dict)  # {"granted": {line: euros}, "spent": {...}, ...}

    def line(self, kind_field: str) -> dict:
        return self.lines.get(kind_field, {})


@dataclass(frozen=True)
class LiveGrant:
    source_kind: str
    source_id: int
    years: list
    total: int

    @property
    def label(self) -> str:
        """"beschikking VWS-2024-BS-000123" (what the pages show)."""
        return sources.describe(self.source_kind, self.source_id)


def _for(recipient, regulation, years=None):
    qs = LedgerEntry.objects.filter(recipient_filter(recipient), regulation=regulation)
    if years is not None:
        qs = qs.filter(year__in=list(years))
    return qs


def position(recipient, regulation, years=None) -> dict[int, Position]:
    """{year: Position} for the years with any entry (or every year asked for, zero where nothing booked)."""
    result: dict[int, Position] = {y: Position() for y in (years or [])}
    rows = (_for(recipient, regulation, years).values("year", "kind", "line").annotate(total=Sum("amount"))
            .order_by("year", "kind", "line"))
    for row in rows:
        pos = result.setdefault(row["year"], Position())
        name = _FIELDS[row["kind"]]
        setattr(pos, name, getattr(pos, name) + row["total"])
        if row["total"]:
            pos.lines.setdefault(name, {})[row["line"]] = row["total"]
    return dict(sorted(result.items()))


def live_grants(recipient, regulation, years=None) -> list[LiveGrant]:
    """The grants in force: GRANTED entries neither reversed nor reversals, per source (oldest first)."""
    qs = _for(recipient, regulation, years).filter(kind=Kind.GRANTED, reverses__isnull=True,
                                                   reversals__isnull=True)
    by_source: dict = {}
    rows = qs.order_by("pk").values_list("source_kind", "source_id", "year", "amount")
    for kind, source_id, year, amount in rows:
        years_, total = by_source.setdefault((kind, source_id), [set(), 0])
        years_.add(year)
        by_source[(kind, source_id)][1] = total + amount
    return [LiveGrant(kind, source_id, sorted(ys), total)
            for (kind, source_id), (ys, total) in by_source.items()]


def _totals(group_field, *, regulation=None, year=None, kind=Kind.GRANTED) -> dict[int, int]:
    qs = LedgerEntry.objects.filter(kind=kind, **{f"{group_field}__isnull": False})
    if regulation is not None:
        qs = qs.filter(regulation=regulation)
    if year is not None:
        qs = qs.filter(year=year)
    return {pk: total for pk, total in qs.values_list(group_field).annotate(total=Sum("amount"))
            .values_list(group_field, "total").order_by() if total}


def totals_by_recipient(*, regulation=None, year=None, kind=Kind.GRANTED) -> dict[int, int]:
    """{municipality_id: euros} of the gemeente-level entries (regions: `totals_by_region`)."""
    return _totals("municipality_id", regulation=regulation, year=year, kind=kind)


def totals_by_region(*, regulation=None, year=None, kind=Kind.GRANTED) -> dict[int, int]:
    """{region_id: euros} of the region-level entries."""
    return _totals("region_id", regulation=regulation, year=year, kind=kind)


def entries(recipient, regulation, years=None):
    """The entries themselves, oldest first (for a statement of account)."""
    return _for(recipient, regulation, years).select_related("reverses").order_by("pk")


def sources_of(recipient, regulation, year, kind=Kind.GRANTED) -> list[tuple[str, int]]:
    """The live sources that booked `kind` for the year (to name them on a page)."""
    qs = _for(recipient, regulation, [year]).filter(kind=kind, reverses__isnull=True, reversals__isnull=True)
    seen = []
    for pair in qs.order_by("pk").values_list("source_kind", "source_id"):
        if pair not in seen:
            seen.append(pair)
    return seen


def grouped(recipient, regulation) -> dict:
    """{(year, kind field): {line: euros}} — everything at once."""
    out = defaultdict(dict)
    for year, pos in position(recipient, regulation).items():
        for name, lines in pos.lines.items():
            out[(year, name)] = lines
    return dict(out)


def yearly_totals(scope: Q | None = None):
    """One row per recipient, regulation and year with the net euros of every kind (granted, advance_scheduled,
    advance_paid, spent, carried_over, determined, reclaimed), as dicts made by the database (the open API's
    rows). `scope`: a filter on the entries (whose money a caller may see); None: everyone's."""
    sums = {name: Coalesce(Sum("amount", filter=Q(kind=kind)), 0) for kind, name in _FIELDS.items()}
    qs = LedgerEntry.objects.all() if scope is None else LedgerEntry.objects.filter(scope)
    return (qs.values("municipality__cbs_code", "municipality__name", "region__slug", "region__name", "regulation",
                      "year")
            .annotate(**sums)
            .order_by("regulation", "municipality__cbs_code", "region__name", "year"))
