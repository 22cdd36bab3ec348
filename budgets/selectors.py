"""Reads of the budgets app, for views, reports and other apps. Each costs a fixed number of queries."""

from collections import defaultdict
from decimal import Decimal

from django.apps import apps
from django.db import connection
from django.db.models import Q, Sum
from django.db.models.fields.json import HasKey, KeyTransform
from django.utils import timezone

from regions.models import Municipality
from regions.search import municipality_query
from regions.selectors import memberships_on, municipalities_of_officer
from spukportal.prepared import PreparedQuery

from . import run_inputs
from .models import Allocation, AllocationReport, AllocationRun, BudgetLine, BudgetVersion, Component, DistributionKey, RegionAllocation


def runs_with_year(runs, year: int):
    """The runs of the queryset `runs` whose years include `year`. The years are a JSON list: PostgreSQL finds them
    with JSON containment; SQLite (`make run`) has none, and there the runs (a few dozen) are picked one by one."""
    if connection.features.supports_json_field_contains:
        return runs.filter(years__contains=[year])
    return runs.filter(pk__in=[run.pk for run in runs.only("pk", "years") if year in run.years])


# A gemeente's amounts in a run cap every page of its application: SQL written once (spukportal/prepared.py).
_ALLOCATIONS = PreparedQuery(lambda run, municipality: Allocation.objects.filter(
    run=run, municipality=municipality).values_list("component_id", "year", "amount"))


def allocation_amounts(*, run, municipality) -> dict[tuple[int, int], int]:
    """{(component_id, year): amount in whole euros} of one gemeente in one run."""
    return {(component_id, year): amount
            for component_id, year, amount in _ALLOCATIONS.run(run.pk, municipality.pk)}


def region_allocation_amounts(*, run, region) -> dict[tuple[int, int], int]:
    """{(component_id, year): amount in whole euros} of one IZA-regio in one run (its members' sum)."""
    return {
        (component_id, year): amount
        for component_id, year, amount in RegionAllocation.objects.filter(run=run, region=region)
        .values_list("component_id", "year", "amount")
    }


def amounts_per_municipality(*, run, municipalities) -> dict[int, dict[int, int]]:
    """{municipality_id: {year: euros (all components together)}} in one run."""
    result = defaultdict(lambda: defaultdict(int))
    for municipality_id, year, amount in Allocation.objects.filter(run=run, municipality__in=municipalities) \
            .values_list("municipality_id", "year", "amount"):
        result[municipality_id][year] += amount
    return {k: dict(v) for k, v in result.items()}


def selectable_components(regulation):
    """The components a gemeente can apply for (not the one-line total), with theme and conditions."""
    return Component.objects.filter(regulation=regulation, is_total=False).select_related("theme")


def component_list():
    return Component.objects.select_related("theme").order_by("regulation", "theme__order", "number")


def budget_versions():
    return BudgetVersion.objects.select_related("based_on").order_by("source_date", "id")


def budget_table(version) -> dict:
    """Rows per component with the amount per year, and totals per regulation and year."""
    lines = list(BudgetLine.objects.filter(version=version).select_related("component", "component__theme")
                 .order_by("component__regulation", "component__number", "year"))
    years = sorted({line.year for line in lines})
    rows, totals = {}, defaultdict(lambda: defaultdict(int))
    for line in lines:
        row = rows.setdefault(line.component_id, {"component": line.component, "amounts": {}})
        row["amounts"][line.year] = line.amount
        totals[line.component.get_regulation_display()][line.year] += line.amount
    for row in rows.values():
        row["cells"] = [row["amounts"].get(y) for y in years]
    return {
        "years": years, "rows": list(rows.values()),
        "totals": [{"regulation": r, "cells": [t.get(y, 0) for y in years]} for r, t in totals.items()],
        "mutations": list(version.mutations.all()),
    }


def distribution_keys():
    return DistributionKey.objects.prefetch_related("factors", "fixed_amounts__municipality",
                                                    "fixed_amounts__component").select_related("created_by")


def runs_for_ministry():
    return AllocationRun.objects.select_related("budget_version", "distribution_key", "created_by")


def finished_runs():
    return runs_for_ministry().filter(status=AllocationRun.Status.FINISHED)


def comparison_partner(run):
    """What the run page's "Vergelijken met een andere berekening" compares `run` with: another finished run of the
    same regulation sharing a year with it (an official table first, then the newest), and that first shared year.
    (None, None) when there is none."""
    years = set(run.years or [])
    candidates = [other for other in finished_runs().filter(regulation=run.regulation).exclude(pk=run.pk)
                  .order_by("-created_at", "-pk") if years & set(other.years or [])]
    candidates.sort(key=lambda other: other.kind == AllocationRun.Kind.COMPUTED)  # stable: newest first within
    if not candidates:
        return None, None
    return candidates[0], min(years & set(candidates[0].years))


def _municipalities(q="", province=""):
    qs = Municipality.objects.all()
    if q:
        qs = qs.filter(municipality_query(q))
    if province:
        qs = qs.filter(province=province)
    return qs.order_by("name")


def run_overview(run, *, q="", province="") -> dict:
    """Per gemeente the total per year of one run (3 queries, whatever the number of gemeenten)."""
    per = defaultdict(dict)
    for municipality_id, year, amount in (Allocation.objects.filter(run=run).values_list("municipality_id", "year")
                                          .annotate(total=Sum("amount")).order_by()):
        per[municipality_id][year] = amount
    years = sorted(run.years)
    rows = [{"municipality": m, "cells": [per[m.pk].get(y, 0) for y in years], "total": sum(per[m.pk].values())}
            for m in _municipalities(q, province)]
    totals = (Allocation.objects.filter(run=run).values_list("year").annotate(total=Sum("amount")).order_by("year"))
    totals = dict(totals)
    return {"years": years, "rows": rows, "year_totals": [totals.get(y, 0) for y in years],
            "grand_total": sum(totals.values())}


def run_components(run):
    """Per component and year the sum of a run (for the run page)."""
    rows = defaultdict(dict)
    components = {}
    for component_id, year, amount in (Allocation.objects.filter(run=run).values_list("component_id", "year")
                                       .annotate(total=Sum("amount")).order_by()):
        rows[component_id][year] = amount
    for c in Component.objects.filter(pk__in=rows):
        components[c.pk] = c
    years = sorted(run.years)
    return [{"component": components[cid], "cells": [rows[cid].get(y) for y in years]}
            for cid in sorted(rows, key=lambda c: components[c].number)]


SORTS = {"naam": lambda r: r["municipality"].name, "a": lambda r: r["a"], "b": lambda r: r["b"],
         # a difference is large by its size, whichever way it goes
         "verschil": lambda r: abs(r["diff"]), "procent": lambda r: (r["pct"] is None, abs(r["pct"] or 0))}


def comparison(run_a, run_b, *, year, q="", province="", sort="naam") -> dict:
    """Per gemeente the total of `year` in two runs, the difference in euros and percent (of run A)."""
    def totals(run):
        return dict(Allocation.objects.filter(run=run, year=year).values_list("municipality_id")
                    .annotate(total=Sum("amount")).order_by())

    a, b = totals(run_a), totals(run_b)
    rows = []
    for m in _municipalities(q, province):
        amount_a, amount_b = a.get(m.pk, 0), b.get(m.pk, 0)
        diff = amount_b - amount_a
        pct = (Decimal(diff) / Decimal(amount_a)) if amount_a else None
        rows.append({"municipality": m, "a": amount_a, "b": amount_b, "diff": diff, "pct": pct})
    key = sort.lstrip("-")
    if key in SORTS:
        rows.sort(key=SORTS[key], reverse=sort.startswith("-"))
    return {"rows": rows, "total_a": sum(r["a"] for r in rows), "total_b": sum(r["b"] for r in rows),
            "max_abs_diff": max((abs(r["diff"]) for r in rows), default=0)}


def explanation(run, municipality) -> dict:
    """'Hoe is mijn bedrag berekend?' for one gemeente in one run (`run` from `runs_for_explanation`; for a
    computed run, only a gemeente that `took_part`: one that did not exist yet has no figures to explain)."""
    stored = allocation_amounts(run=run, municipality=municipality)
    components = {c.pk: c for c in Component.objects.filter(pk__in={cid for cid, _ in stored})}
    context = {"run": run, "municipality": municipality, "stored": stored, "computed": run.is_computed}
    if run.is_computed:
        snapshot = run.input_snapshot
        detail = run_inputs.explain(snapshot, municipality.cbs_code)
        for f in detail["factors"]:
            f["weight"], f["contribution"] = _decimal(f["weight"]), _decimal(f["contribution"])
        detail["share"] = _decimal(detail["share"])
        for line in detail["lines"]:
            line["component_obj"] = components.get(line["component_id"])
            line["stored"] = stored.get((line["component_id"], line["year"]))
            d = line["detail"]
            line["detail"] = {"fixed": d.fixed, "rest": d.rest, "share_of_rest": _decimal(d.share_of_rest),
                              "exact": _decimal(d.exact), "adjustment": d.adjustment, "amount": d.amount}
        context.update(detail)
        context["sources"] = snapshot.get("sources", {}).get(municipality.cbs_code, {})
        context["snapshot"] = snapshot
    else:
        context["lines"] = [{"component_obj": components[cid], "year": year, "stored": amount}
                            for (cid, year), amount in sorted(stored.items(), key=lambda kv: (kv[0][1], kv[0][0]))]
    return context


def _decimal(fraction) -> Decimal:
    """A Fraction for display only (amounts themselves stay exact integers)."""
    return Decimal(fraction.numerator) / Decimal(fraction.denominator)


def _granted(municipalities, region_ids) -> dict:
    """{("m"|"r", recipient id, regulation, year): euros granted} from the grant ledger, one query."""
    from .ledger.models import LedgerEntry

    rows = (LedgerEntry.objects.filter(kind=LedgerEntry.Kind.GRANTED)
            .filter(Q(municipality__in=municipalities) | Q(region_id__in=region_ids))
            .values_list("municipality_id", "region_id", "regulation", "year").annotate(total=Sum("amount"))
            .order_by())
    return {("m", m, reg, y) if m else ("r", r, reg, y): total for m, r, reg, y, total in rows if total}


def own_amounts(user) -> list[dict]:
    """For an officer: per own gemeente, per application period the amounts of the run the ministry linked to
    that period (`ApplicationPeriod.allocation_run`: the run that caps the applications), per component and
    year of the period, with the total of its IZA-regio, and what was granted (the grant ledger) to the gemeente
    and to its region. No other run: one source of truth per period.
    A period without a run, or whose run gemeenten cannot see yet, says so. A fixed number of queries."""
    # The periods live in the applications app, which builds on this one: looked up by name, not imported.
    periods = list(apps.get_model("applications", "ApplicationPeriod").objects.select_related("allocation_run")
                   .defer("allocation_run__input_snapshot").order_by("regulation", "-first_year", "name"))
    municipalities = municipalities_of_officer(user)
    runs = {p.allocation_run_id: p.allocation_run for p in periods if _visible_to_gemeenten(p.allocation_run)}
    allocations = defaultdict(list)
    for a in (Allocation.objects.filter(run__in=list(runs), municipality__in=municipalities)
              .select_related("component").order_by("year", "component__number")):
        allocations[(a.run_id, a.municipality_id)].append(a)
    memberships = {m.municipality_id: m.region for m in memberships_on(timezone.localdate())
                   .filter(municipality__in=municipalities).select_related("region")}
    region_totals = defaultdict(dict)
    for run_id, region_id, year, total in (RegionAllocation.objects.filter(
            run__in=list(runs), region__in=[r.pk for r in memberships.values()])
            .values_list("run_id", "region_id", "year").annotate(total=Sum("amount")).order_by("year")):
        region_totals[(run_id, region_id)][year] = total
    granted = _granted(municipalities, [r.pk for r in memberships.values()])
    result = []
    for m in municipalities:
        region = memberships.get(m.pk)
        entries = []
        for period in periods:
            run = runs.get(period.allocation_run_id)
            entry = {"period": period, "run": period.allocation_run, "visible": run is not None, "rows": []}
            entries.append(entry)
            if run is None:
                continue
            years = period.years
            rows = [a for a in allocations.get((run.pk, m.pk), []) if a.year in years]
            by_component = {}
            for a in rows:
                by_component.setdefault(a.component, {})[a.year] = a.amount
            entry.update({
                "years": years,
                "rows": [{"component": c, "cells": [v.get(y) for y in years]} for c, v in by_component.items()],
                "totals": [sum(a.amount for a in rows if a.year == y) for y in years],
                "region_totals": [region_totals[(run.pk, region.pk)].get(y) if region else None for y in years],
                "granted": [granted.get(("m", m.pk, period.regulation, y)) for y in years],
                "region_granted": [granted.get(("r", region.pk, period.regulation, y)) if region else None
                                   for y in years],
            })
            entry["region_granted_any"] = any(t is not None for t in entry["region_granted"])
        result.append({"municipality": m, "region": region, "periods": entries})
    return result


def _visible_to_gemeenten(run) -> bool:
    return run is not None and run.status == AllocationRun.Status.FINISHED and run.is_published


def reports():
    return AllocationReport.objects.select_related("run")


def report_list(run):
    return run.reports.select_related("created_by").order_by("-created_at", "-id")


def runs_for_explanation(municipality):
    """Runs, each with `took_part`: whether `municipality` is in its frozen inputs. The inputs themselves (some
    90 kB of JSON) are left out: only a page whose explanation is not in the cache yet reads them."""
    return (AllocationRun.objects.select_related("budget_version", "distribution_key").defer("input_snapshot")
            .annotate(took_part=HasKey(KeyTransform("statistics", "input_snapshot"), municipality.cbs_code)))

