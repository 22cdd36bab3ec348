import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from regions.models import MandateHolder, Municipality, MunicipalityStatistics, Region, RegionMembership
from spukportal.models import AuditEvent

REF = settings.REFERENCE_DATA_DIR
pytestmark = pytest.mark.django_db


def copy_with(tmp_path, name, replace_line=None, append=None):
    """A copy of a shipped reference file, with line N (1 = header) replaced or lines appended."""
    lines = (REF / name).read_text(encoding="utf-8").splitlines()
    if replace_line:
        number, text = replace_line
        lines[number - 1] = text
    lines += append or []
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(command, *args, **kwargs):
    from io import StringIO

    out = StringIO()
    call_command(command, *map(str, args), stdout=out, **kwargs)
    return out.getvalue()


def test_shipped_reference_data_is_complete():
    assert Municipality.objects.count() == 342
    assert Region.objects.count() == 42
    assert MunicipalityStatistics.objects.filter(reference_year=2023).count() == 342
    assert RegionMembership.objects.valid_on().count() == 342
    assert MandateHolder.objects.valid_on().count() == 42
    twente = MandateHolder.objects.get(region__name="Twente")
    assert twente.municipality is None and twente.organisation_name == "SamenTwente"
    assert MandateHolder.objects.get(region__name="Flevoland").municipality.cbs_code == "GM0034"


def test_reimporting_the_same_files_changes_nothing():
    for command, name in [("import_gemeenten", "gemeenten.csv"), ("import_statistieken", "gemeente_statistieken_2023.csv"),
                          ("import_regios", "iza_regios.csv"), ("import_regiolidmaatschap", "iza_regio_gemeenten.csv")]:
        out = run(command, REF / name)
        assert "0 nieuw, 0 gewijzigd" in out, out


def test_a_bad_line_names_the_line_and_applies_nothing(tmp_path):
    # Line 3 renames Almere, line 6 carries an invalid CBS code: the rename must not be applied either.
    path = copy_with(tmp_path, "gemeenten.csv", replace_line=(3, "GM0034,Almere-Nieuw,Flevoland"))
    lines = path.read_text().splitlines()
    lines[5] = "GM12X4,Foutstad,Utrecht"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(CommandError) as error:
        run("import_gemeenten", path)
    message = str(error.value)
    assert "gemeenten.csv, regel 6" in message
    assert "GM12X4" in message and "geen geldige CBS-code" in message
    assert "niets geïmporteerd" in message
    assert Municipality.objects.get(cbs_code="GM0034").name == "Almere"


def test_an_error_found_while_applying_rolls_back_earlier_rows(tmp_path):
    # Region 'Nieuw' is new (line 44) and would be created, then line 45 names an unknown mandate holder.
    path = copy_with(tmp_path, "iza_regios.csv", append=["Nieuwe regio,Almere,ja,2023-06-30",
                                                             "Andere regio,Nergensdorp,ja,2023-06-30"])
    with pytest.raises(CommandError, match="regel 45: mandaathouder 'Nergensdorp' bestaat niet"):
        run("import_regios", path)
    assert not Region.objects.filter(name="Nieuwe regio").exists()


def test_dry_run_counts_but_saves_nothing(tmp_path):
    path = copy_with(tmp_path, "gemeenten.csv", append=["GM9999,Proefstad,Utrecht"])
    out = run("import_gemeenten", path, "--dry-run")
    assert "Proefimport (niets opgeslagen) gemeenten: 1 nieuw, 0 gewijzigd, 342 ongewijzigd." in out
    assert not Municipality.objects.filter(cbs_code="GM9999").exists()


def test_import_updates_changed_rows_and_records_an_audit_event(tmp_path):
    path = copy_with(tmp_path, "gemeente_statistieken_2023.csv",
                     replace_line=(3, "GM0034,2023,230000,24777,CBS 2023 (gecorrigeerd),afgeleid"))
    before = AuditEvent.objects.filter(action="import.statistieken").count()
    out = run("import_statistieken", path)
    assert "0 nieuw, 1 gewijzigd, 341 ongewijzigd" in out
    stats = MunicipalityStatistics.objects.get(municipality__cbs_code="GM0034", reference_year=2023)
    assert stats.population == 230000 and stats.source_population == "CBS 2023 (gecorrigeerd)"
    event = AuditEvent.objects.filter(action="import.statistieken").latest("id")
    assert AuditEvent.objects.filter(action="import.statistieken").count() == before + 1
    assert event.details["updated"] == 1 and event.details["bestand"] == "gemeente_statistieken_2023.csv"


@pytest.mark.parametrize("line,reason", [
    ("GM0034,2023,1000,2000,bron,bron", "groter dan 'inwoners'"),
    ("GM0034,2023,veel,2000,bron,bron", "'inwoners' moet een geheel getal zijn"),
    ("GM0034,2023,1000,-5,bron,bron", "mag niet kleiner zijn dan 0"),
    ("GM8888,2023,1000,100,bron,bron", "onbekende gemeente GM8888"),
])
def test_statistics_rows_are_checked(tmp_path, line, reason):
    path = copy_with(tmp_path, "gemeente_statistieken_2023.csv", replace_line=(10, line))
    with pytest.raises(CommandError, match=f"regel 10: .*{reason}"):
        run("import_statistieken", path)


def test_duplicate_rows_are_refused_with_both_lines(tmp_path):
    path = copy_with(tmp_path, "gemeenten.csv", append=["GM0034,Almere,Flevoland"])
    with pytest.raises(CommandError, match=r"regel 344: CBS-code 'GM0034' staat dubbel in het bestand \(ook op regel 3\)"):
        run("import_gemeenten", path)


def test_missing_column_is_reported_on_the_header_line(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("cbs_code,naam\nGM0034,Almere\n")
    with pytest.raises(CommandError, match="g.csv, regel 1: kolom ontbreekt: provincie"):
        run("import_gemeenten", path)


def test_membership_name_must_match_the_cbs_code(tmp_path):
    path = copy_with(tmp_path, "iza_regio_gemeenten.csv", replace_line=(2, "Achterhoek,GM0197,Almere"))
    with pytest.raises(CommandError, match="regel 2: GM0197 heet 'Aalten', niet 'Almere'"):
        run("import_regiolidmaatschap", path)


def test_a_merger_moves_a_gemeente_and_keeps_its_history(tmp_path):
    # Lelystad moves to Zuid-Limburg from 2026 (a fictitious change): the old membership is closed.
    path = copy_with(tmp_path, "iza_regio_gemeenten.csv")
    text = path.read_text().replace("Flevoland,GM0995,Lelystad", "Zuid-Limburg,GM0995,Lelystad")
    path.write_text(text)
    out = run("import_regiolidmaatschap", path, "--geldig-vanaf", "2026-01-01")
    assert "0 nieuw, 1 gewijzigd, 341 ongewijzigd" in out
    history = list(RegionMembership.objects.filter(municipality__cbs_code="GM0995").order_by("valid_from"))
    assert [(m.region.name, str(m.valid_until)) for m in history] == [("Flevoland", "2025-12-31"), ("Zuid-Limburg", "None")]


def test_a_new_mandate_holder_closes_the_previous_one(tmp_path):
    path = copy_with(tmp_path, "iza_regios.csv")
    # The row's own date is left empty, so the command line's date counts (a date in the row would win).
    path.write_text(path.read_text().replace("Flevoland,Almere,ja,2023-06-30", "Flevoland,Lelystad,ja,"))
    out = run("import_regios", path, "--bekendgemaakt-op", "2026-07-01")
    assert "0 nieuw, 1 gewijzigd, 41 ongewijzigd" in out
    holders = list(MandateHolder.objects.filter(region__name="Flevoland").order_by("valid_from"))
    assert [(h.holder_name, h.valid_until) for h in holders][0][0] == "Almere"
    assert str(holders[0].valid_until) == "2026-06-30" and holders[1].holder_name == "Lelystad"


def test_not_utf8_is_a_clear_error(tmp_path):
    path = tmp_path / "gemeenten.csv"
    path.write_bytes("cbs_code,naam,provincie\nGM0034,Súdwest,Friesland\n".encode("latin-1"))
    with pytest.raises(CommandError, match="geen UTF-8"):
        run("import_gemeenten", path)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="kan niet worden geopend"):
        run("import_gemeenten", tmp_path / "bestaat-niet.csv")
