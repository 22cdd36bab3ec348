"""Hostile input: amounts, years, dates, text and files beyond the bounds of spukportal/bounds.py are refused
with a Dutch message on the field or the import line, never a 500, never stored."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given, settings as hsettings
from hypothesis import strategies as st

from applications.models import ApplicationPeriod, PlanSection, RequestedAmount
from budgets.models import AllocationRun, BudgetVersion
from regions.models import Municipality
from spukportal import bounds
from spukportal.money import AmountError, parse_euro
from tests.applications import factories as f
from tests.applications.test_views import components_post

pytestmark = pytest.mark.django_db
REF = settings.REFERENCE_DATA_DIR


# --- amounts typed in the components form ------------------------------------------------------------

@pytest.mark.parametrize("typed", [
    "1" + "0" * 30,                      # 10^30: was an OverflowError (500) without an allocation in the period
    "9.223.372.036.854.775.807",         # 2^63-1: was stored, then the kerngroep's list 500'd on SUM
    "100.000.000.000",                   # just above the bound
    "9" * 5000,                          # would hit Python's int-conversion limit
])
def test_an_amount_above_the_bound_is_refused_on_the_field(login, typed):
    # The period's run allows the largest amount (a period without a run refuses every amount).
    app = f.draft(f.scenario(amount=bounds.MAX_AMOUNT_EUR))
    client = login("gemeente")
    response = client.post(reverse("applications:components", args=(app.pk,)), components_post(app, c7_2025=typed))
    assert response.status_code == 422
    errors = [e.replace("\xa0", " ") for e in response.context["form"].errors["c7_2025"]]
    assert "ten hoogste € 99.999.999.999" in errors[0]
    assert not RequestedAmount.objects.filter(choice__application=app).exists()


def test_the_largest_amount_itself_is_accepted(login):
    app = f.draft(f.scenario(amount=bounds.MAX_AMOUNT_EUR))
    client = login("gemeente")
    response = client.post(reverse("applications:components", args=(app.pk,)),
                           components_post(app, c7_2025="99.999.999.999"))
    assert response.status_code == 302
    assert RequestedAmount.objects.get(choice__application=app, choice__component__number=7,
                                       year=2025).amount == bounds.MAX_AMOUNT_EUR


@given(st.text(max_size=40))
@hsettings(max_examples=300, deadline=None)
def test_parse_euro_never_returns_an_unbounded_amount(text):
    try:
        value = parse_euro(text)
    except AmountError:
        return
    assert value is None or 0 <= value <= bounds.MAX_AMOUNT_EUR


# --- plan text --------------------------------------------------------------------------------------

def test_a_plan_section_longer_than_the_bound_is_refused_with_its_length(login):
    app = f.draft(f.scenario())
    client = login("gemeente")
    url = reverse("applications:section_save", args=(app.pk, "uitgangssituatie"))
    response = client.post(url, {"uitgangssituatie-text": "a" * (bounds.MAX_PLAN_TEXT_CHARS + 1),
                                 "uitgangssituatie-version": 0}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "20.001 tekens" in html and "ten hoogste 20.000" in html
    assert not PlanSection.objects.filter(application=app, text__startswith="aaa").exists()
    response = client.post(url, {"uitgangssituatie-text": "Zorg\x00", "uitgangssituatie-version": 0})
    assert response.status_code == 422
    assert not PlanSection.objects.filter(application=app).exclude(text="").exists()


# --- period years and dates -------------------------------------------------------------------------

@pytest.mark.parametrize("changes,field", [
    ({"first_year": 2027, "last_year": 32767}, "last_year"),   # made a page hang and use 1.3 GB
    ({"first_year": 2019, "last_year": 2020}, "first_year"),
    ({"first_year": 2027, "last_year": 2037}, "last_year"),    # 11 years
    ({"opens_on": "0001-01-01"}, "opens_on"),
    ({"closes_on": "9999-12-31"}, "closes_on"),
])
def test_a_period_outside_the_bounds_is_refused(login, changes, field):
    client = login("ministerie")
    data = {"name": "Grensperiode", "regulation": "brede_spuk", "first_year": 2027, "last_year": 2028,
            "opens_on": "2026-12-01", "closes_on": "2027-03-31", "plan_required": "on", **changes}
    response = client.post(reverse("applications:period_create"), data)
    assert response.status_code in (200, 422)
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert not ApplicationPeriod.objects.filter(name="Grensperiode").exists()


# --- imports ----------------------------------------------------------------------------------------

def _totals(tmp_path, amount):
    path = tmp_path / "totalen.csv"
    path.write_text(f"regeling,jaar,totaal_eur,bron\nbrede_spuk,2026,{amount},brief\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt,content", [
    ("totalen", "regeling,jaar,totaal_eur,bron\nbrede_spuk,2026,1000000000000000000000000000000,brief\n"),
    ("totalen", "regeling,jaar,totaal_eur,bron\nbrede_spuk,32767,1,brief\n"),
    ("mutaties", "jaar,regeling,onderwerp,bedrag_mln,bron\n2026,brede_spuk,x,1e30,brief\n"),
    ("mutaties", "jaar,regeling,onderwerp,bedrag_mln,bron\n2026,brede_spuk,x,Infinity,brief\n"),
    ("mutaties", "jaar,regeling,onderwerp,bedrag_mln,bron\n2026,brede_spuk,x,NaN,brief\n"),
    ("mutaties", "jaar,regeling,onderwerp,bedrag_mln,bron\n2026,brede_spuk,x,100000000,brief\n"),
])
def test_import_of_an_unbounded_amount_or_year_names_the_line_and_stores_nothing(tmp_path, fmt, content):
    path = tmp_path / "bestand.csv"
    path.write_text(content, encoding="utf-8")
    before = BudgetVersion.objects.count()
    with pytest.raises(CommandError, match=r"bestand\.csv, regel 2: .*Er is niets geïmporteerd"):
        call_command("import_begrotingsversie", str(path), "--format", fmt, "--name", "Vijandig",
                     "--source", "x", "--date", "2026-01-15",
                     "--based-on", "Vastgestelde totalen 2025–2026 (VWS-brief 12-09-2025)"
                     if fmt == "totalen" else "GALA-basisbegroting 2023–2026", stdout=io.StringIO())
    assert BudgetVersion.objects.count() == before


@pytest.mark.parametrize("header,row,message", [
    ("cbs_code,naam,bedrag_2025", "GM0034,Almere,1000000000000000000000000000000", "niet groter zijn dan"),
    ("cbs_code,naam,bedrag_9999", "GM0034,Almere,1", "jaar van 2020 tot en met 2040"),
])
def test_web_import_of_hostile_amounts_answers_with_the_line_not_a_500(login, header, row, message):
    client = login("ministerie")
    upload = SimpleUploadedFile("tabel.csv", f"{header}\n{row}\n".encode())
    response = client.post(reverse("budgets:official_import"), {
        "name": "Vijandig", "regulation": "brede_spuk", "source": "x", "file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "tabel.csv, regel 2" in page and message in page
    assert not AllocationRun.objects.filter(name="Vijandig").exists()


def test_import_refuses_a_nul_byte_and_names_the_line(tmp_path):
    path = tmp_path / "gemeenten.csv"
    path.write_bytes(b"cbs_code,naam,provincie\nGM0034,Alm\x00ere,Flevoland\n")
    with pytest.raises(CommandError, match=r"regel 2: kolom 'naam' bevat een ongeldig teken"):
        call_command("import_gemeenten", str(path), stdout=io.StringIO())
    assert Municipality.objects.get(cbs_code="GM0034").name == "Almere"


def test_a_wrong_encoding_is_reported_on_the_line_it_is_on(tmp_path):
    lines = (REF / "gemeenten.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) > 300
    data = "\n".join(lines).encode("utf-8").split(b"\n")
    data[299] = "GM9999,Súdwest,Friesland".encode("latin-1")  # line 300
    path = tmp_path / "gemeenten.csv"
    path.write_bytes(b"\n".join(data) + b"\n")
    with pytest.raises(CommandError) as exc:
        call_command("import_gemeenten", str(path), stdout=io.StringIO())
    assert "regel 300: het bestand is geen UTF-8-tekst" in str(exc.value)


def test_an_import_larger_than_the_bound_is_refused_before_reading_it_all(tmp_path, monkeypatch):
    monkeypatch.setattr(bounds, "MAX_IMPORT_BYTES", 1024)
    path = tmp_path / "gemeenten.csv"
    path.write_bytes((REF / "gemeenten.csv").read_bytes())
    with pytest.raises(CommandError, match="groter dan"):
        call_command("import_gemeenten", str(path), stdout=io.StringIO())
