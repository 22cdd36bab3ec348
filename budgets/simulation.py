"""The ministry's "what if": a draft verdeelsleutel (weights, reference year, fixed amounts) and budget changes,
computed before anything is stored, by the same code as a run (`services.build_run_inputs` then
`run_inputs.compute`), so the amounts are exactly those a run of the same inputs stores. Nothing is written
here; saving a draft as a new key (and budget version) and starting the run is `services.simulation_save`."""

from dataclasses import dataclass, field
import datetime
from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse

from regions.maps import (Area, DIVERGING, MapClass, MapPanel, class_of, fmt_number, nice_breaks,
                          numeric_classes)
from regions.models import Municipality, MunicipalityStatistics, Region
from spukportal.charts import Column, EURO, EURO_CENTS, PERCENT, Panel, TEXT, Table

from . import run_inputs
from .models import Allocation
from .services import build_run_inputs


@dataclass
class Draft:
    regulation: str
    years: list[int]
    budget_version: object
    key: object  # services.KeyInputs
    line_amounts: dict = field(default_factory=dict)  # {(component_id, year): euros}
    reference_date: datetime.date | None = None

    @property
    def date(self):
        return self.reference_date or datetime.date(min(self.years), 1, 1)


def compute(draft: Draft) -> tuple[dict, run_inputs.Result]:
    """The snapshot a run of this draft would freeze, and its result. Raises ValidationError (Dutch)."""
    snapshot = build_run_inputs(regulation=draft.regulation, years=draft.years, budget_version=draft.budget_version,
                                key=draft.key, reference_date=draft.date, line_amounts=draft.line_amounts)
    return snapshot, run_inputs.compute(snapshot)


def per_municipality(result: run_inputs.Result, year) -> dict[str, int]:
    """{cbs_code: Σ over the year's budget lines}."""
    totals = {}
    for (_component_id, line_year), amounts in result.amounts.items():
        if line_year == year:
            for code, amount in amounts.items():
                totals[code] = totals.get(code, 0) + amount
    return totals


def run_per_municipality(run, year) -> dict[str, int]:
    """{cbs_code: Σ amounts of `run` in `year`}, one query."""
    return dict(Allocation.objects.filter(run=run, year=year).values_list("municipality__cbs_code")
                .annotate(total=Sum("amount")).order_by())


def _pct(diff, base):
    if not base:
        return None
    return (Decimal(diff) * 100 / Decimal(base)).quantize(Decimal("0.01"))


def outcome(draft: Draft, *, year, compare_run=None, top=10) -> dict:
    """Everything the simulation page shows for one year: per gemeente and per region the simulated amount, the
    amount of `compare_run` (a run or an official table), the difference in euros and percent, and the largest
    winners and losers."""
    snapshot, result = compute(draft)
    simulated = per_municipality(result, year)
    base = run_per_municipality(compare_run, year) if compare_run is not None else {}
    municipalities = {m.cbs_code: m for m in Municipality.objects.all()}
    population = dict(MunicipalityStatistics.objects.filter(reference_year=draft.key.reference_year)
                      .values_list("municipality__cbs_code", "population"))
    region_of = {code: int(region_id) for region_id, region in snapshot["regions"].items()
                 for code in region["members"]}
    regions = {r.pk: r for r in Region.objects.all()}
    rows = []
    for code in sorted(simulated, key=lambda c: municipalities[c].name):
        amount = simulated[code]
        before = base.get(code) if compare_run is not None else None
        diff = amount - before if before is not None else None
        rows.append({"municipality": municipalities[code], "region": regions.get(region_of.get(code)),
                     "amount": amount, "before": before, "diff": diff,
                     "pct": _pct(diff, before) if diff is not None else None,
                     "population": population.get(code)})
    region_rows = {}
    for row in rows:
        region = row["region"]
        if region is None:
            continue
        r = region_rows.setdefault(region.pk, {"region": region, "amount": 0, "before": 0, "members": []})
        r["amount"] += row["amount"]
        r["before"] += row["before"] or 0
        r["members"].append(row["municipality"].cbs_code)
    region_list = sorted(region_rows.values(), key=lambda r: r["region"].name)
    for r in region_list:
        r["diff"] = r["amount"] - r["before"] if compare_run is not None else None
        r["pct"] = _pct(r["diff"], r["before"]) if compare_run is not None else None
    changed = [r for r in rows if r["diff"]]
    return {
        "snapshot": snapshot, "result": result, "year": year, "rows": rows, "regions": region_list,
        "total": sum(simulated.values()), "total_before": sum(base.values()) if compare_run is not None else None,
        "winners": sorted((r for r in changed if r["diff"] > 0), key=lambda r: (-r["diff"], r["municipality"].cbs_code))[:top],
        "losers": sorted((r for r in changed if r["diff"] < 0), key=lambda r: (r["diff"], r["municipality"].cbs_code))[:top],
        "compare_run": compare_run,
    }


# --- the page's panels (map and tables with their downloads, like the dashboards) ----------------------------

DIFF_BREAKS = [Decimal(-5), Decimal(-1), Decimal(1), Decimal(5)]


def panels(result: dict) -> list:
    compared = result["compare_run"] is not None
    year = result["year"]
    if compared:
        classes = [MapClass("5% of meer minder", DIVERGING[0]), MapClass("1 tot 5% minder", DIVERGING[1]),
                   MapClass("minder dan 1% verschil", DIVERGING[2]), MapClass("1 tot 5% meer", DIVERGING[3]),
                   MapClass("5% of meer meer", DIVERGING[4])]
        breaks = DIFF_BREAKS
        value = {r["municipality"].cbs_code: r["pct"] for r in result["rows"]}
        title = f"Kaart: verschil {year} met {result['compare_run']} (%)"
    else:
        value = {r["municipality"].cbs_code: (Decimal(r["amount"]) / r["population"]).quantize(Decimal("0.01"))
                 for r in result["rows"] if r["population"]}
        breaks = nice_breaks(value.values())
        classes = numeric_classes(breaks, fmt_number(2, prefix="€ "))
        title = f"Kaart: gesimuleerd bedrag {year} per inwoner"
    table = Table([Column("Gemeente", TEXT, 28), Column("CBS-code", TEXT, 10), Column("IZA-regio", TEXT, 28),
                   Column("Simulatie", EURO), Column("Vergelijking", EURO), Column("Verschil", EURO),
                   Column("Verschil (%)", PERCENT), Column("Per inwoner", EURO_CENTS), Column("Klasse op de kaart", TEXT, 28)])
    areas = []
    for r in result["rows"]:
        m = r["municipality"]
        cls = class_of(value.get(m.cbs_code), breaks)
        per_head = (Decimal(r["amount"]) / r["population"]).quantize(Decimal("0.01")) if r["population"] else None
        table.rows.append([m.name, m.cbs_code, r["region"].name if r["region"] else "", r["amount"], r["before"],
                           r["diff"], r["pct"], per_head, classes[cls].label if cls is not None else "geen gegevens"])
        if compared:
            text = (f"€ {fmt_number()(r['amount'])}, verschil {'+' if (r['diff'] or 0) > 0 else ''}"
                    f"€ {fmt_number()(r['diff'])} ({fmt_number(2, suffix='%')(r['pct'])})" if r["pct"] is not None
                    else f"€ {fmt_number()(r['amount'])}, geen vergelijking")
        else:
            text = f"€ {fmt_number()(r['amount'])}"
        areas.append(Area(m.name, [m.cbs_code], text, cls, reverse("regions:municipality_detail", args=[m.cbs_code])))
    map_panel = MapPanel("kaart", title, table, areas=areas, classes=classes,
                         description="Verschil = simulatie − vergelijking; procent ten opzichte van de vergelijking."
                         if compared else "Het gesimuleerde bedrag gedeeld door het aantal inwoners (peiljaar van de "
                                          "sleutel).")
    regions = Table([Column("IZA-regio", TEXT, 30), Column("Simulatie", EURO), Column("Vergelijking", EURO),
                     Column("Verschil", EURO), Column("Verschil (%)", PERCENT)])
    for r in result["regions"]:
        regions.rows.append([r["region"].name, r["amount"], r["before"] if compared else None, r["diff"], r["pct"]])
    return [map_panel, Panel("regios", f"Per IZA-regio {year}", regions)]
