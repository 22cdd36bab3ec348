"""SiSa spending reports: the grants they rest on, each bad input (message on the field, input kept,
nothing stored), the over-grant warning, carry-over, the final settlement, lock and correction, audit."""

import datetime
import re

import pytest

from budgets.models import Regulation
from monitoring import grants
from monitoring.accountability import selectors as sisa_selectors, services as sisa_services
from monitoring.models import PriorGrant, SpendingLine, SpendingReport
from spukportal.models import AuditEvent
from tests.monitoring import sisa_factories as f

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode().replace("\xa0", " ")


def edit_url(rep):
    return f"/verantwoording/{rep.pk}/bewerken/"


# --- grants -----------------------------------------------------------------------------------------

def test_granted_amounts_come_from_prior_grants_and_portal_decisions_and_iza_counts_at_the_mandate_holder():
    almere = f.almere()
    prior_2024 = sum(PriorGrant.objects.filter(municipality=almere, regulation="brede_spuk", year=2024)
                     .values_list("amount", flat=True))
    assert prior_2024 > 0
    by_muni = grants.granted_by_municipality(year=2024, regulation=Regulation.BREDE_SPUK)
    assert by_muni[almere.pk] == prior_2024
    # Urk's demo application was granted in the portal: its decision lines count, folded to one line from 2025.
    from applications.models import GrantDecisionLine
    urk_2025 = sum(GrantDecisionLine.objects.filter(decision__application__municipality__cbs_code="GM0184",
                                                    year=2025).values_list("amount", flat=True))
    urk = grants.granted_for(municipality_id=f.Municipality.objects.get(cbs_code="GM0184").pk,
                             regulation=Regulation.BREDE_SPUK, year=2025)
    assert urk_2025 > 0 and urk.lines == {None: urk_2025} and urk.prior_references == []
    iza = grants.granted_by_municipality(year=2024, regulation=Regulation.SPUK_IZA)
    assert set(iza) == {almere.pk}


def test_selectors_for_the_dashboards():
    almere = f.almere()
    spent = sisa_selectors.spending_by_municipality(year=2024, regulation=Regulation.BREDE_SPUK)
    # The demo's submitted 2024 reports: Almere's and Heerlen's (the money chain's); a concept does not count.
    heerlen_2024 = SpendingReport.objects.get(municipality__cbs_code="GM0917", year=2024, status="ingediend")
    assert spent == {almere.pk: sum(f.almere_2024().lines.values_list("expenditure", flat=True)),
                     heerlen_2024.municipality_id: sum(heerlen_2024.lines.values_list("expenditure", flat=True))}
    assert almere.pk not in sisa_selectors.spending_by_municipality(year=2025)  # a concept does not count
    assert sisa_selectors.late_reports(year=2025, today=datetime.date(2026, 7, 15)) == []  # not yet late
    late = sisa_selectors.late_reports(year=2025, today=datetime.date(2026, 7, 16))
    assert almere in late and f.Municipality.objects.get(cbs_code="GM0184") in late
    assert almere not in sisa_selectors.late_reports(year=2024, today=datetime.date(2026, 1, 1))


# --- start --------------------------------------------------------------------------------------------

def test_a_report_for_a_year_without_a_grant_is_refused_on_the_field_with_the_input_kept(login):
    lelystad = f.Municipality.objects.get(cbs_code="GM0995")
    before = SpendingReport.objects.count()
    response = login("gemeente2").post("/verantwoording/nieuw/", {"municipality": lelystad.pk,
                                                                  "regulation": "brede_spuk", "year": "2024"})
    assert response.status_code == 422
    page = text(response)
    assert "Aan Lelystad is voor 2024 geen Brede SPUK toegekend" in page
    assert '<option value="2024" selected>' in page
    assert SpendingReport.objects.count() == before


def test_a_gemeente_cannot_start_a_report_for_another_gemeente(login):
    almere = f.almere()
    response = login("gemeente3").post("/verantwoording/nieuw/", {"municipality": almere.pk,
                                                                  "regulation": "brede_spuk", "year": "2026"})
    assert response.status_code == 422 and not SpendingReport.objects.filter(municipality=almere, year=2026).exists()


def test_start_prefills_one_line_per_granted_component_up_to_2024(login):
    f.prior_grant("GM0928", 2024, 40_000, number=7)
    f.prior_grant("GM0928", 2024, 10_000, number=3)
    response = login("gemeente3").post("/verantwoording/nieuw/", {
        "municipality": f.Municipality.objects.get(cbs_code="GM0928").pk, "regulation": "brede_spuk", "year": "2024"})
    assert response.status_code == 302
    rep = f.report(2024, cbs_code="GM0928")
    assert [line.component.number for line in rep.lines.order_by("component__number")] == [3, 7]
    assert AuditEvent.objects.filter(action="sisa.aangemaakt", object_id=str(rep.pk)).exists()
    page = text(login("gemeente3").get(edit_url(rep)))
    assert "toegekend vóór het portaal, kenmerk TEST-1" in page and "uiterlijk <strong>15 juli 2025" in page


# --- bad input on the form ------------------------------------------------------------------------

def _post_edit(login, rep, **overrides):
    return login("gemeente").post(edit_url(rep), f.form_data(rep, **overrides))


def _unchanged(rep):
    stored = [(x.expenditure, x.correction_previous, x.cumulative) for x in SpendingLine.objects.filter(report=rep)]
    events = AuditEvent.objects.filter(action="sisa.opgeslagen", object_id=str(rep.pk)).count()
    return stored, events


def test_negative_spending_is_refused_on_the_field_with_the_input_kept(login):
    rep = f.almere_2025()
    before = _unchanged(rep)
    response = _post_edit(login, rep, l0_expenditure="-5.000")
    assert response.status_code == 422
    page = text(response)
    assert "De besteding kan niet negatief zijn." in page and 'value="-5.000"' in page
    assert 'href="#id_l0_expenditure"' in page  # the error summary links to the field
    assert _unchanged(rep) == before


def test_cumulative_is_computed_by_the_portal_and_shown_read_only(login):
    """/04 is never typed: the form shows it read-only and the portal stores last year's /04 + /01 + /03,
    whatever a (forged) request sends."""
    rep = f.almere_2025()
    previous = sum(f.almere_2024().lines.values_list("cumulative", flat=True))
    before = _unchanged(rep)
    page = text(login("gemeente").get(edit_url(rep)))
    [tag] = re.findall(r'<input[^>]*id="id_l0_cumulative"[^>]*>', page)
    assert "/04 Cumulatieve besteding (berekend)" in page and "disabled" in tag
    ok = _post_edit(login, rep, l0_expenditure="1000", l0_correction="-200", l0_cumulative=str(previous + 5000))
    assert ok.status_code == 302
    line = rep.lines.get()
    assert (line.expenditure, line.correction_previous, line.cumulative) == (1000, -200, previous + 800)
    assert AuditEvent.objects.filter(action="sisa.opgeslagen", object_id=str(rep.pk)).count() == before[1] + 1


def test_carry_over_above_ten_percent_is_refused_and_within_it_is_stored(login):
    rep = f.almere_2025()
    granted = grants.granted_for(municipality_id=rep.municipality_id, regulation="brede_spuk", year=2025).total
    previous = sum(f.almere_2024().lines.values_list("cumulative", flat=True))
    before = _unchanged(rep)
    cap = granted // 10
    spent = granted // 2
    response = _post_edit(login, rep, l0_expenditure=str(spent), l0_cumulative=str(previous + spent),
                          carry_over=str(cap + 1))
    assert response.status_code == 422
    assert "ten hoogste 10% van de toekenning over 2025" in text(response)
    assert f'value="{cap + 1}"' in text(response)
    assert _unchanged(rep) == before
    response = _post_edit(login, rep, l0_expenditure=str(spent), l0_cumulative=str(previous + spent),
                          carry_over=str(cap))
    assert response.status_code == 302
    rep.refresh_from_db()
    assert rep.carry_over == cap


def test_carry_over_cannot_exceed_what_is_unspent():
    rep = f.almere_2025()
    frame = sisa_services.frame_of(rep)
    granted = frame.granted_total()
    previous = frame.previous[None]
    spent = granted - 10
    outcome = sisa_services.check(frame, {"lines": {None: (spent, 0, previous + spent)}, "carry_over": 11})
    assert "niet meer doorschuiven dan er over 2025 niet is besteed" in outcome.errors["carry_over"][0]


def test_spending_above_the_grant_is_stored_with_a_visible_warning(login):
    rep = f.almere_2025()
    frame = sisa_services.frame_of(rep)
    over = frame.granted_total() + 1000
    response = _post_edit(login, rep, l0_expenditure=str(over), l0_cumulative=str(frame.previous[None] + over))
    assert response.status_code == 302
    page = text(login("gemeente").get(edit_url(rep)))
    assert "besteding hoger dan toegekend" in page.lower()
    assert "is hoger dan toegekend" in text(login("gemeente").get(f"/verantwoording/{rep.pk}/"))


def test_the_final_accounting_is_refused_before_the_grant_s_last_year(login):
    """Almere's grant runs to 2026: "Eindverantwoording: Ja" on its 2025 report is refused at the field, nothing
    is stored."""
    rep = f.almere_2025()
    frame = sisa_services.frame_of(rep)
    spent = 1000
    response = _post_edit(login, rep, l0_expenditure=str(spent), l0_cumulative=str(frame.previous[None] + spent),
                          is_final="ja")
    assert response.status_code == 422
    assert "De eindverantwoording hoort bij het laatste jaar van de toekenning (2026)" in text(response)
    rep.refresh_from_db()
    assert not rep.is_final


# --- lock and correction -------------------------------------------------------------------------

def test_a_submitted_report_is_locked_and_a_correction_is_a_new_version_with_a_reason(login, django_capture_on_commit_callbacks):
    old = f.almere_2024()
    client = login("gemeente")
    assert client.get(edit_url(old)).status_code == 403
    response = client.post(f"/verantwoording/{old.pk}/corrigeren/", {"reason": ""})
    assert response.status_code == 422 and "Geef de reden van de correctie." in text(response)
    assert SpendingReport.objects.filter(municipality=old.municipality, year=2024, regulation="brede_spuk").count() == 1
    response = client.post(f"/verantwoording/{old.pk}/corrigeren/", {"reason": "Accountant vond een boeking te veel."})
    new = f.report(2024)
    assert response.status_code == 302 and new.version == 2 and new.status == "concept"
    assert new.correction_reason == "Accountant vond een boeking te veel."
    first = new.lines.order_by("component__number").first()
    data = f.form_data(new, **{f"l{first.component_id}_expenditure": first.expenditure - 100,
                               f"l{first.component_id}_cumulative": first.cumulative - 100})
    assert client.post(edit_url(new), data).status_code == 302
    assert client.post(f"/verantwoording/{new.pk}/indienen/", {}).status_code == 422  # confirmation required
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/verantwoording/{new.pk}/indienen/", {"confirm": "on"})
    assert response.status_code == 302
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == "vervangen" and new.status == "ingediend" and new.appendix.status == "klaar"
    page = text(client.get(f"/verantwoording/{old.pk}/"))
    assert "vervangen door een correctie" in page
    actions = set(AuditEvent.objects.filter(object_type="monitoring.spendingreport",
                                            object_id__in=[str(old.pk), str(new.pk)]).values_list("action", flat=True))
    assert {"sisa.correctie_gestart", "sisa.opgeslagen", "sisa.ingediend", "sisa.vervangen", "sisa.bijlage_klaar"} <= actions
    # The dashboards count the current version only.
    spent = sisa_selectors.spending_by_municipality(year=2024, regulation="brede_spuk")[old.municipality_id]
    assert spent == sum(new.lines.values_list("expenditure", flat=True))


def test_a_report_cannot_be_edited_by_another_gemeente_or_after_submission_through_the_service():
    from django.core.exceptions import PermissionDenied

    rep = f.almere_2025()
    with pytest.raises(PermissionDenied):
        sisa_services.report_save(actor=f.user("gemeente2"), report=rep, data=sisa_services.content_of(rep))
    with pytest.raises(PermissionDenied):
        sisa_services.report_save(actor=f.user("gemeente"), report=f.almere_2024(),
                                  data=sisa_services.content_of(f.almere_2024()))


# --- IZA (H35 / H35B) ------------------------------------------------------------------------------

def test_the_iza_report_has_an_h35b_row_per_receiving_member_and_members_read_but_do_not_edit(login):
    rep = f.flevoland_2024()
    assert rep.region.name == "Flevoland"
    assert [t.recipient.name for t in rep.transfers.all()] == ["Lelystad"]
    page = text(login("gemeente2").get(f"/verantwoording/{rep.pk}/"))
    assert "H35B" in page and "Lelystad (GM0995)" in page
    assert login("gemeente3").get(f"/verantwoording/{rep.pk}/").status_code == 403


def test_an_iza_draft_is_prefilled_with_the_plan_s_local_lines_and_checks_h35b_rows(login):
    almere = f.almere()
    rep = sisa_services.report_start(actor=f.user("gemeente"), municipality=almere, regulation="spuk_iza", year=2025)
    lelystad = f.Municipality.objects.get(cbs_code="GM0995")
    assert list(rep.transfers.values_list("recipient_id", flat=True)) == [lelystad.pk]
    previous = f.flevoland_2024().transfers.get().cumulative
    response = login("gemeente").post(edit_url(rep), f.form_data(rep, **{
        f"t{lelystad.pk}_expenditure": "-1", f"t{lelystad.pk}_cumulative": str(previous)}))
    assert response.status_code == 422 and "De besteding kan niet negatief zijn." in text(response)
    response = login("gemeente").post(edit_url(rep), f.form_data(rep, **{
        f"t{lelystad.pk}_expenditure": "100", f"t{lelystad.pk}_cumulative": str(previous + 100)}))
    assert response.status_code == 302
    assert rep.transfers.get().cumulative == previous + 100


def test_only_the_mandate_holder_starts_the_iza_report(login):
    lelystad = f.Municipality.objects.get(cbs_code="GM0995")
    response = login("gemeente2").post("/verantwoording/nieuw/", {"municipality": lelystad.pk,
                                                                  "regulation": "spuk_iza", "year": "2024"})
    assert response.status_code == 422 and "geen mandaathouder van een IZA-regio" in text(response)


# --- lists ----------------------------------------------------------------------------------------

def test_the_gemeente_list_shows_its_grants_with_their_source_and_deadline(login):
    page = text(login("gemeente").get("/verantwoording/"))
    assert "toegekend vóór het portaal, kenmerk DUS-I-2024-BSPUK-GM0034" in page
    assert "15 juli 2025" in page
    assert "Kerkrade" not in page


def test_the_ministry_list_filters_and_exports(login):
    client = login("ministerie")
    page = text(client.get("/verantwoording/?year=2025&status=concept"))
    assert "Almere" in page and "/verantwoording/export/csv/?year=2025" in page
    csv = client.get("/verantwoording/export/csv/?year=2024&regulation=spuk_iza").content.decode("utf-8-sig")
    lines = csv.strip().splitlines()
    assert lines[0].startswith("Gemeente;CBS-code;IZA-regio") and len(lines) == 2 and "Flevoland" in lines[1]
    xlsx = client.get("/verantwoording/export/xlsx/")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_more_passed_on_to_members_than_spent_is_stored_with_a_visible_warning_naming_the_gemeente(login):
    almere = f.almere()
    rep = sisa_services.report_start(actor=f.user("gemeente"), municipality=almere, regulation="spuk_iza", year=2025)
    lelystad = f.Municipality.objects.get(cbs_code="GM0995")
    previous = f.flevoland_2024().transfers.get().cumulative
    frame = sisa_services.frame_of(rep)
    response = login("gemeente").post(edit_url(rep), f.form_data(rep, **{
        "l0_expenditure": "1000", "l0_cumulative": str(frame.previous.get(None, 0) + 1000),
        f"t{lelystad.pk}_expenditure": "5000", f"t{lelystad.pk}_cumulative": str(previous + 5000)}))
    assert response.status_code == 302
    page = text(login("gemeente").get(f"/verantwoording/{rep.pk}/"))
    assert "aan andere gemeenten is samen € 5.000 doorbetaald, meer dan de besteding op H35 (€ 1.000)" in page
    assert rep.transfers.get().expenditure == 5000


def test_the_error_summary_names_the_line_of_each_amount_in_the_page_order(login):
    rep = f.almere_2025()
    line = rep.lines.order_by("component__number").first()
    key = line.component_id or 0
    response = _post_edit(login, rep, **{f"l{key}_expenditure": "-5.000", "self_executed": ""})
    assert response.status_code == 422
    summary = text(response).split('id="foutoverzicht"', 1)[1].split("</ul>", 1)[0]
    name = str(line.component) if line.component_id else rep.definition.legal_name
    first = summary.index(f"{name}, /01 Besteding 2025: De besteding kan niet negatief zijn.")
    assert first < summary.index("/02 Zelfstandige uitvoering")  # the lines come first on the page, too
