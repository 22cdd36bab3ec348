"""The ministry's decision: the DECIDE effect (amounts, cap, payments, reference), the letter, the batch."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

import spukportal.tasks  # noqa: F401  (registers the mail task: notify's after-commit looks it up by name)
from applications.decisions import services as decision_services, decide as decisions
from applications.models import AdvancePayment, GrantDecision, GrantDecisionLine
from spukportal.models import AuditEvent, Notification
from tests.applications import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 10)


def positive(period=None, cbs_code="GM0034", username="gemeente"):
    period = period or f.scenario()
    return f.with_final_advice(f.submitted(period, cbs_code, username), "positief")


def grant(app, **kwargs):
    return decision_services.decision_make(actor=f.user("ministerie"), application=app, outcome="toegekend",
                                           decided_on=kwargs.pop("decided_on", DAY), **kwargs)


def test_a_grant_without_lines_grants_what_was_requested_per_component_per_year_with_advances():
    app = positive()
    decision = grant(app)
    app.refresh_from_db()
    assert app.state == "toegekend"
    assert decision.outcome == "toegekend" and decision.decided_on == DAY
    assert decision.reference == f"VWS-2024-BS-{app.pk:06d}"
    lines = list(decision.lines.all())
    assert len(lines) == 15 * 3 and {line.amount for line in lines} == {50_000}
    assert decision.total == 15 * 3 * 50_000
    payments = [(p.due_on, p.amount) for p in decision.payments.all()]
    # 2024 and 2025 (the decision's year and before): within four weeks; 2026: on 1 February 2026, a Sunday, so
    # on Monday 2 February.
    assert payments == [(datetime.date(2025, 4, 7), 750_000), (datetime.date(2025, 4, 7), 750_000),
                        (datetime.date(2026, 2, 2), 750_000)]
    event = AuditEvent.objects.get(action="beschikking.vastgesteld", object_id=str(app.pk))
    assert event.details["kenmerk"] == decision.reference and len(event.details["regels"]) == 45
    assert AuditEvent.objects.filter(action="aanvraag.toegekend", object_id=str(app.pk)).exists()
    notified = Notification.objects.filter(event="beschikking", url=f"/aanvragen/{app.pk}/")
    assert {n.user.username for n in notified} == {"gemeente"}


def test_a_grant_above_the_allocation_names_year_amount_and_cap_and_stores_nothing():
    app = positive()
    first = f.components()[0]
    lines = [{"component": first.pk, "plan_line": None, "year": 2025, "amount": 100_001}]
    with pytest.raises(ValidationError) as refused:
        grant(app, lines=lines)
    assert [m.replace("\xa0", " ") for m in refused.value.messages] == [
        f"{first.number}. {first.name}: in 2025 wordt € 100.001 toegekend, maar de toekenning uit de verdeling is "
        "ten hoogste € 100.000."]
    app.refresh_from_db()
    assert app.state == "advies_positief"
    assert not GrantDecision.objects.filter(application=app).exists()
    assert not GrantDecisionLine.objects.filter(decision__application=app).exists()
    assert not AdvancePayment.objects.filter(decision__application=app).exists()


def test_a_year_capped_on_the_total_line_refuses_a_total_above_it():
    app = positive(f.scenario(amount=1_000_000, total_from=2025))
    comps = f.components()
    lines = [{"component": c.pk, "plan_line": None, "year": 2025, "amount": 100_000} for c in comps[:11]]
    with pytest.raises(ValidationError) as refused:
        grant(app, lines=lines)
    assert [m.replace("\xa0", " ") for m in refused.value.messages] == [
        "In 2025 wordt in totaal € 1.100.000 toegekend, maar de toekenning uit de verdeling voor 2025 is € 1.000.000."]
    assert not GrantDecision.objects.filter(application=app).exists()


def test_amounts_are_bounded_and_belong_to_the_application():
    app = positive()
    comp = f.components()[0]
    with pytest.raises(ValidationError):
        grant(app, lines=[{"component": comp.pk, "plan_line": None, "year": 2025, "amount": 10**12}])
    with pytest.raises(ValidationError):
        grant(app, lines=[{"component": comp.pk, "plan_line": None, "year": 2031, "amount": 10}])
    with pytest.raises(ValidationError):
        grant(app, lines=[{"component": f.total_line().pk, "plan_line": None, "year": 2025, "amount": 10}])
    assert not GrantDecision.objects.filter(application=app).exists()


def test_a_rejection_needs_reasons_and_keeps_them():
    app = positive()
    with pytest.raises(ValidationError) as refused:
        decision_services.decision_make(actor=f.user("ministerie"), application=app, outcome="afgewezen",
                                        decided_on=DAY, reasons="  ")
    assert "redenen" in refused.value.messages[0]
    assert not GrantDecision.objects.filter(application=app).exists()
    decision = decision_services.decision_make(actor=f.user("ministerie"), application=app, outcome="afgewezen",
                                               decided_on=DAY, reasons="Het plan is niet uitvoerbaar.")
    assert decision.outcome == "afgewezen" and decision.reasons == "Het plan is niet uitvoerbaar."
    assert not decision.lines.exists() and not decision.payments.exists()


def test_no_decision_without_a_final_advice_and_never_a_second_one():
    app = f.in_review(f.submitted(f.scenario()))
    with pytest.raises(ValidationError):
        grant(app)
    assert not GrantDecision.objects.filter(application=app).exists()
    app = positive(f.scenario(municipalities=("GM0995",)), "GM0995", "gemeente2")
    first = grant(app)
    app.refresh_from_db()
    with pytest.raises(ValidationError):
        grant(app)
    assert GrantDecision.objects.filter(application=app).count() == 1
    # And at the database level: the one-to-one refuses a second decision (and a second reference).
    with pytest.raises(IntegrityError), transaction.atomic():
        GrantDecision.objects.create(application=app, outcome="toegekend", reference="VWS-ANDERS",
                                     decided_on=DAY, decided_by=f.user("ministerie"))
    with pytest.raises(IntegrityError), transaction.atomic():
        GrantDecision.objects.create(application=positive(f.scenario(municipalities=("GM0928",)), "GM0928",
                                                          "gemeente3"),
                                     outcome="toegekend", reference=first.reference, decided_on=DAY,
                                     decided_by=f.user("ministerie"))


def test_only_the_ministry_decides():
    app = positive()
    for username in ("gemeente", "kerngroep", "kerngroep2", "beheer"):
        with pytest.raises(PermissionDenied):
            decision_services.decision_make(
                actor=f.user(username), application=app, outcome="toegekend", decided_on=DAY)
    assert not GrantDecision.objects.filter(application=app).exists()


def test_iza_grants_per_plan_line_and_tells_every_member_gemeente():
    period = f.iza_scenario(cap=1_000_000)
    app = f.iza_draft(period)
    from applications.intake import services

    app = services.application_save_lines(
        actor=f.user("gemeente"), application=app, base_version=app.edit_version,
        lines=[f.line(amount=600_000), f.line("Lokale inzet", "lokaal", "GM0995", 2026, 300_000)])
    app = _complete_iza(app)
    app = f.with_final_advice(app, "positief")
    decision = grant(app)
    assert [(line.year, line.amount, line.plan_line is not None) for line in decision.lines.all()] == [
        (2025, 600_000, True), (2026, 300_000, True)]
    assert decision.lines.get(year=2026).municipality.cbs_code == "GM0995"
    assert decision.reference == f"VWS-2025-IZA-{app.pk:06d}"
    users = {n.user.username for n in Notification.objects.filter(event="beschikking", url=f"/aanvragen/{app.pk}/")}
    assert {"gemeente", "gemeente2"} <= users and "gemeente3" not in users
    with pytest.raises(ValidationError) as refused:
        decisions.clean_lines(app, [{"plan_line": decision.lines.first().plan_line_id, "year": 2025,
                                     "amount": 1_000_001}])
    assert "€\xa01.000.000" in refused.value.messages[0] and "2025" in refused.value.messages[0]


def _complete_iza(app):
    """Everything filled in, every member's declaration; then submitted."""
    from applications.intake import services
    from applications.models import Application

    app = f.fill_completely(Application.objects.get(pk=app.pk))
    for m in app.applicant.declaring_members:
        f.declare(app, "gemeente2" if m.cbs_code == "GM0995" else f.officer(f"off-{m.cbs_code}", m.cbs_code),
                  m.cbs_code)
    return services.application_submit(actor=f.user("gemeente"), application=app)


def test_capped_to_allocation_lowers_to_the_cap_and_adds_up_exactly():
    app = positive(f.scenario(amount=1_000_000, total_from=2025))
    comps = f.components()
    lines = [{"component": c.pk, "plan_line": None, "year": 2025, "amount": 100_001} for c in comps[:10]] + [
        {"component": comps[0].pk, "plan_line": None, "year": 2024, "amount": 1_500_000}]
    capped = decisions.capped_to_allocation(app, lines)
    assert sum(line["amount"] for line in capped if line["year"] == 2025) == 1_000_000
    assert [line["amount"] for line in capped if line["year"] == 2024] == [1_000_000]
    assert decisions.cap_overruns(app, capped) == {}


# --- the letter ------------------------------------------------------------------------------------------

def pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_letter_is_a_tagged_pdf_in_private_storage_with_amounts_payments_basis_and_objection(
        django_capture_on_commit_callbacks):
    import io

    from django.core.files.storage import storages
    from pypdf import PdfReader

    app = positive()
    with django_capture_on_commit_callbacks(execute=True):
        decision = grant(app)
    decision.refresh_from_db()
    assert decision.letter.status == "klaar", decision.letter.error
    content = storages["private"].open(decision.letter.file).read()
    import hashlib
    import os

    if os.environ.get("SAVE_LETTER"):
        open(os.environ["SAVE_LETTER"], "wb").write(content)

    assert decision.letter.sha256 == hashlib.sha256(content).hexdigest()
    reader = PdfReader(io.BytesIO(content))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]  # tagged
    assert catalog["/Lang"] == "nl"
    text = " ".join(pdf_text(content).split())
    for expected in ["Ministerie van Volksgezondheid, Welzijn en Sport", "gemeente Almere", decision.reference,
                     "Regeling specifieke uitkering sport en bewegen, gezondheidsbevordering, cultuurparticipatie en "
                     "de sociale basis 2023–2026", "Gezond en Actief Leven Akkoord", "€ 2.250.000", "€ 50.000",
                     "7. Valpreventie", "7 april 2025", "2 februari 2026", "binnen zes weken",
                     "artikel 6:7 van de Algemene wet bestuursrecht", "Postbus 20350, 2500 EJ Den Haag"]:
        assert expected in text.replace("\xa0", " "), expected
    assert "Rijksoverheid" not in text


def test_advances_fall_on_the_next_dutch_working_day_never_on_a_holiday_or_weekend():
    lines = [{"year": y, "amount": 100} for y in (2025, 2026, 2027)]
    # Four weeks after 4 December 2025 is New Year's Day (a Thursday): Friday 2 January. 1 February 2026 is a
    # Sunday: Monday 2 February; 1 February 2027 is a Monday.
    assert [d for d, _, _ in decisions.payment_schedule(lines, datetime.date(2025, 12, 4))] == [
        datetime.date(2026, 1, 2), datetime.date(2026, 2, 2), datetime.date(2027, 2, 1)]
    lines = [{"year": 2026, "amount": 100}]
    # Four weeks after 30 March 2026 is 27 April 2026, King's Day (a Monday): Tuesday 28 April.
    assert decisions.payment_schedule(lines, datetime.date(2026, 3, 30))[0][0] == datetime.date(2026, 4, 28)
    # Four weeks after 27 November 2026 is Christmas Day, then Boxing Day and a Sunday: Monday 28 December.
    assert decisions.payment_schedule(lines, datetime.date(2026, 11, 27))[0][0] == datetime.date(2026, 12, 28)


def test_the_letter_is_addressed_with_the_postal_address_and_signed_with_a_function(
        django_capture_on_commit_callbacks, settings):
    from django.core.files.storage import storages

    from regions.models import Municipality

    settings.LETTER_SIGNATORY_TITLE = "directeur Publieke Gezondheid"
    Municipality.objects.filter(cbs_code="GM0034").update(postal_address="Postbus 200", postal_code="1300 AE",
                                                          postal_city="ALMERE")
    app = positive()
    with django_capture_on_commit_callbacks(execute=True):
        decision = grant(app)
    decision.refresh_from_db()
    text = " ".join(pdf_text(storages["private"].open(decision.letter.file).read()).split())
    assert ("Het college van burgemeester en wethouders van de gemeente Almere Postbus 200 1300 AE ALMERE Datum"
            in text)
    signer = f.user("ministerie").get_full_name()
    assert signer and f"namens deze, {signer} Directeur Publieke Gezondheid" in text
    assert "Valt zo'n dag in het weekend of op een feestdag" in text


def test_an_iza_letter_goes_to_the_mandate_holders_postal_address():
    from applications.letters import addressee
    from regions.models import Municipality

    Municipality.objects.filter(cbs_code="GM0034").update(postal_address="Postbus 200", postal_code="1300 AE",
                                                          postal_city="ALMERE")
    app = f.iza_draft(f.iza_scenario())
    assert addressee(app) == {
        "lines": ["Het college van burgemeester en wethouders van de gemeente Almere",
                  "als mandaathouder namens de gemeenten in de IZA-regio Flevoland"],
        "address": ["Postbus 200", "1300 AE  ALMERE"]}


def test_a_rejection_letter_gives_the_reasons_and_the_objection_clause(django_capture_on_commit_callbacks):
    from django.core.files.storage import storages

    app = positive()
    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_services.decision_make(actor=f.user("ministerie"), application=app, outcome="afgewezen",
                                                   decided_on=DAY, reasons="Het plan is niet uitvoerbaar.")
    decision.refresh_from_db()
    text = " ".join(pdf_text(storages["private"].open(decision.letter.file).read()).split())
    assert "aanvraag afgewezen" in text and "Het plan is niet uitvoerbaar." in text and "Bezwaar" in text
    assert "Voorschotten" not in text


def test_a_failed_letter_says_why_and_can_be_retried_by_the_ministry(monkeypatch, django_capture_on_commit_callbacks):
    from spukportal import pdf

    app = positive()

    def broken(*args, **kwargs):
        raise OSError("schijf vol")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        decision = grant(app)
    decision.refresh_from_db()
    assert decision.letter.status == "mislukt" and "schijf vol" in decision.letter.error and not decision.letter.file
    with pytest.raises(PermissionDenied):
        decisions.letter_retry(actor=f.user("gemeente"), decision=decision)
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        decisions.letter_retry(actor=f.user("ministerie"), decision=decision)
    decision.refresh_from_db()
    assert decision.letter.status == "klaar" and decision.letter.file and decision.letter.error == ""
    assert GrantDecision.objects.filter(application=app).count() == 1


def test_the_demo_grants_urks_application_with_its_letter_once():
    from applications.decisions import demo as decision_demo
    from applications.models import Application

    app = Application.objects.get(period__name="2024–2026", municipality__cbs_code="GM0184")  # the session's load
    assert app.state == "toegekend"
    decision = GrantDecision.objects.get(application=app)
    assert decision.letter.status == "klaar" and decision.letter.sha256 and decision.total > 0
    assert decision.application.first_reviewer.username == "kerngroep"
    assert decision.application.second_reviewer.username == "kerngroep2"
    officer = f.user("demo-urk")
    assert not officer.has_usable_password()
    decision_demo.load()  # idempotent
    assert GrantDecision.objects.filter(application__municipality__cbs_code="GM0184").count() == 1
