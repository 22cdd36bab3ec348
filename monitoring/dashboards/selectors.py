"""Reads of the region and national dashboards. Every dashboard costs a fixed number of queries whatever the
number of gemeenten, regions, applications or reports: each panel is one or two aggregate queries, and the
Python that follows works on their results.

Allocation of a year = the amounts of the allocation run the ministry linked to the application period of that
regulation that covers the year (`ApplicationPeriod.allocation_run`, the run that caps the applications; the
latest such period if more do). Granted and spent of a year come from the grant ledger (budgets.ledger: the
live grants; the spending the submitted SiSa reports booked, /01 of the year plus the next year's /03), per
SiSa line; region-level money (SPUK IZA) counts at the region's mandate holder."""

from collections import defaultdict
from dataclasses import dataclass
import datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from applications import regulations as regulation_defs
from applications.intake.flow import ApplicationState, STATES
from applications.models import (Application, ApplicationPeriod, Assessment, GrantDecision,
                                 MandateDeclaration, PlanSection)
from applications.regulations import ApplicantKind
from budgets.ledger.models import LedgerEntry
from budgets.models import Allocation, AllocationRun, Component, RegionAllocation
from regions.models import MandateHolder, Municipality, Region
from regions.selectors import members_on, memberships_on, regions_of_on
from spukportal.charts import COUNT, Column, EURO, PERCENT, Panel, TEXT, Table
from spukportal.permissions import is_ministry, is_reviewer, officer_municipality_ids

from ..accountability import selectors as sisa_selectors
from ..chains import selectors as chain_selectors
from ..grants import ledger_money, line_key
from ..models import (ASSESSMENT_TARGET_PERCENT, ChainStage, INTERVENTION_TARGET_PERCENT, SpendingLine,
                      SpendingReport, percent)

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]
REGIOPLAN_KEY = "iza-regioplan"


@dataclass
class Filters:
    year: int
    province: str = ""
    region: Region | None = None
    regulation: str = ""

    def as_params(self) -> dict:
        params = {"jaar": self.year}
        if self.province:
            params["provincie"] = self.province
        if self.region:
            params["regio"] = self.region.slug
        if self.regulation:
            params["regeling"] = self.regulation
        return params

    @property
    def regulation_label(self):
        return dict(regulation_defs.choices()).get(self.regulation, "")

    @property
    def regulations(self):
        return [self.regulation] if self.regulation else regulation_defs.codes()


def default_year(today=None):
    """SiSa reports of year T arrive in T+1: the dashboards open on last year."""
    return (today or timezone.localdate()).year - 1


# --- the world of gemeenten and regions (two queries) ------------------------------------------------------

class Geography:
    """Every gemeente (id → name, province), every region and each gemeente's current region: three queries."""

    def __init__(self, date=None):
        self.municipalities = {m["pk"]: m for m in Municipality.objects.values("pk", "name", "cbs_code", "province")}
        self.regions = {r["pk"]: r for r in Region.objects.values("pk", "name", "slug")}
        self.region_of = dict(memberships_on(date or timezone.localdate())
                              .values_list("municipality_id", "region_id"))

    def selected(self, filters: Filters) -> set[int]:
        ids = set(self.municipalities)
        if filters.province:
            ids = {i for i in ids if self.municipalities[i]["province"] == filters.province}
        if filters.region:
            ids = {i for i in ids if self.region_of.get(i) == filters.region.pk}
        return ids

    def regions_selected(self, filters: Filters) -> set[int]:
        return {self.region_of[i] for i in self.selected(filters) if i in self.region_of}


def allocation_runs(year) -> dict[str, int]:
    """{regulation: run id} of the run that holds the allocation of `year` (one query)."""
    runs = {}
    for period in (ApplicationPeriod.objects.filter(first_year__lte=year, last_year__gte=year,
                                                    allocation_run__status=AllocationRun.Status.FINISHED)
                   .order_by("first_year", "pk").values("regulation", "allocation_run_id")):
        runs[period["regulation"]] = period["allocation_run_id"]  # the latest period wins
    return runs


def allocations(year, filters: Filters, runs) -> list[tuple]:
    """[(municipality_id, line, amount)] of `year` in the given runs, one query per regulation. `line` is the SiSa
    line the amount is accounted on: (regulation, component id) for the brede SPUK up to 2024, (regulation, None)
    for the one line of the brede SPUK from 2025 and for the SPUK IZA (`monitoring.grants.line_key`)."""
    result = []
    for regulation in filters.regulations:
        if regulation not in runs:
            continue
        amounts = Allocation.objects.filter(run_id=runs[regulation], year=year)
        if line_key(regulation, year, 0) is None:  # one line for the regulation: summed per gemeente in the query
            result += [(m, (regulation, None), total) for m, total in
                       amounts.values_list("municipality_id").annotate(total=Sum("amount")).order_by()]
        else:
            result += [(m, (regulation, c), total) for m, c, total in
                       amounts.values_list("municipality_id", "component_id").annotate(total=Sum("amount")).order_by()]
    return result


def spending(year, filters: Filters) -> list[tuple]:
    """[(municipality_id, line, amount)]: what the ledger holds as spent in `year`, per SiSa line (see
    `allocations`); region-level money (IZA) at the region's mandate holder."""
    return ledger_money(year, filters.regulations, LedgerEntry.Kind.SPENT)


# --- national dashboard ----------------------------------------------------------------------------------

def _application_filter(filters: Filters, geo: Geography) -> Q:
    q = Q(period__first_year__lte=filters.year, period__last_year__gte=filters.year)
    if filters.regulation:
        q &= Q(regulation=filters.regulation)
    if filters.province or filters.region:
        q &= Q(municipality_id__in=list(geo.selected(filters))) | Q(region_id__in=list(geo.regions_selected(filters)))
    return q


def applications_panel(filters, geo) -> Panel:
    counts = defaultdict(int)
    for regulation, state, n in (Application.objects.filter(_application_filter(filters, geo))
                                 .values_list("regulation", "state").annotate(n=Count("pk")).order_by()):
        counts[(regulation, state)] = n
    regulations = filters.regulations
    labels = dict(regulation_defs.choices())
    table = Table([Column("Status", TEXT, 28)] + [Column(labels[r], COUNT) for r in regulations])
    for code, state in STATES.items():
        row = [state.label] + [counts[(r, code)] for r in regulations]
        if any(row[1:]) or code not in (ApplicationState.INGETROKKEN,):
            table.rows.append(row)
    return Panel("aanvragen", "Aanvragen per status", table, series=list(range(1, len(regulations) + 1)),
                 description=f"Aanvragen in aanvraagperiodes die {filters.year} omvatten.")


def advice_and_decisions_panel(filters, geo, today=None) -> Panel:
    """The months of the year the filter chooses (like the other panels): January to December, of the current
    year up to this month."""
    today = today or timezone.localdate()
    year = int(filters.year)
    months = [(year, m) for m in range(1, (today.month if year == today.year else 12) + 1)]
    if year > today.year:
        months = []
    start = datetime.date(year, 1, 1)
    app_q = _application_filter(filters, geo)
    apps = Application.objects.filter(app_q)
    advice = {(y, m): n for y, m, n in Assessment.objects.filter(
        status=Assessment.Status.FINAL, finalized_at__date__gte=start, application__in=apps).annotate(
        y=ExtractYear("finalized_at"), m=ExtractMonth("finalized_at")).values_list("y", "m").annotate(
        n=Count("pk")).order_by()}
    decisions = {(y, m): n for y, m, n in GrantDecision.objects.filter(
        decided_on__gte=start, application__in=apps).annotate(
        y=ExtractYear("decided_on"), m=ExtractMonth("decided_on")).values_list("y", "m").annotate(
        n=Count("pk")).order_by()}
    table = Table([Column("Maand", TEXT), Column("Definitieve adviezen", COUNT), Column("Beschikkingen", COUNT)])
    for y, month in months:
        table.rows.append([f"{MONTHS[month - 1]} {y}", advice.get((y, month), 0), decisions.get((y, month), 0)])
    return Panel("advies-besluiten", "Adviezen en beschikkingen per maand", table, series=[1, 2],
                 description=f"De maanden van {year}: definitieve adviezen van de kerngroep (datum definitief) en "
                             "beschikkingen (datum beschikking).", empty=f"{year} is nog niet begonnen.")


def _in_selection(queryset, field, filters, geo):
    """Narrow to the selected gemeenten only when a province or region is chosen (no IN list of all 342)."""
    if filters.province or filters.region:
        return queryset.filter(**{f"{field}__in": list(geo.selected(filters))})
    return queryset


def _spending_tables(filters, geo):
    """The three 'besteding tegenover verdeling' panels. Four aggregate queries (allocation and spending, each
    per SiSa line and per gemeente) and one for the component names; the database sums, Python groups the
    342 per-gemeente sums by province and region."""
    year = filters.year
    runs = allocation_runs(year)
    run_ids = [runs[r] for r in filters.regulations if r in runs]
    alloc = _in_selection(Allocation.objects.filter(run_id__in=run_ids, year=year), "municipality_id", filters, geo)
    selected = geo.selected(filters) if (filters.province or filters.region) else None
    lines = defaultdict(lambda: [0, 0, 0])  # allocation, granted, spent
    regulation_of_run = {run_id: regulation for regulation, run_id in runs.items()}
    for c, run_id, total in alloc.values_list("component_id", "run_id").annotate(total=Sum("amount")).order_by():
        regulation = regulation_of_run[run_id]
        lines[(regulation, line_key(regulation, year, c))][0] += total
    per_m = defaultdict(lambda: [0, 0, 0])
    for m, total in alloc.values_list("municipality_id").annotate(total=Sum("amount")).order_by():
        per_m[m][0] += total
    for index, kind in ((1, LedgerEntry.Kind.GRANTED), (2, LedgerEntry.Kind.SPENT)):
        for m, line, total in ledger_money(year, filters.regulations, kind):
            if selected is None or m in selected:
                lines[line][index] += total
                per_m[m][index] += total
    components = {c.pk: c for c in Component.objects.filter(pk__in={c for _, c in lines if c})}

    labels = dict(regulation_defs.choices())
    names = {(comp.regulation, c): f"{labels[comp.regulation]}: {comp.label}" for c, comp in components.items()}
    for d in regulation_defs.all_definitions():
        names[(d.code, None)] = d.one_line_name or d.label
    per_component = {names.get(k, "Onbekend onderdeel"): v for k, v in lines.items()}
    per_province, per_region = defaultdict(lambda: [0, 0, 0]), defaultdict(lambda: [0, 0, 0])
    for m, amounts in per_m.items():
        province = geo.municipalities[m]["province"]
        region = geo.regions.get(geo.region_of.get(m), {}).get("name", "Geen IZA-regio")
        for totals, key in ((per_province, province), (per_region, region)):
            for i, amount in enumerate(amounts):
                totals[key][i] += amount

    def table(first, totals):
        t = Table([Column(first, TEXT, 30), Column("Verdeling", EURO, 16), Column("Toegekend", EURO, 16),
                   Column("Besteding", EURO, 16), Column("Besteed (%)", PERCENT, 12)])
        for k in sorted(totals):
            allocated, granted, used = totals[k]
            t.rows.append([k, allocated, granted, used, _share(used, allocated)])
        return t

    note = (f"Verdeling {year}: de berekening bij de aanvraagperiode; toegekend en besteding {year}: het grootboek "
            "(de lopende beschikkingen; de besteding uit de ingediende SiSa-verantwoordingen). SPUK IZA telt bij de "
            "mandaathouder van de regio.")
    return [
        Panel("besteding-onderdeel", "Besteding tegenover verdeling per onderdeel", table("Onderdeel", per_component),
              series=[1, 2, 3], description=note),
        Panel("besteding-provincie", "Besteding tegenover verdeling per provincie", table("Provincie", per_province),
              series=[1, 2, 3], description=note),
        Panel("besteding-regio", "Besteding tegenover verdeling per IZA-regio", table("IZA-regio", per_region),
              series=[1, 2, 3], description=note),
    ]


def _share(part, whole):
    return percent(part, whole)


def coverage_panel(municipality_ids, *, title="Dekking ketenaanpakken", everyone=False) -> Panel:
    data = chain_selectors.coverage(municipality_ids, everyone=everyone)
    table = Table([Column("Ketenaanpak", TEXT, 24)] + [Column(label, COUNT) for _, label in data["stages"]]
                  + [Column("Toegankelijk (%)", PERCENT)])
    for row in data["rows"]:
        table.rows.append([row["label"], *row["cells"], _share(row["accessible"], data["total"])])
    return Panel("ketenaanpak", title, table, series=list(range(1, len(ChainStage.values) + 1)),
                 description=f"Stand per ketenaanpak van {data['total']} gemeenten; een gemeente die niets "
                             "vastlegde telt als ‘niet gestart’.")


def fall_prevention_panel(municipality_ids, year, *, everyone=False) -> Panel:
    totals = chain_selectors.fall_prevention_totals(municipality_ids, year, everyone=everyone)
    table = Table([Column("Maat", TEXT, 34), Column("Bereikt (%)", PERCENT), Column("Landelijk doel (%)", PERCENT)])
    table.rows.append(["Valrisico-inschatting (van alle thuiswonende 65-plussers)",
                       percent(totals["assessments"], totals["population"], down=True), ASSESSMENT_TARGET_PERCENT])
    table.rows.append(["Erkende interventie (van alle thuiswonende 65-plussers)",
                       percent(totals["interventions"], totals["population"], down=True), INTERVENTION_TARGET_PERCENT])
    return Panel("valpreventie", f"Valpreventie {year} tegenover de landelijke doelen", table, series=[1, 2],
                 description=f"{totals['reported']} gemeenten gaven cijfers over {year}; samen "
                             f"{totals['population']:,} thuiswonende 65-plussers.".replace(",", "."))


def regions_without_mandate_panel(filters, geo, today=None) -> Panel:
    with_holder = set(MandateHolder.objects.valid_on(today).values_list("region_id", flat=True))
    wanted = geo.regions_selected(filters) if (filters.province or filters.region) else set(geo.regions)
    table = Table([Column("IZA-regio", TEXT, 34), Column("Gemeenten", COUNT)])
    members = defaultdict(int)
    for m, r in geo.region_of.items():
        members[r] += 1
    for r_id in sorted(wanted - with_holder, key=lambda r: geo.regions[r]["name"]):
        table.rows.append([geo.regions[r_id]["name"], members[r_id]])
    return Panel("zonder-mandaathouder", "IZA-regio's zonder mandaathouder", table,
                 empty="Elke IZA-regio heeft een mandaathouder.")


def late_sisa_panel(filters, geo, today=None) -> Panel:
    selected = geo.selected(filters)
    late = sisa_selectors.late_reports(year=filters.year, today=today or timezone.localdate())
    table = Table([Column("Gemeente", TEXT, 30), Column("Provincie", TEXT, 16), Column("IZA-regio", TEXT, 30)])
    for m_id in sorted({_municipality_id(x) for x in late} & selected, key=lambda i: geo.municipalities[i]["name"]):
        m = geo.municipalities[m_id]
        table.rows.append([m["name"], m["province"], geo.regions.get(geo.region_of.get(m_id), {}).get("name", "–")])
    return Panel("sisa-te-laat", f"Gemeenten te laat met de SiSa-verantwoording over {filters.year}", table,
                 empty=f"Geen gemeente is te laat met de verantwoording over {filters.year}.")


def _municipality_id(item):
    if isinstance(item, int):
        return item
    return getattr(item, "municipality_id", None) or getattr(item, "pk", None)


NATIONAL_PANELS = ["aanvragen", "advies-besluiten", "besteding", "ketenaanpak", "valpreventie",
                   "zonder-mandaathouder", "sisa-te-laat"]


def national_dashboard(filters: Filters, today=None, only=None, geo=None) -> dict:
    """Every panel of the national dashboard, or `only` the one a download asks for (its key). `geo`: the
    Geography of `today` when the caller has it already (the page's map reads the same)."""
    geo = geo or Geography(today)
    selected = geo.selected(filters)
    everyone = not (filters.province or filters.region)
    builders = {
        "aanvragen": lambda: [applications_panel(filters, geo)],
        "advies-besluiten": lambda: [advice_and_decisions_panel(filters, geo)],
        "besteding": lambda: _spending_tables(filters, geo),
        "ketenaanpak": lambda: [coverage_panel(selected, everyone=everyone)],
        "valpreventie": lambda: [fall_prevention_panel(selected, filters.year, everyone=everyone)],
        "zonder-mandaathouder": lambda: [regions_without_mandate_panel(filters, geo, today)],
        "sisa-te-laat": lambda: [late_sisa_panel(filters, geo, today)],
    }
    if only is not None:
        wanted = ["besteding"] if only.startswith("besteding-") else [only]
        wanted = [k for k in wanted if k in builders]
    else:
        wanted = NATIONAL_PANELS
    panels = [panel for key in wanted for panel in builders[key]()]
    return {"panels": panels, "municipality_count": len(selected), "filters_conflict": filters_conflict(filters, geo)}


def filters_conflict(filters: Filters, geo: Geography) -> str:
    """Why a province and a region chosen together select no gemeente (they do not overlap); empty otherwise."""
    if not (filters.province and filters.region) or geo.selected(filters):
        return ""
    provinces = sorted({geo.municipalities[i]["province"] for i, r in geo.region_of.items()
                        if r == filters.region.pk and i in geo.municipalities})
    where = " en ".join(provinces) or "geen provincie"
    return (f"De filters sluiten elkaar uit: IZA-regio {filters.region.name} ligt in {where}, niet in "
            f"{filters.province}. Kies de regio of de provincie, of wis een van beide.")


# --- region dashboard ------------------------------------------------------------------------------------

def region_dashboard(region, filters: Filters, today=None) -> dict:
    today = today or timezone.localdate()
    members = list(members_on(region, today).values("pk", "name", "cbs_code"))
    member_ids = [m["pk"] for m in members]
    holders = list(MandateHolder.objects.filter(region=region).select_related("municipality").order_by("-valid_from"))
    current = next((h for h in holders if h.valid_from <= today and (h.valid_until is None or h.valid_until >= today)),
                   None)
    applications = list(Application.objects.filter(region=region, regulation__in=_region_regulations())
                        .select_related("period", "decision").order_by("-period__first_year", "-pk"))
    application = next((a for a in applications if a.state != ApplicationState.INGETROKKEN), None)
    declared, regioplan = {}, False
    if application is not None:
        declared = {d.municipality_id: d for d in MandateDeclaration.objects.filter(
            application=application, withdrawn_at__isnull=True)}
        regioplan = PlanSection.objects.filter(application=application, key=REGIOPLAN_KEY).exclude(text="").exists()
    if application is not None:  # who must declare is fixed on the period's opening day, as on the application
        needed = [{"pk": m.pk, "name": m.name, "cbs_code": m.cbs_code}
                  for m in application.applicant.declaring_members]
    else:  # no application yet: today's members but the mandate holder
        needed = [m for m in members if m["pk"] != (current.municipality_id if current else None)]
    declarations = [{"municipality": m, "declaration": declared.get(m["pk"])} for m in needed]

    declaration_table = Table([Column("Gemeente", TEXT, 28), Column("Mandaatverklaring", TEXT, 30)])
    for d in declarations:
        declaration = d["declaration"]
        declaration_table.rows.append([d["municipality"]["name"], f"Ondertekend op {_d(declaration.signed_on)}"
                                       if declaration else "Ontbreekt"])

    mandate_table = Table([Column("Mandaathouder", TEXT, 30), Column("Vanaf", TEXT), Column("Tot en met", TEXT),
                           Column("Bekendgemaakt op", TEXT)])
    for h in holders:
        mandate_table.rows.append([h.holder_name, _d(h.valid_from), _d(h.valid_until) if h.valid_until else "nu",
                                   _d(h.announced_on)])

    money = Table([Column("Jaar", TEXT), Column("Verdeling", EURO), Column("Toegekend", EURO),
                   Column("Besteding", EURO), Column("Besteed (%)", PERCENT)])
    years = _region_years(applications, filters.year)
    region_alloc = _region_allocation(region, years)
    granted, spent = _region_ledger(region, years)
    for y in years:
        money.rows.append([str(y), region_alloc.get(y, 0), granted.get(y, 0), spent.get(y, 0),
                           _share(spent.get(y, 0), region_alloc.get(y, 0))])

    return {
        "members": members, "current_holder": current, "holders": holders, "application": application,
        "applications": applications, "declarations": declarations,
        "declarations_complete": application is not None and all(d["declaration"] for d in declarations),
        "declared_count": sum(1 for d in declarations if d["declaration"]),
        "regioplan": regioplan,
        "panels": [
            Panel("verklaringen", "Mandaatverklaringen per gemeente", declaration_table,
                  description=("Voor de IZA-aanvraag " + application.period.name + "; de mandaathouder zelf "
                               "verklaart niet.") if application else "",
                  empty="Er is nog geen IZA-aanvraag, dus ook geen mandaatverklaringen."),
            Panel("mandaat", "Mandaathouders van de regio", mandate_table,
                  empty="Voor deze regio is nog geen mandaathouder bekendgemaakt."),
            Panel("verdeling-besteding", "Verdeling en besteding SPUK IZA per jaar", money, series=[1, 2, 3],
                  description="Verdeling: het regiototaal van de berekening bij de aanvraagperiode; toegekend en "
                              "besteding: het grootboek (de lopende beschikking van de regio; de besteding uit de "
                              "ingediende SiSa-verantwoordingen van de mandaathouder)."),
            coverage_panel(member_ids, title="Dekking ketenaanpakken in de regio"),
            fall_prevention_panel(member_ids, filters.year),
        ],
    }


def _region_regulations() -> list[str]:
    """The regulations a region applies for (the SPUK IZA)."""
    return regulation_defs.codes(applicant_kind=ApplicantKind.REGION)


def _d(date):
    return date.strftime("%d-%m-%Y") if date else ""


def _region_years(applications, year):
    period = applications[0].period if applications else None
    if period is not None:
        return period.years
    return [year]


def _region_allocation(region, years) -> dict[int, int]:
    totals = defaultdict(int)
    runs = {}
    for period in (ApplicationPeriod.objects.filter(regulation__in=_region_regulations(),
                                                    allocation_run__status=AllocationRun.Status.FINISHED)
                   .order_by("first_year", "pk").values("first_year", "last_year", "allocation_run_id")):
        for y in range(period["first_year"], period["last_year"] + 1):
            runs[y] = period["allocation_run_id"]
    wanted = Q()
    for y in years:
        if y in runs:
            wanted |= Q(run_id=runs[y], year=y)
    if not wanted:
        return {}
    for year, amount in (RegionAllocation.objects.filter(region=region).filter(wanted)
                         .values_list("year").annotate(total=Sum("amount")).order_by()):
        totals[year] += amount
    return dict(totals)


def _region_ledger(region, years) -> tuple[dict, dict]:
    """({year: granted}, {year: spent}) of the region's SPUK IZA in the grant ledger, one query."""
    granted, spent = defaultdict(int), defaultdict(int)
    for year, kind, total in (LedgerEntry.objects.filter(region=region, year__in=list(years),
                                                         regulation__in=_region_regulations(),
                                                         kind__in=[LedgerEntry.Kind.GRANTED, LedgerEntry.Kind.SPENT])
                              .values_list("year", "kind").annotate(total=Sum("amount")).order_by()):
        (granted if kind == LedgerEntry.Kind.GRANTED else spent)[year] += total
    return dict(granted), dict(spent)


def regions_for_user(user):
    """The regions whose dashboard this user may open (for the index and the links)."""
    if is_ministry(user) or is_reviewer(user):
        return Region.objects.order_by("name")
    return Region.objects.filter(pk__in=regions_of_on(list(officer_municipality_ids(user)),
                                                      timezone.localdate())).order_by("name")


def years_choice():
    today = timezone.localdate()
    return list(range(today.year, 2022, -1))
