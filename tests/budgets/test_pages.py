"""What ministry staff and municipal officers see and do on the budgets pages."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from budgets import reference
from budgets.models import AllocationReport, AllocationRun, BudgetVersion, DistributionKey
from regions.models import Municipality


def test_the_ministry_starts_a_run_from_the_form_and_sees_the_result(login, default_key, established_version,
                                                                      django_capture_on_commit_callbacks):
    client = login("ministerie")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("budgets:run_start"), {
            "regulation": "brede_spuk", "years": ["2025"], "budget_version": established_version.pk,
            "distribution_key": default_key.pk, "name": "Proef 2025"})
    run = AllocationRun.objects.get(name="Proef 2025")
    assert response["Location"] == reverse("budgets:run_detail", args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Klaar" in page
    assert "Almere" in page and "€\xa0310.475.334" in page  # every gemeente and the national total
    assert ">2025</th>" in page and "2.025" not in page  # years are not written as numbers with a dot


def test_a_pending_run_shows_an_accessible_progress_bar_that_polls(login, default_key, established_version,
                                                                   ministry_user):
    from budgets.services import allocation_run_start

    run = allocation_run_start(actor=ministry_user, regulation="brede_spuk", years=[2025],
                               budget_version=established_version, distribution_key=default_key)  # not committed
    run.progress = 40
    run.save()
    client = login("ministerie")
    page = client.get(reverse("budgets:run_progress", args=[run.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert '<progress max="100" value="40" aria-label="Voortgang van de berekening">' in page and "hx-trigger" in page
    run.status, run.progress = AllocationRun.Status.FINISHED, 100
    run.save()
    response = client.get(reverse("budgets:run_progress", args=[run.pk]) + "?was=bezig")
    assert response["HX-Refresh"] == "true"
    assert 'role="progressbar"' not in response.content.decode()


def test_a_rejected_start_form_keeps_what_was_typed_and_ties_the_error_to_the_field(login, default_key,
                                                                                      established_version):
    client = login("ministerie")
    response = client.post(reverse("budgets:run_start"), {
        "regulation": "brede_spuk", "budget_version": established_version.pk, "distribution_key": default_key.pk,
        "name": "Mijn proef"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Mijn proef"' in page
    assert "utrecht-form-field--invalid" in page and "Dit veld is verplicht" in page
    response = client.post(reverse("budgets:run_start"), {
        "regulation": "brede_spuk", "years": ["2023"], "budget_version": established_version.pk,
        "distribution_key": default_key.pk})
    assert "zowel één totaalregel" not in response.content.decode()  # 2023 is per component in this version
    assert response.status_code == 302


def test_a_failed_run_says_why_and_offers_a_retry(login, demo_run):
    demo_run.pk = None
    demo_run.name, demo_run.status, demo_run.error = "Mislukt", AllocationRun.Status.FAILED, "De database was weg."
    demo_run.save()
    page = login("ministerie").get(reverse("budgets:run_detail", args=[demo_run.pk])).content.decode()
    assert "De database was weg." in page and "Opnieuw proberen" in page


def test_run_page_costs_a_fixed_number_of_queries_for_all_342_gemeenten(login, demo_run,
                                                                         django_assert_max_num_queries):
    client = login("ministerie")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("budgets:run_detail", args=[demo_run.pk]))
    page = response.content.decode()
    assert "342 gemeenten" in page and "pagina 1 van 7" in page
    assert page.count("Hoe berekend") == 50  # a page of 50 rows, not a table of 3,700 elements


def test_run_page_pages_through_the_gemeenten_with_the_filters_kept(login, demo_run):
    client = login("ministerie")
    url = reverse("budgets:run_detail", args=[demo_run.pk])
    last = client.get(url, {"pagina": 7}).content.decode()
    assert last.count("Hoe berekend") == 342 - 6 * 50 and "Volgende" not in last
    assert 'pagina=6">Vorige' in last
    assert client.get(url, {"pagina": "x"}).content.decode().count("Hoe berekend") == 50
    flevoland = client.get(url, {"province": "Flevoland"}).content.decode()
    assert "6 gemeenten" in flevoland and "Paginering" not in flevoland and "Almere" in flevoland
    gelderland = client.get(url, {"province": "Gelderland", "pagina": 2}).content.decode()
    assert "province=Gelderland&amp;pagina=1" in gelderland


def test_comparison_with_the_official_2025_table(login, run_2025_2026, official_run, django_assert_max_num_queries):
    client = login("ministerie")
    url = reverse("budgets:compare")
    params = {"a": official_run.pk, "b": run_2025_2026.pk, "year": 2025, "sort": "-verschil"}
    with django_assert_max_num_queries(14):
        page = client.get(url, params).content.decode()
    assert page.count('<tr class="utrecht-table__row"><th scope="row" class="utrecht-table__header-cell portal-fw-normal">') == 50
    assert "342 gemeenten, pagina 1 van 7. Grootste verschil: €\xa031." in page
    assert "Totaal van alle 342 gemeenten" in page
    last = client.get(url, {**params, "pagina": 7}).content.decode()
    assert last.count('<th scope="row" class="utrecht-table__header-cell portal-fw-normal">') == 342 - 6 * 50
    assert f"?a={official_run.pk}&amp;b={run_2025_2026.pk}&amp;year=2025&amp;sort=-verschil&amp;pagina=6" in last
    assert "pagina=" not in last.split("<thead")[1].split("</thead>")[0]  # sorting again starts at the first page
    filtered = client.get(url, {**params, "province": "Flevoland"}).content.decode()
    assert "Almere" in filtered and "Maastricht" not in filtered
    export = client.get(url, {**params, "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 342
    assert abs(int(rows[0]["verschil"])) >= abs(int(rows[-1]["verschil"]))  # sorted by difference
    almere = next(r for r in rows if r["cbs_code"] == "GM0034")
    assert int(almere["bedrag_a"]) == 3478172
    assert abs(int(almere["bedrag_b"]) - int(almere["bedrag_a"])) <= 31


def test_the_officer_of_almere_sees_almere_and_the_flevoland_total_only(login, demo_run,
                                                                          django_assert_max_num_queries):
    client = login("gemeente")
    with django_assert_max_num_queries(16):
        page = client.get(reverse("budgets:own_amounts")).content.decode()
    almere = Municipality.objects.get(cbs_code="GM0034")
    amount_2023 = demo_run.allocations.filter(municipality=almere, year=2023, component__number=7).get().amount
    flevoland = sum(demo_run.region_allocations.filter(region__slug="flevoland", year=2023)
                    .values_list("amount", flat=True))
    assert f"{amount_2023:,}".replace(",", ".") in page
    assert "Totaal IZA-regio Flevoland" in page and f"{flevoland:,}".replace(",", ".") in page
    assert "Lelystad" not in page
    # An unpublished run is not shown to gemeenten.
    assert "Proef" not in page


def test_the_explanation_shows_factors_shares_rounding_and_the_stored_amount(login, run_2025_2026):
    client = login("gemeente")
    run_2025_2026.is_published = True
    run_2025_2026.save()
    page = client.get(reverse("budgets:explanation", args=[run_2025_2026.pk, "GM0034"])).content.decode()
    stored = run_2025_2026.allocations.get(municipality__cbs_code="GM0034", year=2025).amount
    assert "222.825" in page and "17.811.291" in page  # Almere's population and the national total
    assert "50,00%" in page  # the weights
    assert f"€\xa0{stored:,}".replace(",", ".") in page
    # Each line says how it was rounded, and what it says matches the figures on the same line: the stored
    # amount is the exact amount rounded down, plus one euro where the line says "grootste rest".
    import re

    rows = re.findall(r"<tr class=\"utrecht-table__row\"><td class=\"utrecht-table__cell\">(\d{4})</td>.*?</tr>", page,
                      flags=re.S)
    num = r"<td class=\"utrecht-table__cell utrecht-table__cell--numeric\">"
    lines = re.findall(num + r"€\xa0([\d.]+),(\d\d)</td>" + num + r"([^<]+)</td>\s*"
                       r"<td class=\"utrecht-table__cell utrecht-table__cell--numeric portal-fw-bold\">€\xa0([\d.]+)</td>", page)
    assert rows and len(lines) == len(rows)
    for exact_euros, _cents, rounding, amount in lines:
        down, stored = int(exact_euros.replace(".", "")), int(amount.replace(".", ""))
        assert rounding == ("+ € 1 (grootste rest)" if stored == down + 1 else "naar beneden")
        assert stored in (down, down + 1)


def _main(html):
    return html[html.index("<main"):html.index("</main>")]


def test_a_finished_runs_explanation_is_worked_out_once_and_again_for_a_run_computed_again(
        login, run_2025_2026, django_assert_num_queries):
    """The explanation of a finished run never changes: the second view comes from the cache (without the run's
    frozen inputs or the verdeelsleutel) and reads the same. A run that is computed again (a retry gives it a new
    finishing time) is explained from its new inputs, not from the cache."""
    client = login("ministerie")
    url = reverse("budgets:explanation", args=[run_2025_2026.pk, "GM0034"])
    first = client.get(url).content.decode()
    assert "222.825" in first
    with django_assert_num_queries(4):  # session, user with roles, OTP device, the run with the gemeente
        again = client.get(url).content.decode()
    assert _main(again) == _main(first)
    snapshot = run_2025_2026.input_snapshot
    snapshot["statistics"]["GM0034"]["population"] = 222_826
    AllocationRun.objects.filter(pk=run_2025_2026.pk).update(
        input_snapshot=snapshot, finished_at=run_2025_2026.finished_at + timedelta(seconds=1))
    recomputed = client.get(url).content.decode()
    assert "222.826" in recomputed and "222.825" not in recomputed


def test_a_gemeente_outside_a_runs_inputs_has_no_explanation(login, run_2025_2026):
    snapshot = run_2025_2026.input_snapshot
    del snapshot["statistics"]["GM0034"]
    AllocationRun.objects.filter(pk=run_2025_2026.pk).update(input_snapshot=snapshot)
    response = login("ministerie").get(reverse("budgets:explanation", args=[run_2025_2026.pk, "GM0034"]))
    assert response.status_code == 404


def test_an_officer_cannot_open_an_unpublished_run_or_another_gemeente(login, run_2025_2026):
    client = login("gemeente")
    assert client.get(reverse("budgets:explanation", args=[run_2025_2026.pk, "GM0034"])).status_code == 403
    run_2025_2026.is_published = True
    run_2025_2026.save()
    assert client.get(reverse("budgets:explanation", args=[run_2025_2026.pk, "GM0995"])).status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_reports_are_made_by_a_task_stored_privately_and_downloaded_with_permission(
        fmt, login, run_2025_2026, django_capture_on_commit_callbacks):
    ministry = login("ministerie")
    with django_capture_on_commit_callbacks(execute=True):
        ministry.post(reverse("budgets:report_create", args=[run_2025_2026.pk]), {"format": fmt})
    report = AllocationReport.objects.get(run=run_2025_2026, format=fmt)
    assert report.status == AllocationReport.Status.FINISHED, report.error
    status_page = ministry.get(reverse("budgets:report_status", args=[run_2025_2026.pk])).content.decode()
    assert "downloaden" in status_page
    response = ministry.get(reverse("budgets:report_download", args=[report.pk]))
    content = b"".join(response.streaming_content)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
        assert rows[0] == ["cbs_code", "naam", "onderdeel", "jaar", "bedrag"]
        assert len(rows) == 1 + 342 * 2
    elif fmt == "xlsx":
        wb = load_workbook(io.BytesIO(content), read_only=True)
        assert {"Invoer", "Toekenningen", "Per gemeente", "IZA-regio's"} <= set(wb.sheetnames)
        flevoland = [r for r in wb["IZA-regio's"].iter_rows(values_only=True) if r[0] == "Flevoland"]
        assert flevoland[-1][2] == "Totaal regio"
        assert flevoland[-1][3] == sum(r[3] for r in flevoland[:-1])
    else:
        assert content.startswith(b"%PDF-")
    officer = login("gemeente")  # the same client, now logged in as an officer
    assert officer.get(reverse("budgets:report_download", args=[report.pk])).status_code == 403


def test_a_runs_report_is_made_once_and_a_second_request_downloads_the_stored_file(
        login, run_2025_2026, django_capture_on_commit_callbacks):
    ministry = login("ministerie")
    url = reverse("budgets:report_create", args=[run_2025_2026.pk])
    with django_capture_on_commit_callbacks(execute=True) as first:
        ministry.post(url, {"format": "pdf"})
    report = AllocationReport.objects.get(run=run_2025_2026, format="pdf")
    assert report.status == AllocationReport.Status.FINISHED and len(first) == 1
    with django_capture_on_commit_callbacks(execute=True) as second:
        page = ministry.post(url, {"format": "pdf"}, follow=True).content.decode()
    assert second == []  # nothing queued, nothing rendered
    assert "al gemaakt" in page
    assert list(AllocationReport.objects.filter(run=run_2025_2026).values_list("pk", flat=True)) == [report.pk]
    # Another format is its own report; a failed report is made again.
    AllocationReport.objects.filter(pk=report.pk).update(status=AllocationReport.Status.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        ministry.post(url, {"format": "pdf"})
        ministry.post(url, {"format": "csv"})
    assert AllocationReport.objects.filter(run=run_2025_2026, status=AllocationReport.Status.FINISHED).count() == 2


def test_official_import_through_the_upload_form(db, login, settings, tmp_path):
    client = login("ministerie")
    source = settings.REFERENCE_DATA_DIR / "brede_spuk_bedragen_2025_2026.csv"
    with open(source, "rb") as handle:
        response = client.post(reverse("budgets:official_import"), {
            "name": "Tabel 2A opnieuw", "regulation": "brede_spuk", "source": "brief", "file": handle})
    run = AllocationRun.objects.get(name="Tabel 2A opnieuw")
    assert response["Location"] == reverse("budgets:run_detail", args=[run.pk])
    assert run.kind == AllocationRun.Kind.ESTABLISHED and run.allocations.count() == 684
    bad = tmp_path / "fout.csv"
    bad.write_text("cbs_code,naam,bedrag_2025\nGM0034,Almere,veel\n", encoding="utf-8")
    with open(bad, "rb") as handle:
        page = client.post(reverse("budgets:official_import"), {
            "name": "Fout", "regulation": "brede_spuk", "source": "x", "file": handle}).content.decode()
    assert "regel 2" in page and "geheel getal" in page and 'value="Fout"' in page
    assert not AllocationRun.objects.filter(name="Fout").exists()


def test_a_new_key_needs_weights_adding_up_to_one(login, default_key):
    client = login("ministerie")
    data = {"name": "Alleen inwoners", "reference_year": 2023, "weight_population": "0.7",
            "weight_disadvantage": "0.2", "copy_fixed_from": default_key.pk}
    page = client.post(reverse("budgets:key_create"), data).content.decode()
    assert "samen precies 1" in page and 'value="Alleen inwoners"' in page
    response = client.post(reverse("budgets:key_create"), {**data, "weight_population": "1",
                                                            "weight_disadvantage": "0"})
    key = DistributionKey.objects.get(name="Alleen inwoners")
    assert response["Location"] == reverse("budgets:key_detail", args=[key.pk])
    assert key.fixed_amounts.count() == default_key.fixed_amounts.count() == 11
    assert list(key.factors.values_list("factor", flat=True)) == ["population"]


def test_components_page_shows_the_gala_spending_conditions(db, login):
    page = login("gemeente").get(reverse("budgets:component_list")).content.decode()
    assert "7. Valpreventie" in page and "verplicht" in page
    assert "lokale coalities kansrijke start" in page


def test_budget_versions_are_kept_side_by_side(db, login):
    client = login("gemeente")
    versions = list(BudgetVersion.objects.order_by("source_date", "id"))
    assert [v.kind for v in versions] == ["basis", "wijziging", "vastgesteld"]
    page = client.get(reverse("budgets:budget_version_detail", args=[versions[0].pk])).content.decode()
    assert "€\xa089.300.000" in page  # BRC 2023 in the GALA table
    page = client.get(reverse("budgets:budget_version_detail", args=[versions[2].pk])).content.decode()
    assert "€\xa0310.475.334" in page


def test_reference_data_loads_idempotently(db):
    counts = (BudgetVersion.objects.count(), DistributionKey.objects.count())
    reference.load()
    assert (BudgetVersion.objects.count(), DistributionKey.objects.count()) == counts


def test_command_line_run_and_export(db, tmp_path):
    out = io.StringIO()
    call_command("run_allocation", "--regulation", "brede_spuk", "--year", "2025", stdout=out)
    lines = out.getvalue().strip().splitlines()
    run = AllocationRun.objects.get(pk=int(lines[-1]))
    assert run.status == AllocationRun.Status.FINISHED
    assert run.budget_version.name.startswith("Vastgestelde totalen")  # the newest version by default
    assert any("310.475.334" in line for line in lines)
    path = tmp_path / "verdeling.csv"
    call_command("export_allocation", str(run.pk), "--format", "csv", "--output", str(path), stdout=io.StringIO())
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig"), delimiter=";"))
    assert list(rows[0]) == ["cbs_code", "naam", "onderdeel", "jaar", "bedrag"]
    assert sum(int(r["bedrag"]) for r in rows) == 310_475_334


def test_a_pending_report_polls_with_a_progress_bar_and_a_failed_one_says_why(login, demo_run, monkeypatch):
    from budgets import reports
    from budgets.services import report_generate

    report = AllocationReport.objects.create(run=demo_run, format="xlsx", progress=30)
    client = login("ministerie")
    page = client.get(reverse("budgets:report_status", args=[demo_run.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and '<progress max="100" value="30"' in page

    def broken(run, format, progress):
        raise OSError("schijf vol")

    monkeypatch.setattr(reports, "render", broken)
    report_generate(report_id=report.pk)
    page = client.get(reverse("budgets:report_status", args=[demo_run.pk])).content.decode()
    assert "Mislukt" in page and "schijf vol" in page and "hx-trigger" not in page


def test_a_new_budget_version_is_added_beside_the_old_ones_never_over_them(db, tmp_path, established_version):
    path = tmp_path / "totalen.csv"
    path.write_text("regeling,jaar,totaal_eur,bron\nbrede_spuk,2026,250000000,brief\n", encoding="utf-8")
    args = ["import_begrotingsversie", str(path), "--format", "totalen", "--name", "Korting 2026",
            "--source", "brief X", "--date", "2026-01-15", "--based-on", established_version.name]
    call_command(*args, stdout=io.StringIO())
    new = BudgetVersion.objects.get(name="Korting 2026")
    assert new.based_on == established_version
    lines = {(line.component.number, line.year): line.amount for line in new.lines.select_related("component")
             if line.component.regulation == "brede_spuk"}
    assert lines[(0, 2026)] == 250_000_000 and lines[(0, 2025)] == 310_475_334
    assert established_version.lines.get(component__number=0, component__regulation="brede_spuk",
                                          year=2026).amount == 264_423_052  # the old version is untouched
    path.write_text("regeling,jaar,totaal_eur,bron\nbrede_spuk,2026,1,brief\n", encoding="utf-8")
    with pytest.raises(CommandError, match="bestaat al met andere bedragen"):
        call_command(*args, stdout=io.StringIO())


def test_comparison_columns_sort_on_click_and_say_so(login, demo_run, official_run):
    client = login("ministerie")
    params = {"a": official_run.pk, "b": demo_run.pk, "year": 2025, "sort": "b"}
    page = client.get(reverse("budgets:compare"), params).content.decode()
    assert 'aria-sort="ascending"' in page
    assert "sort=-b" in page  # a second click on the same column reverses
    rows = client.get(reverse("budgets:compare"), {**params, "sort": "-b", "export": "csv"}).content.decode()
    amounts = [int(r["bedrag_b"]) for r in csv.DictReader(io.StringIO(rows.lstrip("\ufeff")), delimiter=";")]
    assert amounts == sorted(amounts, reverse=True)


def test_comparison_sorts_by_the_size_of_the_difference_and_warns_on_a_mismatch(login, demo_run, official_run):
    """'Grootste verschil' means largest either way; two sides of another regulation or
    without amounts for the year get a warning."""
    client = login("ministerie")
    params = {"a": official_run.pk, "b": demo_run.pk, "year": 2025, "sort": "-verschil", "export": "csv"}
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("budgets:compare"), params).content.decode("utf-8-sig")), delimiter=";"))
    diffs = [int(r["verschil"]) for r in rows]
    assert any(d < 0 for d in diffs) and len(set(diffs)) > 1  # negative differences are the test
    assert [abs(d) for d in diffs] == sorted((abs(d) for d in diffs), reverse=True)

    page = client.get(reverse("budgets:compare"), {**params, "export": ""}).content.decode()
    assert "niet goed vergelijkbaar" not in page  # same regulation, both cover 2025
    other = AllocationRun.objects.get(pk=demo_run.pk)
    other.pk, other.name, other.regulation, other.years = None, "IZA-proef", "spuk_iza", [2026]
    other.save()
    page = client.get(reverse("budgets:compare"), {**params, "b": other.pk, "export": ""}).content.decode()
    assert "niet goed vergelijkbaar" in page
    assert "verschillende regelingen" in page
    assert "B (IZA-proef) heeft geen bedragen voor 2025, alleen voor 2026" in page


def test_the_xlsx_report_has_dutch_headers_euro_amounts_a_frozen_filterable_header_and_its_inputs(demo_run):
    from budgets.reports import render_xlsx

    wb = load_workbook(io.BytesIO(render_xlsx(demo_run)))
    sheet = wb["Per gemeente"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["CBS-code", "Gemeente", "Provincie"] and headers[3].startswith("Totaal 20")
    assert not any("_" in h for ws in wb for h in (c.value for c in ws[1]) if h), "no snake_case headers"
    for ws in (wb["Toekenningen"], sheet, wb["IZA-regio's"]):
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert ws[1][0].font.b
        column = [c.value for c in ws[1]].index("Gemeente")
        assert ws.column_dimensions["ABC"[column]].width >= 20  # gemeente names fit
    assert "€" in sheet.cell(row=2, column=4).number_format and sheet.cell(row=2, column=4).value > 0
    assert wb["Toekenningen"]["E2"].number_format == '"€" #,##0'
    inputs = {r[0]: r[1] for r in wb["Invoer"].iter_rows(min_row=2, values_only=True)}
    assert inputs["Berekening"] == demo_run.name and "Verdeelsleutel" in inputs


def test_the_pdf_report_has_a_cover_dutch_formats_and_page_numbers(demo_run):
    """Weights 0,5 (not 0.500000), dates written out, amounts € 91.053, the issuer on the
    cover and "pagina x van y" on every page."""
    import re

    from pypdf import PdfReader

    from budgets.reports import render_pdf_report

    reader = PdfReader(io.BytesIO(render_pdf_report(demo_run)))
    pages = [" ".join(p.extract_text().replace("\u00a0", " ").split()) for p in reader.pages]
    text = " ".join(pages)
    cover = pages[0]
    assert "Ministerie van Volksgezondheid, Welzijn en Sport" in cover
    assert "Verdeelrapport" in cover and demo_run.name in cover and "Verdeling van de Brede SPUK" in cover
    assert re.search(r"Datum rapport \d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|"
                     r"oktober|november|december) 20\d\d", cover)
    for number, page in enumerate(pages, start=1):
        assert f"pagina {number} van {len(pages)}" in page
    assert "Inwoners: 0,5" in text and "0.500000" not in text and "0,500000" not in text
    assert "Peildatum regio-indeling 1 januari 2023" in text
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text), "no ISO dates"
    assert "Ameland GM0060 2025 € 91.053" in text  # the fixed amounts as a table: gemeente, CBS-code, jaar, bedrag
    assert not re.search(r"€ \d{4,}", text), "thousands are grouped with a dot"
    assert "Totaal Flevoland" in text
    assert text.count("Totaal Nederland") == 1, "the national total once, under the table, not on every page"
    assert not re.search(r"\d€", text), "no amount runs into the next column (the bold national total is widest)"
    assert text.count("peiljaar 2023") == 1, "the key's reference year said once"
    assert re.search(r"Almere \(GM0034\) € \d{1,3}(\.\d{3})+", text)  # the CBS code in the gemeente's cell
    assert "Rijksoverheid" not in text


def test_the_fingerprint_in_the_pdf_report_stays_inside_the_right_margin(demo_run):
    """The SHA-256 of the inputs wraps inside the page's margin (a 64-character word ran past it)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from budgets import reports
    from spukportal.pdf import BASE_URL, StaticOnlyFetcher

    html = render_to_string("budgets/report_pdf.html", {
        "run": demo_run, "issuer": reports.ISSUER, "years": sorted(demo_run.years), "inputs": reports._inputs(demo_run),
        "fixed": [], "provinces": [], "national": [], "regions": []})
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).render()
    right_margin = 15 * 96 / 25.4  # report.css: @page margin-right 15mm, in CSS pixels
    pieces = []
    for page in document.pages:
        for box in page._page_box.descendants():
            text = getattr(box, "text", "")
            if text and all(c in "0123456789abcdef" for c in text) and len(text) >= 8:
                pieces.append((text, box.position_x + box.width, page.width))
    assert "".join(t for t, _, _ in pieces) == demo_run.input_fingerprint
    for text, right, width in pieces:
        assert right <= width - right_margin + 0.5, f"{text} ends at {right:.0f}px of {width:.0f}px"


def test_the_run_page_names_who_started_it_and_shows_a_short_fingerprint(login, run_2025_2026):
    html = login("ministerie").get(reverse("budgets:run_detail", args=[run_2025_2026.pk])).content.decode()
    body = html.split("<main", 1)[1]
    starter = run_2025_2026.created_by
    assert starter.get_full_name() and f"{starter.get_full_name()} op" in body
    assert f">{starter.username} op" not in body
    fingerprint = run_2025_2026.input_fingerprint
    assert fingerprint not in body and f"{fingerprint[:6]} {fingerprint[6:12]}" in body
    key = body.split(">Verdeelsleutel</dt>", 1)[1].split("</dd>", 1)[0]
    assert key.count("peiljaar") == 1, key


def test_the_run_page_compares_with_another_run_of_its_regulation_not_with_itself(login, demo_run, official_run):
    client = login("ministerie")
    page = client.get(reverse("budgets:run_detail", args=[demo_run.pk])).content.decode()
    link = re.search(r'href="(/budgetten/[^"]*\?a=[^"]+)">Vergelijken met ([^<]+)</a>', page)
    assert link and link.group(2) == official_run.name, page[page.find("Vergelijken"):][:300]
    compared = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert f"A = {demo_run.name}; B = {official_run.name}" in compared
    assert "niet goed vergelijkbaar" not in compared and "%" in compared
    iza = AllocationRun.objects.get(regulation="spuk_iza", name__startswith="Demo")
    page = client.get(reverse("budgets:run_detail", args=[iza.pk])).content.decode()
    assert "Er is geen andere afgeronde berekening van de SPUK IZA" in page


def test_comparing_a_run_with_itself_or_an_iza_run_with_the_brede_table_warns_instead_of_showing_percentages(
        login, demo_run, official_run):
    client = login("ministerie")
    same = client.get(reverse("budgets:compare"), {"a": demo_run.pk, "b": demo_run.pk, "year": 2025}).content.decode()
    assert "A en B zijn dezelfde berekening" in same
    iza = AllocationRun.objects.get(regulation="spuk_iza", name__startswith="Demo")
    page = client.get(reverse("budgets:compare"), {"a": iza.pk, "b": official_run.pk, "year": 2025}).content.decode()
    assert "verschillende regelingen" in page and "geen verschil in procenten" in page
    table = page[page.index("<tbody"):page.index("</tbody>")]
    assert "%" not in table  # no "-100,00 %" (or any percentage) on the rows
    rows = client.get(reverse("budgets:compare"), {"a": iza.pk, "b": official_run.pk, "year": 2025,
                                                   "export": "csv"}).content.decode("utf-8-sig")
    assert all(r["verschil_procent"] == "" for r in csv.DictReader(io.StringIO(rows), delimiter=";"))
