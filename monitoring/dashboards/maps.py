"""The maps of the dashboards: what each map shows and how its figures are read. Each builder returns a
`MapPanel` (a choropleth with its table) for the gemeenten (or IZA-regio's) in the filter; a fixed number of
queries per map, whatever the number of gemeenten.

National: one map at a time (`NATIONAL_MAPS`, chosen with ?kaart=), so the page stays light. Region dashboard and
a gemeente's monitoring page: where the region lies, the region outlined and the gemeente marked."""

from collections import defaultdict
from decimal import Decimal, ROUND_HALF_UP

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone

from applications import regulations
from applications.intake.flow import ApplicationState, STATES
from applications.models import Application, MandateDeclaration
from applications.regulations import ApplicantKind
from regions.maps import (Area, CATEGORIES, MapClass, MapPanel, SEQUENTIAL, class_of, fmt_number, nice_breaks,
                          numeric_classes)
from regions.models import MandateHolder, MunicipalityStatistics
from spukportal.charts import COUNT, Column, EURO, EURO_CENTS, PERCENT, TEXT, Table

from ..accountability import selectors as sisa_selectors
from ..chains import selectors as chain_selectors
from ..models import (ASSESSMENT_TARGET_PERCENT, ChainStage, FallPreventionFigures,
                      INTERVENTION_TARGET_PERCENT, percent)
from . import selectors as ds

NATIONAL_MAPS = {
    "kaart-verdeling": "Verdeling per inwoner",
    "kaart-besteding": "Besteding tegenover verdeling (%)",
    "kaart-sisa": "SiSa-verantwoording te laat",
    "kaart-ketenaanpak": "Ketenaanpakken toegankelijk",
    "kaart-valrisico": f"Valrisico-inschattingen tegenover het doel van {ASSESSMENT_TARGET_PERCENT}%",
    "kaart-interventies": f"Erkende interventies tegenover het doel van {INTERVENTION_TARGET_PERCENT}%",
    "kaart-regio-aanvraag": "SPUK IZA-aanvraag per IZA-regio",
    "kaart-regio-verklaringen": "Mandaatverklaringen per IZA-regio",
}
DEFAULT_MAP = "kaart-verdeling"


def _gemeente_table(value_columns):
    return Table([Column("Gemeente", TEXT, 28), Column("CBS-code", TEXT, 10), *value_columns,
                  Column("Klasse op de kaart", TEXT, 30)])


def _hrefs():
    """cbs_code -> the gemeente's monitoring page: the URL reversed once per map, not once per gemeente (342
    reverses were a sixth of the national dashboard's processor time). CBS codes are letters and digits."""
    marker = "GM-CBS-CODE"
    pattern = reverse("monitoring:municipality_monitoring", args=[marker])
    return lambda cbs_code: pattern.replace(marker, cbs_code)


def _gemeente_map(key, title, geo_, filters, values, classes, breaks=None, *, columns, row, describe, description="",
                  classify=None):
    """`values`: {municipality id: figure or None}; `row(m_id)`: the table's value cells; `describe(m_id)`: the
    figure as text for the accessible name; `classify(m_id)`: class index (default: `class_of` on `breaks`)."""
    table = _gemeente_table(columns)
    areas, href = [], _hrefs()
    for m_id in sorted(geo_.selected(filters), key=lambda i: geo_.municipalities[i]["name"]):
        m = geo_.municipalities[m_id]
        cls = classify(m_id) if classify else class_of(values.get(m_id), breaks)
        label = classes[cls].label if cls is not None else "geen gegevens"
        table.rows.append([m["name"], m["cbs_code"], *row(m_id), label])
        areas.append(Area(m["name"], [m["cbs_code"]], describe(m_id), cls, href(m["cbs_code"])))
    return MapPanel(key, f"Kaart: {title}", table, areas=areas, classes=classes, description=description)


def allocation_per_inhabitant_map(filters, geo_, key="kaart-verdeling"):
    runs = ds.allocation_runs(filters.year)
    totals = defaultdict(int)
    for m, _line, amount in ds.allocations(filters.year, filters, runs):
        totals[m] += amount
    reference_year = (MunicipalityStatistics.objects.filter(reference_year__lte=filters.year)
                      .aggregate(y=Max("reference_year"))["y"]) or MunicipalityStatistics.objects.aggregate(
        y=Max("reference_year"))["y"]
    population = dict(MunicipalityStatistics.objects.filter(reference_year=reference_year)
                      .values_list("municipality_id", "population"))
    per_head = {m: (Decimal(totals[m]) / population[m]).quantize(Decimal("0.01"), ROUND_HALF_UP)
                for m in totals if population.get(m)}
    breaks = nice_breaks(per_head.values())
    euro = fmt_number(2, prefix="€ ")
    classes = numeric_classes(breaks, euro)
    return _gemeente_map(
        key, NATIONAL_MAPS[key], geo_, filters, per_head, classes, breaks,
        columns=[Column("Verdeling", EURO), Column(f"Inwoners ({reference_year})", COUNT),
                 Column("Per inwoner", EURO_CENTS)],
        row=lambda m: [totals.get(m), population.get(m), per_head.get(m)],
        describe=lambda m: f"{euro(per_head[m])} per inwoner" if m in per_head else "geen verdeling",
        description=f"Verdeling {filters.year} (de berekening bij de aanvraagperiode"
                    f"{', ' + filters.regulation_label if filters.regulation else ', beide regelingen'}) gedeeld door "
                    f"het aantal inwoners (peiljaar {reference_year}). SPUK IZA telt bij de gemeente waar de "
                    "berekening het bedrag van de regio aan toerekent.")


def spending_map(filters, geo_, key="kaart-besteding"):
    runs = ds.allocation_runs(filters.year)
    allocated, spent = defaultdict(int), defaultdict(int)
    for m, _line, amount in ds.allocations(filters.year, filters, runs):
        allocated[m] += amount
    for m, _line, amount in ds.spending(filters.year, filters):
        spent[m] += amount
    shares = {m: percent(spent.get(m, 0), allocated[m]) for m in allocated if spent.get(m)}
    breaks = [Decimal(25), Decimal(50), Decimal(75), Decimal(100)]
    classes = numeric_classes(breaks, fmt_number(0, suffix="%"))
    return _gemeente_map(
        key, NATIONAL_MAPS[key], geo_, filters, shares, classes, breaks,
        columns=[Column("Verdeling", EURO), Column("Besteding", EURO), Column("Besteed (%)", PERCENT)],
        row=lambda m: [allocated.get(m), spent.get(m), shares.get(m)],
        describe=lambda m: f"{fmt_number(1, suffix='%')(shares[m])} besteed" if m in shares else "nog geen besteding",
        description=f"Besteding {filters.year} (indicator /01 van de ingediende SiSa-verantwoordingen) tegenover de "
                    "verdeling van dat jaar. Geen gegevens: nog geen ingediende verantwoording.")


def late_sisa_map(filters, geo_, key="kaart-sisa", today=None):
    late = {m.pk for m in sisa_selectors.late_reports(year=filters.year, today=today or timezone.localdate())}
    classes = [MapClass("te laat", CATEGORIES[3]), MapClass("niet te laat", SEQUENTIAL[1])]
    return _gemeente_map(
        key, NATIONAL_MAPS[key], geo_, filters, {}, classes,
        columns=[Column("Te laat", TEXT, 10)], row=lambda m: ["ja" if m in late else "nee"],
        describe=lambda m: "te laat met de SiSa-verantwoording" if m in late else "niet te laat",
        classify=lambda m: 0 if m in late else 1,
        description=f"Gemeenten die de SiSa-verantwoording over {filters.year} na de uiterste datum nog niet hebben "
                    "ingediend.")


def chain_map(filters, geo_, key="kaart-ketenaanpak"):
    accessible = defaultdict(int)
    for (m, _approach), stage in chain_selectors.current_stages(None).items():
        if stage == ChainStage.ACCESSIBLE:
            accessible[m] += 1
    classes = [MapClass("geen", SEQUENTIAL[0]), MapClass("1 of 2", SEQUENTIAL[1]), MapClass("3 of 4", SEQUENTIAL[3]),
               MapClass("alle 5", SEQUENTIAL[4])]

    def classify(m):
        n = accessible.get(m, 0)
        return 0 if n == 0 else 1 if n <= 2 else 2 if n <= 4 else 3

    return _gemeente_map(
        key, NATIONAL_MAPS[key], geo_, filters, {}, classes,
        columns=[Column("Toegankelijk (van 5)", COUNT)], row=lambda m: [accessible.get(m, 0)],
        describe=lambda m: f"{accessible.get(m, 0)} van 5 ketenaanpakken toegankelijk", classify=classify,
        description="Het aantal van de vijf ketenaanpakken dat in de gemeente toegankelijk is (de laatst "
                    "vastgelegde stand).")


def fall_prevention_map(filters, geo_, key):
    assessments = key == "kaart-valrisico"
    target = ASSESSMENT_TARGET_PERCENT if assessments else INTERVENTION_TARGET_PERCENT
    figures = {f["municipality_id"]: f for f in FallPreventionFigures.objects.filter(year=filters.year).values(
        "municipality_id", "home_dwelling_65_plus", "assessments", "interventions")}
    field = "assessments" if assessments else "interventions"
    shares = {m: percent(f[field], f["home_dwelling_65_plus"], down=True) for m, f in figures.items()}
    breaks = [Decimal(target) / 2, Decimal(target)]
    pct = fmt_number(1, suffix="%")
    classes = [MapClass(f"minder dan {pct(breaks[0])} (minder dan de helft van het doel)", SEQUENTIAL[0]),
               MapClass(f"{pct(breaks[0])} tot {pct(breaks[1])}", SEQUENTIAL[2]),
               MapClass(f"{pct(breaks[1])} of meer (doel gehaald)", SEQUENTIAL[4])]
    what = "valrisico-inschattingen" if assessments else "erkende interventies"
    return _gemeente_map(
        key, NATIONAL_MAPS[key], geo_, filters, shares, classes, breaks,
        columns=[Column("Thuiswonende 65-plussers", COUNT), Column(what.capitalize(), COUNT),
                 Column("Percentage", PERCENT), Column("Landelijk doel (%)", PERCENT)],
        row=lambda m: [figures[m]["home_dwelling_65_plus"], figures[m][field], shares[m], target]
        if m in figures else [None, None, None, target],
        describe=lambda m: f"{pct(shares[m])} {what} (doel {target}%)" if shares.get(m) is not None
        else "geen cijfers",
        description=f"Valpreventie {filters.year}: {what} als percentage van alle thuiswonende 65-plussers, tegenover "
                    f"het landelijke doel van {target}%. Geen gegevens: de gemeente gaf geen cijfers.")


# --- per IZA-regio -------------------------------------------------------------------------------------------

def _region_members(geo_, filters):
    members = defaultdict(list)
    selected_regions = geo_.regions_selected(filters) if (filters.province or filters.region) else set(geo_.regions)
    for m_id, r_id in geo_.region_of.items():
        if r_id in selected_regions:
            members[r_id].append(geo_.municipalities[m_id]["cbs_code"])
    return members


def _iza_applications(filters):
    """{region id: its current regional application (not withdrawn) in a period covering the year}."""
    current = {}
    by_region = regulations.codes(applicant_kind=ApplicantKind.REGION)
    for a in (Application.objects.filter(regulation__in=by_region, period__first_year__lte=filters.year,
                                         period__last_year__gte=filters.year)
              .exclude(state=ApplicationState.INGETROKKEN).order_by("period__first_year", "pk")
              .values("pk", "region_id", "state")):
        current[a["region_id"]] = a
    return current


def _region_map(key, geo_, members, table, classify, describe, classes, description):
    areas = []
    for r_id in sorted(members, key=lambda r: geo_.regions[r]["name"]):
        region = geo_.regions[r_id]
        cls = classify(r_id)
        table.rows.append([region["name"], *describe(r_id)[1], classes[cls].label])
        areas.append(Area(region["name"], sorted(members[r_id]), describe(r_id)[0], cls,
                          reverse("monitoring:region_dashboard", args=[region["slug"]])))
    return MapPanel(key, f"Kaart: {NATIONAL_MAPS[key]}", table, areas=areas, classes=classes, per_region=True,
                    description=description)


def region_application_map(filters, geo_, key="kaart-regio-aanvraag"):
    members = _region_members(geo_, filters)
    current = _iza_applications(filters)
    states = [code for code in STATES if any(a["state"] == code for a in current.values())]
    classes = [MapClass("geen aanvraag", "#f2f2f2")] + [
        MapClass(STATES[code].label, CATEGORIES[i % len(CATEGORIES)]) for i, code in enumerate(states)]

    def classify(r):
        return states.index(current[r]["state"]) + 1 if r in current else 0

    def describe(r):
        label = STATES[current[r]["state"]].label if r in current else "geen aanvraag"
        return label, [label]

    table = Table([Column("IZA-regio", TEXT, 30), Column("Aanvraag SPUK IZA", TEXT, 30),
                   Column("Klasse op de kaart", TEXT, 30)])
    return _region_map(key, geo_, members, table, classify, describe, classes,
                       f"De status van de SPUK IZA-aanvraag van elke regio in de aanvraagperiode die {filters.year} "
                       "omvat. Een regio is de samenvoeging van de gemeenten die er nu bij horen.")


def region_declarations_map(filters, geo_, key="kaart-regio-verklaringen", today=None):
    members = _region_members(geo_, filters)
    current = _iza_applications(filters)
    received = dict(MandateDeclaration.objects.filter(application_id__in=[a["pk"] for a in current.values()],
                                                      withdrawn_at__isnull=True)
                    .values_list("application__region_id").annotate(n=Count("pk")).order_by())
    holders = set(MandateHolder.objects.valid_on(today).exclude(municipality=None)
                  .values_list("region_id", flat=True))
    needed = {r: len(codes) - (1 if r in holders else 0) for r, codes in members.items()}
    classes = [MapClass("geen aanvraag", "#f2f2f2"), MapClass("minder dan de helft binnen", SEQUENTIAL[1]),
               MapClass("de helft of meer binnen", SEQUENTIAL[2]), MapClass("alle verklaringen binnen", SEQUENTIAL[4])]

    def classify(r):
        if r not in current:
            return 0
        n = received.get(r, 0)
        return 3 if n >= needed[r] else 2 if 2 * n >= needed[r] else 1

    def describe(r):
        if r not in current:
            return "geen aanvraag", [None, needed[r]]
        n = received.get(r, 0)
        return f"{n} van {needed[r]} mandaatverklaringen binnen", [n, needed[r]]

    table = Table([Column("IZA-regio", TEXT, 30), Column("Verklaringen binnen", COUNT),
                   Column("Verklaringen nodig", COUNT), Column("Klasse op de kaart", TEXT, 30)])
    return _region_map(key, geo_, members, table, classify, describe, classes,
                       "Per regio de mandaatverklaringen bij de SPUK IZA-aanvraag: elke gemeente van de regio behalve "
                       "de mandaathouder verklaart.")


def national_map(filters, key, today=None, geo=None) -> MapPanel:
    """`geo`: the Geography of `today` when the caller has it already (the national dashboard's own)."""
    geo_ = geo or ds.Geography(today)
    if key in ("kaart-valrisico", "kaart-interventies"):
        return fall_prevention_map(filters, geo_, key)
    builders = {
        "kaart-verdeling": allocation_per_inhabitant_map, "kaart-besteding": spending_map,
        "kaart-sisa": lambda f, g: late_sisa_map(f, g, today=today), "kaart-ketenaanpak": chain_map,
        "kaart-regio-aanvraag": region_application_map,
        "kaart-regio-verklaringen": lambda f, g: region_declarations_map(f, g, today=today),
    }
    return builders[key](filters, geo_)


# --- where a region lies (region dashboard, gemeente page) ---------------------------------------------------

def region_locator_map(region, *, marked=None, key="kaart", today=None) -> MapPanel:
    """The country with the gemeenten of `region` coloured and outlined together, `marked` (a gemeente) drawn
    with a border of its own. Table: the gemeenten of the region."""
    geo_ = ds.Geography(today)
    population = {}
    latest = MunicipalityStatistics.objects.aggregate(y=Max("reference_year"))["y"]
    for m_id, n in MunicipalityStatistics.objects.filter(reference_year=latest).values_list(
            "municipality_id", "population"):
        population[m_id] = n
    inside = {m for m, r in geo_.region_of.items() if r == region.pk}
    classes = [MapClass(f"IZA-regio {region.name}", CATEGORIES[0]), MapClass("andere regio's", "#e6e6e6")]
    if marked is not None:
        classes.insert(0, MapClass(marked.name, CATEGORIES[2]))
    table = Table([Column("Gemeente", TEXT, 28), Column("CBS-code", TEXT, 10),
                   Column(f"Inwoners ({latest})", COUNT)])
    areas = []
    codes = []
    for m_id, m in sorted(geo_.municipalities.items(), key=lambda item: item[1]["name"]):
        is_marked = marked is not None and m_id == marked.pk
        if m_id in inside:
            codes.append(m["cbs_code"])
            table.rows.append([m["name"], m["cbs_code"], population.get(m_id)])
            cls = 0 if is_marked else (1 if marked is not None else 0)
            href = reverse("regions:municipality_detail", args=[m["cbs_code"]])
            value = "deze gemeente" if is_marked else f"in de IZA-regio {region.name}"
        else:
            cls, href, value = len(classes) - 1, "", "andere IZA-regio"
        areas.append(Area(m["name"], [m["cbs_code"]], value, cls, href))
    return MapPanel(key, f"Kaart: IZA-regio {region.name}", table, areas=areas, classes=classes, highlight=codes,
                    marked=[marked.cbs_code] if marked is not None else [],
                    description=f"Waar de IZA-regio {region.name} ligt: de {len(codes)} gemeenten van de regio, samen "
                                "omlijnd" + (f"; {marked.name} apart omlijnd." if marked is not None else "."))

