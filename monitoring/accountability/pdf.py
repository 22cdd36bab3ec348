"""The SiSa appendix of one report: its rows (shared by the PDF, the CSV and the national XLSX), the PDF
(spukportal.pdf, tagged) and the CSV."""

import io

from django.template.loader import render_to_string
from weasyprint import CSS

from budgets.models import Component
from spukportal.exports import CsvWriter
from spukportal.money import format_euro
from spukportal.pdf import _font_config, html_to_pdf

from . import rules as sisa_rules

CSV_HEADER = ["Verstrekker", "Code", "Regeling", "Ontvanger", "CBS-code", "Jaar", "Versie", "Onderdeel / ontvanger",
              "/01 Besteding (jaar T)", "/02 Zelfstandige uitvoering", "/03 Correctie besteding (jaar T-1)",
              "/04 Cumulatieve besteding", "/05 Eindverantwoording", "Toelichting"]


def filename(report, ext="pdf") -> str:
    return (f"sisa-{report.municipality.cbs_code}-{report.definition.sisa_code.lower()}-{report.year}"
            f"-v{report.version}.{ext}")


def rows(report, components=None) -> list[dict]:
    """[{code, label, expenditure, correction, cumulative}] in SiSa order: the report's lines (H4 per
    component, or H35), then H35B one per receiving gemeente."""
    if components is None:
        components = {c.pk: c for c in Component.objects.filter(pk__in=[line.component_id for line in report.lines.all()
                                                                        if line.component_id])}
    code = report.definition.sisa_code
    out = []
    for line in sorted(report.lines.all(), key=lambda x: (components[x.component_id].number if x.component_id else 0)):
        label = str(components[line.component_id]) if line.component_id else report.definition.legal_name
        out.append({"code": code, "label": label, "expenditure": line.expenditure,
                    "correction": line.correction_previous, "cumulative": line.cumulative})
    for t in sorted(report.transfers.all(), key=lambda x: x.recipient.name):
        out.append({"code": report.definition.sisa_transfer_code, "label": f"{t.recipient.name} ({t.recipient.cbs_code})",
                    "expenditure": t.expenditure, "correction": t.correction_previous, "cumulative": t.cumulative})
    return out


def context(report, components=None, reclaim=None) -> dict:
    return {"report": report, "rows": rows(report, components), "verstrekker": sisa_rules.VERSTREKKER,
            "regeling": report.definition.legal_name, "indicators": sisa_rules.INDICATORS,
            "reclaim": reclaim, "euro": format_euro}


_stylesheet = None


def _css():
    """The appendix's stylesheet, parsed once per process and reused for every PDF of a batch (with the
    process's one font configuration, spukportal.pdf): parsing it per PDF costs a share of each render."""
    global _stylesheet
    if _stylesheet is None:
        _stylesheet = CSS(string=render_to_string("monitoring/sisa/appendix_pdf.css"), font_config=_font_config())
    return _stylesheet


def render(report, *, reclaim, components=None) -> bytes:
    """The tagged PDF (PDF/UA-1) made as every PDF of the portal (spukportal.pdf.html_to_pdf); `reclaim`
    is the terugvordering of a final report (sisa_services.reclaim_of), None otherwise."""
    html = render_to_string("monitoring/sisa/appendix_pdf.html", context(report, components, reclaim))
    return html_to_pdf(html, stylesheets=[_css()])


def csv_row_values(report, row) -> list:
    return [sisa_rules.VERSTREKKER, row["code"], report.definition.legal_name, report.municipality.name,
            report.municipality.cbs_code, report.year, report.version, row["label"], row["expenditure"],
            "Ja" if report.self_executed else "Nee", row["correction"], row["cumulative"],
            "Ja" if report.is_final else "Nee", report.explanation]


def csv_bytes(report) -> bytes:
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(CSV_HEADER)
    for row in rows(report):
        writer.writerow(csv_row_values(report, row))
    return out.getvalue().encode("utf-8")
