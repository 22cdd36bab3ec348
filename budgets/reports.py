"""The national allocation report of a run as CSV, XLSX or PDF (bytes). Used by the report task and by
`manage.py export_allocation`."""

from collections import defaultdict
import io

from django.template.loader import render_to_string
from django.utils import timezone

from regions.models import Municipality, Region
from regions.selectors import memberships_on
from spukportal.dates import long_date, year_span
from spukportal.exports import EURO_FORMAT, CsvWriter, XlsxWriter
from spukportal.money import format_decimal, format_euro
from spukportal.pdf import html_to_pdf

from .models import Allocation, Component, RegionAllocation

CSV_COLUMNS = ["cbs_code", "naam", "onderdeel", "jaar", "bedrag"]


def _noop(percent):
    return None


def allocation_rows(run):
    """(cbs_code, naam, onderdeel, jaar, bedrag) per gemeente, component and year; by CBS code."""
    components = {c.pk: c.label for c in Component.objects.all()}
    return [
        (code, name, components[cid], year, amount)
        for code, name, cid, year, amount in Allocation.objects.filter(run=run)
        .order_by("municipality__cbs_code", "component__number", "year")
        .values_list("municipality__cbs_code", "municipality__name", "component_id", "year", "amount")
    ]


def render(run, format, progress=_noop) -> bytes:
    return {"csv": render_csv, "xlsx": render_xlsx, "pdf": render_pdf_report}[format](run, progress)


def render_csv(run, progress=_noop) -> bytes:
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(allocation_rows(run))
    progress(90)
    return out.getvalue().encode("utf-8")


def _inputs(run):
    snapshot = run.input_snapshot or {}
    rows = [("Berekening", run.name), ("Soort", run.get_kind_display()), ("Regeling", run.get_regulation_display()),
            ("Jaren", ", ".join(str(y) for y in run.years))]
    if run.is_computed:
        rows += [
            ("Begrotingsversie", f"{snapshot['budget_version']['name']} ({snapshot['budget_version']['source']})"),
            ("Verdeelsleutel", _with_reference_year(snapshot["key"]["name"], snapshot["key"]["reference_year"])),
            ("Gewichten", "; ".join(f"{snapshot['factor_labels'].get(f, f)}: {format_decimal(w)}"
                                    for f, w in snapshot["weights"].items())),
            ("Vaste bedragen", f"{len(snapshot['fixed'])} (zie de tabel hieronder)" if snapshot["fixed"] else "geen"),
            ("Afronding", "hele euro's, grootste-restmethode, gelijke resten op CBS-code"),
            ("Peildatum regio-indeling", long_date(snapshot["reference_date"])),
            ("Vingerafdruk invoer (SHA-256)", run.input_fingerprint),
        ]
    else:
        rows.append(("Bron", run.source or "–"))
    now = timezone.localtime()
    rows.append(("Gemaakt op", f"{long_date(now)}, {now:%H:%M} uur"))
    return rows


def _with_reference_year(name, year):
    """A key's name with its peiljaar, said once (a name may carry it already: "GALA-sleutel, peiljaar 2023")."""
    return name if f"peiljaar {year}" in name else f"{name} (peiljaar {year})"


def _fixed_amounts(run):
    """The fixed amounts of a computed run as table rows: (gemeente, CBS-code, jaar, bedrag), by name and year."""
    fixed = (run.input_snapshot or {}).get("fixed") or [] if run.is_computed else []
    names = dict(Municipality.objects.filter(cbs_code__in={f["cbs_code"] for f in fixed})
                 .values_list("cbs_code", "name"))
    return [(names.get(f["cbs_code"], f["cbs_code"]), f["cbs_code"], f["year"], format_euro(f["amount"]))
            for f in sorted(fixed, key=lambda f: (names.get(f["cbs_code"], ""), f["year"]))]


def _totals_per_municipality(run):
    per = defaultdict(dict)
    for mid, year, amount in Allocation.objects.filter(run=run).values_list("municipality_id", "year", "amount"):
        per[mid][year] = per[mid].get(year, 0) + amount
    return per


def _region_data(run, years, per, municipalities):
    """Per region: its members (as at the run's reference date, from the snapshot when computed) with their
    totals, and the stored region totals."""
    by_code = {m.cbs_code: m for m in municipalities}
    stored = defaultdict(dict)
    for rid, year, amount in RegionAllocation.objects.filter(run=run).values_list("region_id", "year", "amount"):
        stored[rid][year] = stored[rid].get(year, 0) + amount
    if run.is_computed:
        members = {int(rid): r["members"] for rid, r in run.input_snapshot["regions"].items()}
    else:
        members = defaultdict(list)
        for rid, code in memberships_on(run.reference_date).values_list(
                "region_id", "municipality__cbs_code"):
            members[rid].append(code)
    regions = []
    for region in Region.objects.filter(pk__in=members).order_by("name"):
        rows = [{"municipality": by_code[c], "cells": [per[by_code[c].pk].get(y, 0) for y in years]}
                for c in sorted(members[region.pk], key=lambda c: by_code[c].name)]
        regions.append({"region": region, "rows": rows, "totals": [stored[region.pk].get(y, 0) for y in years]})
    return regions


def render_xlsx(run, progress=_noop) -> bytes:
    years = sorted(run.years)
    wb = XlsxWriter()
    inputs = wb.add_sheet("Invoer", [("Gegeven", 30, None), ("Waarde", 100, None)])
    for label, value in _inputs(run):
        inputs.append([label, value])
    sheet = wb.add_sheet("Toekenningen", [("CBS-code", 11, None), ("Gemeente", 28, None), ("Onderdeel", 60, None),
                                        ("Jaar", 8, None), ("Bedrag", 16, EURO_FORMAT)])
    for row in allocation_rows(run):
        sheet.append(list(row))
    progress(40)
    municipalities = list(Municipality.objects.order_by("province", "name"))
    per = _totals_per_municipality(run)
    sheet = wb.add_sheet("Per gemeente", [("CBS-code", 11, None), ("Gemeente", 28, None), ("Provincie", 16, None),
                                        *[(f"Totaal {y}", 16, EURO_FORMAT) for y in years]])
    for m in municipalities:
        sheet.append([m.cbs_code, m.name, m.province, *[per[m.pk].get(y, 0) for y in years]])
    progress(70)
    sheet = wb.add_sheet("IZA-regio's", [("IZA-regio", 28, None), ("CBS-code", 11, None), ("Gemeente", 28, None),
                                       *[(f"Bedrag {y}", 16, EURO_FORMAT) for y in years]])
    for region in _region_data(run, years, per, municipalities):
        for row in region["rows"]:
            sheet.append([region["region"].name, row["municipality"].cbs_code, row["municipality"].name, *row["cells"]])
        sheet.append([region["region"].name, "", "Totaal regio", *region["totals"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


ISSUER = "Ministerie van Volksgezondheid, Welzijn en Sport"
REPORT_USER_AGENT_CSS = "css/report-ua.css"  # the report's own defaults, in place of WeasyPrint's (spukportal/pdf.py)


def render_pdf_report(run, progress=_noop) -> bytes:
    """The national report as a tagged PDF. Kept fast (benchmarks/bench_reports.py, target < 1 s; nearly all
    of the time is WeasyPrint's work per table cell, so the CBS code is in the gemeente's cell, and the report
    has user-agent defaults of its own, REPORT_USER_AGENT_CSS): one table for all gemeenten (a row group per
    provincie) with a fixed column layout, and the IZA-regio's as one table of region totals with their members
    as text; the amounts per gemeente per regio are in the XLSX."""
    content = html_to_pdf(report_html(run, progress), user_agent=REPORT_USER_AGENT_CSS)
    progress(95)
    return content


def report_html(run, progress=_noop) -> str:
    """The HTML of the national report's PDF."""
    years = sorted(run.years)
    municipalities = list(Municipality.objects.order_by("province", "name"))
    per = _totals_per_municipality(run)
    provinces = []
    for m in municipalities:
        if not provinces or provinces[-1]["name"] != m.province:
            provinces.append({"name": m.province, "rows": [], "totals": [0] * len(years)})
        cells = [per[m.pk].get(y, 0) for y in years]
        provinces[-1]["rows"].append((m.name, m.cbs_code, [format_euro(c) for c in cells]))
        provinces[-1]["totals"] = [a + b for a, b in zip(provinces[-1]["totals"], cells)]
    national = [sum(p["totals"][i] for p in provinces) for i in range(len(years))]
    for p in provinces:
        p["totals"] = [format_euro(t) for t in p["totals"]]
    progress(30)
    regions = [{"name": r["region"].name, "members": ", ".join(row["municipality"].name for row in r["rows"]),
                "count": len(r["rows"]), "totals": [format_euro(t) for t in r["totals"]]}
               for r in _region_data(run, years, per, municipalities)]
    context = {"run": run, "issuer": ISSUER, "years": years, "years_text": year_span(years),
               "today": long_date(timezone.localdate()), "created": long_date(run.created_at),
               "inputs": _inputs(run), "fixed": _fixed_amounts(run), "provinces": provinces, "national": [format_euro(t) for t in national],
               "regions": regions}
    return render_to_string("budgets/report_pdf.html", context)
