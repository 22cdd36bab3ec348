"""Ketenaanpak states (append-only, dated, not in the future) and valpreventie figures (percentages computed
against 14% and 3% of all home-dwelling 65+; bad counts refused with the input kept)."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from monitoring.dashboards import demo as dashboard_demo
from monitoring.models import ChainStateChange, FallPreventionFigures
from regions.models import Municipality, Region, RegionMembership
from spukportal.models import AuditEvent

pytestmark = pytest.mark.django_db

RECORD = "/monitoring/gemeente/GM0034/ketenaanpak/"
FIGURES = "/monitoring/gemeente/GM0034/valpreventie/"
PAGE = "/monitoring/gemeente/GM0034/"


def _long(day):
    from spukportal.dates import long_date

    return long_date(day)


def _almere_changes(approach="gli_volwassenen"):
    return ChainStateChange.objects.filter(municipality__cbs_code="GM0034", approach=approach)


def test_officer_records_a_state_and_the_earlier_one_stays_in_the_history(login):
    client = login("gemeente")
    before = _almere_changes().count()
    today = timezone.localdate()
    first, second = today - datetime.timedelta(days=30), today
    for stage, day in (("voorbereiding", first.isoformat()), ("samenwerkingsafspraken", second.isoformat())):
        response = client.post(RECORD, {"approach": "gli_volwassenen", "stage": stage, "changed_on": day,
                                        "note": "Afspraken met de zorgverzekeraar"})
        assert response.status_code == 302
    assert _almere_changes().count() == before + 2
    page = client.get(PAGE).content.decode()
    row = page.split('data-stand="gli_volwassenen">')[1].split("</td>")[0]
    assert "Samenwerkingsafspraken" in row  # the latest is the current state
    history = page.split("<summary>GLI volwassenen:")[1].split("</details>")[0]
    assert f"Sinds {_long(second)}: Samenwerkingsafspraken" in history
    assert f"Sinds {_long(first)}: Voorbereiding" in history
    assert history.index(_long(second)) < history.index(_long(first))  # newest first
    event = AuditEvent.objects.filter(action="ketenaanpak.stand_vastgelegd").latest("id")
    assert event.actor.username == "gemeente" and event.details["stand"] == "samenwerkingsafspraken"


def test_the_history_and_the_figures_download_as_csv_and_xlsx_with_what_the_page_shows(login):
    client = login("gemeente")
    day = timezone.localdate() - datetime.timedelta(days=3)
    client.post(RECORD, {"approach": "gli_volwassenen", "stage": "voorbereiding", "changed_on": day.isoformat(),
                         "note": "=Afspraken met de zorgverzekeraar"})
    client.post(FIGURES, {"year": "2024", "home_dwelling_65_plus": "20000", "assessments": "2900",
                          "interventions": "500"})
    page = client.get(PAGE).content.decode()
    assert 'href="/monitoring/gemeente/GM0034/ketenaanpak.csv"' in page
    assert 'href="/monitoring/gemeente/GM0034/valpreventie.xlsx"' in page
    response = client.get("/monitoring/gemeente/GM0034/ketenaanpak.csv")
    assert response["Content-Disposition"] == 'attachment; filename="monitoring-GM0034-ketenaanpak.csv"'
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Ketenaanpak;Stand;Sinds;Toelichting;Vastgelegd door;Vastgelegd op"
    recorded = ChainStateChange.objects.filter(municipality__cbs_code="GM0034").count()
    assert len(lines) - 1 == recorded  # every recorded state, not only the current ones
    ours = [line for line in lines if "zorgverzekeraar" in line]
    # the note starts with "=": the one export writer keeps it from becoming a formula
    assert ours == [f"GLI volwassenen;Voorbereiding;{day:%d-%m-%Y};'=Afspraken met de zorgverzekeraar;Anna de Vries;"
                    + ours[0].rsplit(";", 1)[1]]
    workbook = load_workbook(io.BytesIO(client.get("/monitoring/gemeente/GM0034/valpreventie.xlsx").content))
    rows = [[c.value for c in row] for row in workbook.active.iter_rows()]
    assert rows[0][:3] == ["Jaar", "Thuiswonende 65-plussers", "Risico-inschattingen"]
    assert ["2024", 20000, 2900, 14.5, 500, 2.5] in rows
    assert client.get("/monitoring/gemeente/GM0034/ketenaanpak.svg").status_code == 404
    assert client.get("/monitoring/gemeente/GM0034/iets.csv").status_code == 404
    assert login("gemeente3").get("/monitoring/gemeente/GM0034/ketenaanpak.csv").status_code == 403


@pytest.mark.parametrize("day,message", [
    ("tomorrow", "De datum ligt in de toekomst"),
    ("2019-12-31", "Vul een datum in tussen 1 januari 2020 en"),
    ("31-02-2025", "Vul een geldige datum in"),
])
def test_a_bad_date_gives_a_dutch_error_on_the_field_keeps_the_input_and_stores_nothing(login, day, message):
    if day == "tomorrow":
        day = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    client = login("gemeente")
    before, events = ChainStateChange.objects.count(), AuditEvent.objects.count()
    response = client.post(RECORD, {"approach": "valpreventie", "stage": "ingericht", "changed_on": day,
                                    "note": "Mijn toelichting"})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert list(response.context["form"].errors) == ["changed_on"]
    assert "Mijn toelichting" in html  # the input is kept
    assert ChainStateChange.objects.count() == before and AuditEvent.objects.count() == events


def test_the_future_date_error_sits_on_the_date_field(login):
    client = login("gemeente")
    day = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(RECORD, {"approach": "valpreventie", "stage": "ingericht", "changed_on": day})
    form = response.context["form"]
    assert list(form.errors) == ["changed_on"]
    assert form.data["changed_on"] == day  # kept


def test_valpreventie_counts_read_dutch_thousands_like_amounts_do(login):
    client = login("gemeente")
    response = client.post(FIGURES, {"year": "2024", "home_dwelling_65_plus": "43.100", "assessments": "6 034",
                                     "interventions": "1.293"})
    assert response.status_code == 302
    row = FallPreventionFigures.objects.get(municipality__cbs_code="GM0034", year=2024)
    assert (row.home_dwelling_65_plus, row.assessments, row.interventions) == (43100, 6034, 1293)


def test_valpreventie_percentages_are_computed_against_all_home_dwelling_65_plus(login):
    client = login("gemeente")
    response = client.post(FIGURES, {"year": "2024", "home_dwelling_65_plus": "20000", "assessments": "2900",
                                     "interventions": "500"})
    assert response.status_code == 302
    row = FallPreventionFigures.objects.get(municipality__cbs_code="GM0034", year=2024)
    assert (row.assessment_percent, row.intervention_percent) == (14.5, 2.5)
    page = client.get(PAGE).content.decode()
    assert "14,5% (doel gehaald)" in page and "2,5% (onder het doel)" in page
    assert "3% van <em>alle</em> thuiswonende 65-plussers" in page
    assert AuditEvent.objects.filter(action="valpreventie.cijfers_vastgelegd").latest("id").details["na"][
        "assessments"] == 2900


@pytest.mark.parametrize("data,field,message", [
    ({"home_dwelling_65_plus": "1000", "assessments": "1200", "interventions": "10"}, "assessments",
     "percentage boven 100%"),
    ({"home_dwelling_65_plus": "1000", "assessments": "100", "interventions": "1001"}, "interventions",
     "percentage boven 100%"),
    ({"home_dwelling_65_plus": "1000", "assessments": "-5", "interventions": "10"}, "assessments",
     "Een aantal kan niet negatief zijn."),
    ({"home_dwelling_65_plus": "-1000", "assessments": "5", "interventions": "10"}, "home_dwelling_65_plus",
     "Een aantal kan niet negatief zijn."),
    ({"home_dwelling_65_plus": "0", "assessments": "0", "interventions": "0"}, "home_dwelling_65_plus",
     "groter zijn dan 0"),
    ({"home_dwelling_65_plus": "veel", "assessments": "5", "interventions": "10"}, "home_dwelling_65_plus",
     "Vul een heel getal in"),
])
def test_bad_counts_give_a_dutch_error_on_the_field_keep_the_input_and_store_nothing(login, data, field, message):
    client = login("gemeente")
    before, events = FallPreventionFigures.objects.count(), AuditEvent.objects.count()
    response = client.post(FIGURES, {"year": "2025", **data})
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors and message in " ".join(form.errors[field])
    html = response.content.decode()
    assert f'value="{data[field]}"' in html  # what was typed is still there
    assert FallPreventionFigures.objects.count() == before and AuditEvent.objects.count() == events


def test_a_share_just_under_the_target_never_reads_as_the_target(login):
    client = login("gemeente")
    client.post(FIGURES, {"year": "2023", "home_dwelling_65_plus": "42336", "assessments": "5927",
                          "interventions": "1270"})  # 13,9995% and 2,9998%
    page = client.get(PAGE).content.decode()
    assert "13,9% (onder het doel)" in page and "2,9% (onder het doel)" in page


def test_figures_for_a_year_already_reported_are_updated_with_before_and_after_in_the_audit(login):
    client = login("gemeente")
    for assessments in ("100", "150"):
        client.post(FIGURES, {"year": "2023", "home_dwelling_65_plus": "1000", "assessments": assessments,
                              "interventions": "30"})
    row = FallPreventionFigures.objects.get(municipality__cbs_code="GM0034", year=2023)
    assert row.assessments == 150
    event = AuditEvent.objects.filter(action="valpreventie.cijfers_vastgelegd").latest("id")
    assert event.details["voor"]["assessments"] == 100 and event.details["na"]["assessments"] == 150


def test_the_figures_form_prefills_the_65_plus_count_from_the_latest_year(login):
    FallPreventionFigures.objects.filter(municipality__cbs_code="GM0034").delete()
    almere = Municipality.objects.get(cbs_code="GM0034")
    from django.contrib.auth import get_user_model

    FallPreventionFigures.objects.create(municipality=almere, year=2024, home_dwelling_65_plus=31234,
                                         assessments=1, interventions=1,
                                         updated_by=get_user_model().objects.get(username="gemeente"))
    response = login("gemeente").get(FIGURES)
    assert response.context["form"].initial["home_dwelling_65_plus"] == 31234


def test_another_gemeentes_officer_cannot_record_and_staff_can_read_but_not_record(client, login):
    assert login("gemeente2").post(RECORD, {"approach": "valpreventie", "stage": "ingericht",
                                            "changed_on": "2025-01-01"}).status_code == 403
    staff = login("ministerie")
    page = staff.get(PAGE)
    assert page.status_code == 200 and "Nieuwe stand vastleggen" not in page.content.decode()


def test_demo_gives_every_gemeente_of_flevoland_and_zuid_limburg_states_and_figures_and_is_idempotent():
    regions = Region.objects.filter(name__in=dashboard_demo.REGIONS)
    members = set(RegionMembership.objects.valid_on().filter(region__in=regions)
                  .values_list("municipality_id", flat=True))
    assert len(members) > 10
    counts = ChainStateChange.objects.count(), FallPreventionFigures.objects.count()
    dashboard_demo.load()
    assert (ChainStateChange.objects.count(), FallPreventionFigures.objects.count()) == counts
    assert set(FallPreventionFigures.objects.filter(year=2025).values_list("municipality_id", flat=True)) >= members
    with_history = (ChainStateChange.objects.filter(municipality_id__in=members).values("municipality_id", "approach")
                    .distinct().count())
    assert with_history > len(members)  # more than one ketenaanpak started per gemeente on average
    assert not ChainStateChange.objects.filter(changed_on__gt=timezone.localdate()).exists()
