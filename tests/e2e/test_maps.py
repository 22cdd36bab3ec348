"""Maps and the simulation in a real browser (Debian Chromium): the national dashboard, a region dashboard and a
gemeente's monitoring page show their maps (legend, table, downloads, each area a focusable link with its value);
the ministry changes a weight in the simulation, sees the differences and the map change, saves the draft as a new
key version and starts a run whose amounts are the ones the simulation showed. Axe clean; screenshots at 1280 and
390 px in var/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import a11y, log_in, shoot

pytestmark = pytest.mark.e2e


def _map_is_complete(page, areas):
    figure = page.locator("figure.dashboard-map").first
    expect(figure.locator("svg title").first).to_be_attached()
    links = figure.locator("a")
    expect(links).to_have_count(areas)
    first = links.first
    first.focus()  # a gemeente on the map is reachable with the keyboard and says its value
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == first.get_attribute("aria-label")
    section = page.locator("section.dashboard-panel").filter(has=figure)
    expect(section.locator("details table")).to_have_count(1)
    for name in ("tabel als CSV", "tabel als Excel (XLSX)", "kaart als SVG"):
        expect(section.get_by_role("link", name=name)).to_be_visible()
    return first.get_attribute("aria-label")


def test_the_dashboards_show_their_maps(page):
    log_in(page, "ministerie")
    page.goto(f"{page.base}/monitoring/landelijk/?jaar=2025")
    a11y(page)
    label = _map_is_complete(page, 342)
    assert re.search(r"€\s?\d+,\d\d per inwoner", label), label
    expect(page.locator("figure.dashboard-map svg desc")).to_contain_text("Kaart van Nederland per gemeente")
    shoot(page, "kaart-landelijk")

    page.get_by_label("Kaart", exact=True).select_option(label="Mandaatverklaringen per IZA-regio")
    page.get_by_role("button", name="Kaart tonen").click()
    a11y(page)
    expect(page.get_by_role("heading", name="Kaart: Mandaatverklaringen per IZA-regio")).to_be_visible()
    _map_is_complete(page, 42)
    expect(page.locator("figure.dashboard-map a[aria-label^='Flevoland: ']")).to_have_count(1)
    shoot(page, "kaart-landelijk-regios")

    page.goto(f"{page.base}/monitoring/regio/flevoland/")
    a11y(page)
    _map_is_complete(page, 5)  # the five gemeenten of Flevoland are links; the rest of the country is context
    shoot(page, "kaart-regio")

    page.goto(f"{page.base}/monitoring/gemeente/GM0034/")
    a11y(page)
    _map_is_complete(page, 5)
    expect(page.locator("figure.dashboard-map a[aria-label='Almere: deze gemeente']")).to_have_count(1)
    shoot(page, "kaart-gemeente")


def _neutral_areas(page):
    return page.locator("figure.dashboard-map path[fill='#f7f7f7']").count()


def _simulated_amounts(page):
    """{cbs_code: euros} from the simulation's table (column 'Simulatie')."""
    rows = page.evaluate("""() => [...document.querySelectorAll('table[data-panel-table=kaart] tbody tr')]
        .map(tr => [tr.cells[1].textContent, tr.cells[3].textContent])""")
    return {code: int(re.sub(r"\D", "", amount)) for code, amount in rows}


def test_the_ministry_simulates_a_weight_saves_it_as_a_key_and_the_run_gives_the_simulated_amounts(page):
    from django.db.models import Sum

    from budgets.models import Allocation, AllocationRun

    log_in(page, "ministerie")
    page.goto(f"{page.base}/budgetten/berekeningen/")
    a11y(page)
    page.get_by_role("link", name="Simulatie: wat als?").click()
    a11y(page)
    page.get_by_label("Vergelijken met").select_option(label="Vastgesteld 2025–2026 (VWS-brief 12-09-2025, bijlage 2A)")
    page.get_by_role("button", name="Simuleren").click()
    a11y(page)
    neutral_before = _neutral_areas(page)
    assert neutral_before == 342  # the current key is within € 31 of the official table: no gemeente differs 1 %

    page.get_by_label("Gewicht inwoners", exact=True).fill("0,7")
    page.get_by_label("Gewicht inwoners met gezondheidsachterstand").fill("0,3")
    page.get_by_role("button", name="Simuleren").click()
    a11y(page)
    expect(page.locator("#stijgers li")).to_have_count(10)
    expect(page.locator("#dalers li")).to_have_count(10)
    assert _neutral_areas(page) < neutral_before - 100  # the map changed colour where the amounts moved
    simulated = _simulated_amounts(page)
    assert len(simulated) == 342
    shoot(page, "simulatie")

    page.get_by_label("Naam van de nieuwe verdeelsleutel").fill("Browserproef 70/30")
    page.get_by_role("button", name="Opslaan en berekening starten").click()
    page.get_by_role("heading", name="Bedragen per gemeente").wait_for(timeout=60_000)
    a11y(page)
    expect(page.locator("main")).to_contain_text("Browserproef 70/30")
    run = AllocationRun.objects.get(distribution_key__name="Browserproef 70/30")
    assert run.status == AllocationRun.Status.FINISHED
    stored = dict(Allocation.objects.filter(run=run, year=2025).values_list("municipality__cbs_code")
                  .annotate(total=Sum("amount")).order_by())
    assert stored == simulated
