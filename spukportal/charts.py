"""Dashboard panels: a table of figures and the chart drawn from it, rendered on the server as SVG (no
JavaScript, no library). The table is the source: the chart shows the same numbers, the page puts the table
right behind the chart for screen readers and people who want the figures, and the table downloads as CSV or
XLSX through the one export writer (spukportal/exports.py)."""

from dataclasses import dataclass, field
from decimal import Decimal
import io
from xml.sax.saxutils import escape

from django.http import Http404, HttpResponse
from django.utils.safestring import mark_safe

from spukportal.exports import CsvWriter, EURO_FORMAT, XlsxWriter
from spukportal.money import format_euro, format_number

TEXT, COUNT, EURO, PERCENT = "text", "count", "euro", "percent"
EURO_CENTS = "euro_cents"  # an amount with cents (e.g. per inhabitant)
# Colours with at least 3:1 contrast against white (WCAG 1.4.11), told apart by the legend and the order too.
PALETTE = ["#154273", "#ca005d", "#39870c", "#e17000", "#5a2d82", "#007bc7", "#673327"]
# Table cells of the NL Design System table (templates/monitoring/dashboards/_panel.html has the head).
ROW_HEADER_CELL = "utrecht-table__header-cell portal-fw-normal"
TEXT_CELL = "utrecht-table__cell"
NUMBER_CELL = "utrecht-table__cell utrecht-table__cell--numeric-column utrecht-table__cell--numeric-data"


@dataclass
class Column:
    header: str
    kind: str = TEXT
    width: int = 16


@dataclass
class Table:
    columns: list[Column]
    rows: list[list] = field(default_factory=list)

    def display_rows(self):
        """[[(text, is_number)]] for the template."""
        return [[(display(value, column.kind), column.kind != TEXT) for value, column in zip(row, self.columns)]
                for row in self.rows]

    def numeric(self):
        return [column.kind != TEXT for column in self.columns]

    def body_html(self):
        """The <tbody> rows, built here rather than in a template loop: a national table has hundreds of cells,
        and this keeps a dashboard well inside its time budget. Every value is escaped."""
        out = []
        for row in self.display_rows():
            cells = [f'<th scope="row" class="{ROW_HEADER_CELL}">{escape(row[0][0])}</th>']
            cells += [f'<td class="{NUMBER_CELL if number else TEXT_CELL}">{escape(text)}</td>'
                      for text, number in row[1:]]
            out.append('<tr class="utrecht-table__row">' + "".join(cells) + "</tr>")
        return mark_safe("\n".join(out))


def display(value, kind):
    if value is None or value == "":
        return "–"
    if kind == EURO:
        return format_euro(value)
    if kind == EURO_CENTS:
        return format_euro(value, 2)
    if kind == COUNT:
        return format_number(value)
    if kind == PERCENT:
        return f"{format_number(value, 1)}%"
    return str(value)


@dataclass
class Panel:
    """One dashboard block: `key` (in URLs), a title, the table, and which of its columns the chart draws
    (`series`: column indexes; the first column holds the category labels)."""

    key: str
    title: str
    table: Table
    series: list[int] = field(default_factory=list)
    description: str = ""
    empty: str = "Er zijn nog geen gegevens."

    @property
    def has_chart(self):
        return bool(self.series and self.table.rows)

    def svg(self, standalone=False) -> str:
        return bar_chart(self, standalone=standalone)

    def inline_svg(self):
        return mark_safe(self.svg())


# --- the SVG ---------------------------------------------------------------------------------------------

# Each group's label on its own line above its bars, so the chart is narrow enough (WIDTH units, drawn 1:1 on a wide
# screen) that a phone of 390 px shrinks it little: its 15-unit text stays at least 11 px high.
WIDTH, VALUE_W, BAR_H, LABEL_H, GAP, PAD = 320, 100, 17, 19, 10, 6
BAR_W = WIDTH - 2 * PAD - VALUE_W
FONT_SIZE = 15
FONT = f"font-family=\"Arial, 'DejaVu Sans', sans-serif\" font-size=\"{FONT_SIZE}\""
CHAR_W = 8.5  # a generous average width of a character at FONT_SIZE (for wrapping the legend)


def _number(value):
    if value is None or value == "":
        return 0
    return float(Decimal(value)) if not isinstance(value, (int, float)) else float(value)


def _legend_lines(headers):
    """[[(index, x)]]: the legend's entries per line (they wrap at the chart's width)."""
    lines, x = [[]], PAD
    for n, header in enumerate(headers):
        size = 22 + CHAR_W * len(header)
        if lines[-1] and x + size > WIDTH - PAD:
            lines.append([])
            x = PAD
        lines[-1].append((n, x))
        x += size
    return lines


def bar_chart(panel: Panel, *, standalone=False) -> str:
    """Horizontal grouped bars: one group per table row (its label above), one bar per series column, the value
    printed beside each bar. Scales with its container (viewBox) up to its own width."""
    table, series = panel.table, panel.series
    kinds = [table.columns[i].kind for i in series]
    peak = max([_number(row[i]) for row in table.rows for i in series] + [0]) or 1
    if all(k == PERCENT for k in kinds):
        peak = max(peak, 100.0) if peak > 50 else peak
    headers = [table.columns[i].header for i in series]
    legend = _legend_lines(headers) if len(series) > 1 else []
    legend_h = 20 * len(legend) + (6 if legend else 0)
    group_h = LABEL_H + len(series) * (BAR_H + 2) + GAP
    height = PAD * 2 + legend_h + group_h * len(table.rows)
    out = []
    xmlns = ' xmlns="http://www.w3.org/2000/svg"'
    title_id = f"grafiek-{panel.key}-titel"
    out.append(f'<svg{xmlns} viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
               f'aria-labelledby="{title_id}" class="dashboard-chart" preserveAspectRatio="xMinYMin meet"'
               + (f' style="max-width:{WIDTH}px"' if not standalone else f' height="{height}"') + '>')
    out.append(f'<title id="{title_id}">{escape(panel.title)} (de cijfers staan in de tabel bij deze grafiek)</title>')
    if standalone:
        out.append(f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>')
    y = PAD
    for line in legend:
        for n, x in line:
            colour = PALETTE[n % len(PALETTE)]
            out.append(f'<rect x="{x}" y="{y + 2}" width="14" height="14" fill="{colour}"/>'
                       f'<text x="{x + 18}" y="{y + 15}" {FONT} fill="#1a1a1a">{escape(headers[n])}</text>')
        y += 20
    y = PAD + legend_h
    for row in table.rows:
        label = str(row[0])
        short = label if len(label) <= 34 else label[:33] + "…"
        out.append(f'<text x="{PAD}" y="{y + LABEL_H - 5}" {FONT} font-weight="bold" fill="#1a1a1a">'
                   f'{escape(short)}</text>')
        y += LABEL_H
        for n, i in enumerate(series):
            value = row[i]
            bar = max(0.0, _number(value)) / peak * BAR_W
            colour = PALETTE[n % len(PALETTE)]
            out.append(f'<rect x="{PAD}" y="{y}" width="{bar:.1f}" height="{BAR_H}" fill="{colour}"/>'
                       f'<text x="{PAD + bar + 4:.1f}" y="{y + BAR_H - 3}" {FONT} fill="#1a1a1a">'
                       f'{escape(display(value, table.columns[i].kind))}</text>')
            y += BAR_H + 2
        y += GAP
    out.append("</svg>")
    svg = "".join(out)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + svg) if standalone else svg


# --- downloads of a table ---------------------------------------------------------------------------------

def table_csv(table: Table) -> bytes:
    """Semicolon-separated (Dutch Excel), UTF-8 with BOM; amounts as whole numbers, percentages with a comma."""
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow([c.header for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_value(v, c.kind) for v, c in zip(row, table.columns)])
    return out.getvalue().encode("utf-8")


def _csv_value(value, kind):
    if value is None:
        return ""
    if kind == PERCENT:
        return format_number(value, 1)
    if kind == EURO_CENTS:
        return format_number(value, 2)
    return value


def table_xlsx(title: str, table: Table) -> bytes:
    writer = XlsxWriter()
    formats = {EURO: EURO_FORMAT, EURO_CENTS: "#,##0.00", COUNT: "#,##0", PERCENT: "0.0"}
    columns = [(c.header, max(c.width, len(c.header) + 2), formats.get(c.kind)) for c in table.columns]
    sheet = writer.add_sheet(_sheet_title(title), columns)
    for row in table.rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    out = io.BytesIO()
    writer.save(out)
    return out.getvalue()


def _sheet_title(title):
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return title[:31]


def panel_download(panel, fmt, name):
    """The response that downloads a panel's table (CSV, XLSX) or chart (SVG) as `<name>-<panel>.<fmt>`."""
    if fmt == "csv":
        response = HttpResponse(table_csv(panel.table), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(table_xlsx(panel.title, panel.table),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    elif fmt == "svg":
        if not panel.has_chart:
            raise Http404("Bij deze tabel hoort geen grafiek.")
        response = HttpResponse(panel.svg(standalone=True), content_type="image/svg+xml; charset=utf-8")
    else:
        raise Http404("Onbekend formaat.")
    response["Content-Disposition"] = f'attachment; filename="{name}-{panel.key}.{fmt}"'
    return response
