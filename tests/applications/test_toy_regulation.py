"""Acceptance test of the regulation seam: a third regulation, defined and registered here and nowhere else,
goes start → submit → review → decision → SiSa → dashboard. Registering the definition is the only step;
every page and service on the way asks the definition (no module names one regulation)."""

import datetime

import pytest

from applications import regulations
from applications.decisions import services as decision_services, decide as decisions
from applications.regulations import ApplicantKind, BredeSpuk
from budgets.models import Allocation, AllocationRun, Component, Theme
from monitoring import grants
from monitoring.dashboards import selectors as dashboard_selectors
from monitoring.accountability import services as sisa_services
from tests.applications import factories as f

pytestmark = pytest.mark.django_db

TOY = "proefregeling"
DAY = datetime.date(2025, 3, 10)


class ToyRegulation(BredeSpuk):
    """A gemeente applies per component; one budget line from 2026; no carry-over; its own SiSa code."""

    code = TOY
    label = "Proefregeling"
    label_in_sentence = "proefregeling"
    legal_name = "Regeling specifieke uitkering proefprojecten 2024–2026"
    agreement = "het Proefakkoord van 1 januari 2024"
    applicant_kind = ApplicantKind.MUNICIPALITY
    first_year, last_year = 2024, 2026
    one_line_from_year = 2026
    reference_prefix = "PR"
    sisa_code = "X9"
    sisa_codes_source = "testregeling"
    carry_over_year = None
    mandatory_hint = ""
    one_line_name = "Proefregeling (één regel)"


@pytest.fixture
def toy():
    regulations.register(ToyRegulation())
    yield regulations.definition(TOY)
    regulations.unregister(TOY)


def _toy_period():
    theme = Theme.objects.first()
    parts = [Component.objects.create(regulation=TOY, number=n, name=name, theme=theme)
             for n, name in [(1, "Proef met buurtsport"), (2, "Proef met valpreventie")]]
    total = Component.objects.create(regulation=TOY, number=0, name="Proefregeling (één regel)", theme=theme,
                                     is_total=True)
    run = AllocationRun.objects.create(name="Proefverdeling", regulation=TOY, years=list(f.YEARS),
                                       status=AllocationRun.Status.FINISHED)
    almere = f.municipality("GM0034")
    Allocation.objects.bulk_create(
        [Allocation(run=run, municipality=almere, component=c, year=y, amount=100_000)
         for c in parts for y in f.YEARS if y < 2026]
        + [Allocation(run=run, municipality=almere, component=total, year=2026, amount=200_000)])
    return f.PeriodFactory(regulation=TOY, name="Proefperiode", allocation_run=run), parts


def test_a_third_regulation_goes_from_start_to_dashboard_by_its_definition_alone(toy, login):
    period, parts = _toy_period()
    client = login("gemeente")

    # start: the page offers the officer's gemeente and sends the new draft to the definition's first step
    page = client.get(f"/aanvragen/starten/{period.pk}/")
    assert page.status_code == 200 and "proefregeling" in page.content.decode()
    response = client.post(f"/aanvragen/starten/{period.pk}/", {"municipality": f.municipality("GM0034").pk})
    app = period.applications.get()
    assert response.status_code == 302 and response["Location"] == f"/aanvragen/{app.pk}/onderdelen/"
    assert app.applicant_kind == ApplicantKind.MUNICIPALITY and app.definition is toy

    # submit: the components page shows the toy's components; a complete draft is submitted with its prefix
    assert "Proef met buurtsport" in client.get(f"/aanvragen/{app.pk}/onderdelen/").content.decode()
    app = f.fill_completely(app)
    app = f.services.application_submit(actor=f.user("gemeente"), application=app)
    assert app.state == "ingediend" and app.reference.startswith("PR-2024.")

    # review: the kerngroep judges the definition's review elements and advises
    app = f.with_final_advice(app, "positief")
    assert app.state == "advies_positief"

    # decision: the requested amounts per component and year, its own kenmerk and legal basis in the letter
    decision = decision_services.decision_make(actor=f.user("ministerie"), application=app, outcome="toegekend",
                                               decided_on=DAY)
    assert decision.reference == f"VWS-2024-PR-{app.pk:06d}"
    assert decision.total == 2 * 3 * 50_000
    letter = decisions.letter_context(decision)
    assert letter["legal"] == {"regulation": ToyRegulation.legal_name, "agreement": ToyRegulation.agreement}

    # SiSa: per component in 2025, one line from 2026 (the definition's year), under the definition's code
    granted_2025 = grants.granted_for(municipality_id=app.municipality_id, regulation=TOY, year=2025)
    assert granted_2025.lines == {parts[0].pk: 50_000, parts[1].pk: 50_000}
    assert grants.granted_for(municipality_id=app.municipality_id, regulation=TOY, year=2026).lines == {None: 100_000}
    report = sisa_services.report_start(actor=f.user("gemeente"), municipality=app.municipality, regulation=TOY,
                                        year=2025)
    assert sorted(line.component_id for line in report.lines.all()) == sorted(c.pk for c in parts)
    detail = client.get(f"/verantwoording/{report.pk}/").content.decode()
    assert "X9" in detail and "Proef met buurtsport" in detail

    # dashboard: the national dashboard filters on the toy by its label and counts its granted application
    national = login("ministerie").get("/monitoring/landelijk/", {"jaar": "2025", "regeling": TOY})
    assert national.status_code == 200 and "alleen Proefregeling" in national.content.decode()
    filters = dashboard_selectors.Filters(year=2025, regulation=TOY)
    panel = dashboard_selectors.applications_panel(filters, dashboard_selectors.Geography())
    assert [c.header for c in panel.table.columns] == ["Status", "Proefregeling"]
    assert ["Toegekend", 1] in panel.table.rows


def test_each_definition_reads_its_own_components_in_order_and_its_one_line_ones(toy, django_assert_num_queries):
    """components_in_order and one_line_component_ids are read with SQL written once per definition: each gives
    its own regulation's rows, as the definition's querysets do (the toy's are not the brede SPUK's)."""
    _toy_period()
    for definition in regulations.all_definitions():
        assert definition.components_in_order() == list(definition.components(definition.code).order_by("number"))
        assert definition.one_line_component_ids() == set(definition.one_line_components().values_list("pk",
                                                                                                       flat=True))
    assert [c.name for c in toy.components_in_order()] == ["Proef met buurtsport", "Proef met valpreventie"]
    assert {c.name for c in Component.objects.filter(pk__in=toy.one_line_component_ids())} == {
        "Proefregeling (één regel)"}
    brede = regulations.definition("brede_spuk")
    assert brede.components_in_order() and not {c.pk for c in brede.components_in_order()} & {
        c.pk for c in toy.components_in_order()}
    with django_assert_num_queries(2):
        toy.components_in_order(), toy.one_line_component_ids()
