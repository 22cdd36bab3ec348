"""Maps of the Netherlands per gemeente or per IZA-regio (choropleths), drawn on the server as SVG from the CBS
boundaries (`regions.geo`), like the charts: no JavaScript, no tiles, nothing from elsewhere.

A map is a dashboard `Panel` (`MapPanel`), so it has the same table behind it and the same CSV, XLSX and SVG
downloads. Every gemeente (or regio) on the map is a link with its name and value as its accessible name, so
the map can be walked with the keyboard and read by a screen reader; the legend names the classes and how many
areas each holds, and a short text alternative (`<desc>`) summarises the map."""

from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import mark_safe

from regions import geo
from spukportal.charts import Panel
from spukportal.money import format_number

# ColorBrewer "Blues" (5 classes) for amounts and shares; "RdBu" for more/less than something.
SEQUENTIAL = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
DIVERGING = ["#b2182b", "#ef8a62", "#f7f7f7", "#67a9cf", "#2166ac"]
CATEGORIES = ["#154273", "#39870c", "#e17000", "#ca005d", "#5a2d82", "#007bc7", "#8fcae7", "#673327"]
NO_DATA = "#d4d4d4"
BORDER = "#ffffff"
HIGHLIGHT = "#000000"
FONT = "font-family=\"Arial, 'DejaVu Sans', sans-serif\""
LEGEND_FONT, LEGEND_ROW, PAD = 44, 60, 24


@dataclass
class MapClass:
    label: str
    colour: str


@dataclass
class Area:
    """One gemeente (`codes` = its CBS code) or one IZA-regio (`codes` = its members) on the map."""

    name: str
    codes: list[str]
    value: str  # the value as text, for the accessible name
    cls: int | None  # index into the map's classes; None = no figure
    href: str = ""


@dataclass
class MapPanel(Panel):
    areas: list[Area] = field(default_factory=list)
    classes: list[MapClass] = field(default_factory=list)
    no_data: str = "geen gegevens"
    highlight: list[str] = field(default_factory=list)  # CBS codes whose joint outline is drawn in black
    marked: list[str] = field(default_factory=list)  # CBS codes drawn with a thick border of their own
    per_region: bool = False

    @property
    def has_chart(self):
        return bool(self.areas)

    @property
    def is_map(self):
        return True

    def svg(self, standalone=False) -> str:
        return choropleth(self, standalone=standalone)

    def inline_svg(self):
        return mark_safe(self.svg())

    def counts(self):
        """[(class, number of areas)], the 'no figure' class last when it occurs."""
        n = [0] * len(self.classes)
        missing = 0
        for area in self.areas:
            if area.cls is None:
                missing += 1
            else:
                n[area.cls] += 1
        rows = list(zip(self.classes, n))
        if missing:
            rows.append((MapClass(self.no_data, NO_DATA), missing))
        return rows

    def count_text(self, n):
        if self.per_region:
            return f"{n} regio" + ("'s" if n != 1 else "")
        return f"{n} gemeente" + ("n" if n != 1 else "")

    def text_alternative(self):
        parts = [f"{c.label}: {self.count_text(n)}" for c, n in self.counts()]
        return f"Kaart van Nederland per {'IZA-regio' if self.per_region else 'gemeente'}. " + "; ".join(parts) + "."


def choropleth(panel: MapPanel, *, standalone=False) -> str:
    shapes = geo.shapes()
    counts = panel.counts()
    width = shapes.width + 2 * PAD
    map_h = shapes.height + 2 * PAD
    # The page shows the legend as HTML under the map (readable on a phone); a download carries it inside.
    height = map_h + (PAD + LEGEND_ROW * (len(counts) + 2) + PAD if standalone else 0)
    ident = f"kaart-{panel.key}"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'role="group" aria-labelledby="{ident}-titel" aria-describedby="{ident}-tekst" class="portal-map"'
           + (f' width="{width // 2}" height="{height // 2}"' if standalone else "") + ">",
           f'<title id="{ident}-titel">{escape(panel.title)}</title>',
           f'<desc id="{ident}-tekst">{escape(panel.text_alternative())} De cijfers staan in de tabel bij de kaart.'
           f'</desc>']
    if standalone:
        out.append(f'<rect width="{width}" height="{height}" fill="#ffffff"/>')
    out.append(f'<g transform="translate({PAD} {PAD})" stroke="{BORDER}" stroke-width="1" '
               'stroke-linejoin="round" fill-rule="evenodd">')
    for area in panel.areas:
        colour = NO_DATA if area.cls is None else panel.classes[area.cls].colour
        name = f"{area.name}: {area.value}"
        d = "".join(shapes.paths.get(code, "") for code in area.codes)
        if not d:
            continue
        shape = f'<path d="{d}" fill="{colour}"' + (f' stroke="{colour}"' if panel.per_region else "") + "/>"
        if panel.per_region:
            shape += f'<path d="{shapes.outline(area.codes)}" fill="none"/>'
        if area.href and not standalone:
            out.append(f'<a href={quoteattr(area.href)} aria-label={quoteattr(name)}><title>{escape(name)}</title>'
                       f'{shape}</a>')
        else:
            out.append(f'<g><title>{escape(name)}</title>{shape}</g>')
    if panel.highlight:
        out.append(f'<path d="{shapes.outline(panel.highlight)}" fill="none" stroke="{HIGHLIGHT}" stroke-width="5"/>')
    for code in panel.marked:
        out.append(f'<path d="{shapes.paths.get(code, "")}" fill="none" stroke="{HIGHLIGHT}" stroke-width="3"/>')
    out.append("</g>")
    if standalone:
        out.append(_legend(panel, counts, map_h))
    out.append("</svg>")
    svg = "".join(out)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + svg) if standalone else svg


def _legend(panel, counts, map_h):
    out = []
    y = map_h + PAD
    out.append(f'<g {FONT} font-size="{LEGEND_FONT}" fill="#1a1a1a">'
               f'<text x="{PAD}" y="{y + LEGEND_FONT}" font-weight="bold">Legenda</text>')
    for cls, n in counts:
        y += LEGEND_ROW
        out.append(f'<rect x="{PAD}" y="{y}" width="{LEGEND_FONT * 1.5:.0f}" height="{LEGEND_FONT}" '
                   f'fill="{cls.colour}" stroke="#555555"/>'
                   f'<text x="{PAD + LEGEND_FONT * 2}" y="{y + LEGEND_FONT - 6}">{escape(cls.label)} '
                   f'({panel.count_text(n)})</text>')
    out.append(f'<text x="{PAD}" y="{y + LEGEND_ROW + LEGEND_FONT}" font-size="32">{escape(geo.CREDIT)}</text></g>')
    return "".join(out)


# --- classes ------------------------------------------------------------------------------------------------

def nice_breaks(values, count=5) -> list[Decimal]:
    """`count - 1` class boundaries at the quantiles of `values`, rounded to two significant digits so that the
    legend reads well; duplicates dropped."""
    ordered = sorted(Decimal(v) for v in values if v is not None)
    if not ordered:
        return []
    breaks = []
    for i in range(1, count):
        q = ordered[min(len(ordered) - 1, len(ordered) * i // count)]
        b = _round_2(q)
        if b > ordered[0] and (not breaks or b > breaks[-1]):
            breaks.append(b)
    return breaks


def _round_2(value: Decimal) -> Decimal:
    if value == 0:
        return Decimal(0)
    exponent = value.copy_abs().adjusted() - 1
    step = Decimal(10) ** exponent
    return (value / step).quantize(Decimal(1)) * step


def numeric_classes(breaks, formatter, colours=SEQUENTIAL) -> list[MapClass]:
    """Classes 'below b1', 'b1 to b2', …, 'b_n or more' for the boundaries `breaks`."""
    if not breaks:
        return [MapClass("alle waarden", colours[len(colours) // 2])]
    picked = _spread(colours, len(breaks) + 1)
    labels = [f"minder dan {formatter(breaks[0])}"]
    labels += [f"{formatter(a)} tot {formatter(b)}" for a, b in zip(breaks, breaks[1:])]
    labels.append(f"{formatter(breaks[-1])} of meer")
    return [MapClass(label, colour) for label, colour in zip(labels, picked)]


def class_of(value, breaks) -> int | None:
    if value is None:
        return None
    return sum(1 for b in breaks if Decimal(value) >= b)


def _spread(colours, n):
    if n >= len(colours):
        return colours[:n]
    if n == 1:
        return [colours[len(colours) // 2]]
    return [colours[round(i * (len(colours) - 1) / (n - 1))] for i in range(n)]


def fmt_number(decimals=0, prefix="", suffix=""):
    return lambda v: f"{prefix}{format_number(v, decimals)}{suffix}"
