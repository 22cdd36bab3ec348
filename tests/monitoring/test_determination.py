"""The final determination (vaststelling): the demo's Kerkrade underspent 2025 by its 10 % cap plus € 20.000 and
overspent 2026 by the cap plus € 15.000. The cap binds year by year: € 20.000 is reclaimed (netting the period
would give € 5.000), € 15.000 of 2026 is not paid."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages

from budgets.ledger import selectors as ledger
from monitoring.accountability import services as sisa_services
from monitoring.determination import selectors, services
from monitoring.determination.models import Determination, DeterminationBatch
from spukportal.models import AuditEvent
from tests.monitoring import determination_factories as f
from spukportal.dates import long_date
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode().replace("\xa0", " ")


def euro(amount):
    return f"€ {amount:,}".replace(",", ".")


def test_the_concept_applies_the_cap_year_by_year():
    d = f.concept()
    y2025, y2026 = d.years.all()
    assert (y2025.year, y2026.year) == (2025, 2026)
    assert y2025.cap == y2025.granted // 10 and y2025.carried_out == y2025.cap
    assert y2025.reclaim == 20_000 and y2026.reclaim == 0
    assert y2026.carried_in == y2025.cap and y2026.not_paid == 15_000
    assert d.reclaim == 20_000 and d.determined + d.reclaim == d.granted
    assert d.status == "concept" and d.letter_date is None


def test_the_gemeente_does_not_see_the_concept(login):
    d = f.concept()
    assert login("gemeente3").get(f"/vaststelling/{d.pk}/").status_code == 403
    assert d.reference not in text(login("gemeente3").get("/vaststelling/"))


def test_determining_posts_the_ledger_makes_the_letter_and_shows_the_objection_period(login):
    d = f.determined()
    assert d.status == "vastgesteld" and d.letter_date == f.letter_date()
    objection = long_date(f.letter_date() + datetime.timedelta(days=42))
    assert d.objection_until == f.letter_date() + datetime.timedelta(weeks=6)
    position = ledger.position(d.recipient, d.regulation)
    assert {y: position[y].determined for y in (2025, 2026)} == {y.year: y.determined for y in d.years.all()}
    assert AuditEvent.objects.filter(action="vaststelling.vastgesteld", object_id=str(d.pk)).exists()
    content = storages["private"].open(d.letter.file, "rb").read()
    letter = pdf_text(content)
    assert f"Ik vorder {euro(20_000)} terug" in letter and d.reference in letter
    assert objection in letter and "artikel 6:7" in letter
    page = text(login("gemeente3").get(f"/vaststelling/{d.pk}/"))
    assert euro(20_000) in page and objection in page and "Vastgesteld" in page


def test_the_reclaim_is_the_same_on_the_sisa_page_before_and_after_the_determination(login):
    report = f.final_report()
    assert sisa_services.reclaim_of(report) == 20_000
    before = text(login("gemeente3").get(f"/verantwoording/{report.pk}/"))
    assert euro(20_000) in before
    d = f.determined()
    after = text(login("gemeente3").get(f"/verantwoording/{report.pk}/"))
    assert euro(20_000) in after and d.reference in after


def test_reclaim_sent_and_received_through_the_steps_with_confirmation(login):
    d = f.determined()
    client = login("ministerie")
    on = f.letter_date().strftime("%d-%m-%Y")
    refused = client.post(f"/vaststelling/{d.pk}/stap/terugvorderen/", {"on": on})
    assert refused.status_code == 422 and "Vink aan" in text(refused)
    assert Determination.objects.get(pk=d.pk).status == "vastgesteld"
    response = client.post(f"/vaststelling/{d.pk}/stap/terugvorderen/", {"on": on, "confirm": "on"})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == "terugvordering_verzonden" and d.reclaim_sent_on == f.letter_date()
    assert {y: p.reclaimed for y, p in ledger.position(d.recipient, d.regulation).items() if p.reclaimed} == {2025: 20_000}
    client.post(f"/vaststelling/{d.pk}/stap/ontvangen/", {"on": on, "confirm": "on"})
    d.refresh_from_db()
    assert d.status == "ontvangen" and d.settled_on == f.letter_date()
    page = text(login("gemeente3").get("/vaststelling/"))
    assert "Ontvangen/verrekend" in page and euro(20_000) in page


def test_closing_without_reclaim_is_refused_when_there_is_one():
    d = f.determined(render=False)
    with pytest.raises(PermissionDenied, match="Er is een terugvordering"):
        services.transition(actor=f.user("ministerie"), determination=d, name="afsluiten")


def test_two_at_once_the_second_sees_the_current_state(login):
    d = f.concept()
    stale = Determination.objects.get(pk=d.pk)
    services.transition(actor=f.user("ministerie"), determination=d, name="vaststellen", on=f.letter_date(),
                        enqueue=False)
    with pytest.raises(PermissionDenied, match="status ‘Vastgesteld’"):
        services.transition(actor=f.user("ministerie"), determination=stale, name="vaststellen", on=f.letter_date(),
                            enqueue=False)
    assert AuditEvent.objects.filter(action="vaststelling.vastgesteld", object_id=str(d.pk)).count() == 1


def test_a_letter_date_before_the_final_accounting_is_refused_at_the_field(login):
    d = f.concept()
    response = login("ministerie").post(f"/vaststelling/{d.pk}/stap/vaststellen/", {"on": "1-1-2026", "confirm": "on"})
    assert response.status_code == 422 and "niet vóór de eindverantwoording" in text(response)
    d.refresh_from_db()
    assert d.status == "concept" and not ledger.position(d.recipient, d.regulation)[2025].determined


def test_the_batch_confirms_the_totals_then_determines_everyone(login, django_capture_on_commit_callbacks):
    client = login("ministerie")
    page = client.get("/vaststelling/reeks/brede_spuk/nieuw/")
    preview = services.batch_preview("brede_spuk")
    assert preview["count"] >= 1 and preview["reclaim"] >= 20_000
    assert euro(preview["reclaim"]) in text(page) and euro(preview["determined"]) in text(page)
    on = f.letter_date().strftime("%d-%m-%Y")
    stale = client.post("/vaststelling/reeks/brede_spuk/nieuw/", {"letter_date": on, "confirm": "on",
                                                                  "expected_count": preview["count"] + 1})
    assert stale.status_code == 422 and "intussen veranderd" in text(stale)
    assert not DeterminationBatch.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/vaststelling/reeks/brede_spuk/nieuw/", {"letter_date": on, "confirm": "on",
                                                                         "expected_count": preview["count"]})
    assert response.status_code == 302
    batch = DeterminationBatch.objects.get()
    assert batch.status == "klaar" and batch.done == preview["count"] and batch.reclaim_total == preview["reclaim"]
    d = selectors.determination_for(f.final_report())
    assert d.batch == batch and d.reclaim == 20_000 and d.letter.is_ready
    assert "Samen vastgesteld" in text(client.get(f"/vaststelling/reeks/{batch.pk}/"))
    assert services.batch_preview("brede_spuk")["count"] == 0


def test_no_concept_from_a_report_that_is_not_final():
    report = f.final_report()
    report.is_final = False
    report.save(update_fields=["is_final"])
    with pytest.raises(ValidationError, match="eindverantwoording"):
        services.concept_create(actor=f.user("ministerie"), report=report)


def test_a_failed_batch_names_the_recipient_and_a_restart_finishes_it(login, django_capture_on_commit_callbacks):
    from monitoring.models import SpendingReport

    client = login("ministerie")
    preview = services.batch_preview("brede_spuk")
    report = f.final_report()
    batch = services.batch_start(actor=f.user("ministerie"), regulation="brede_spuk", letter_date=f.letter_date(),
                                 expected_count=preview["count"], enqueue=False)
    # Between the confirmation and the run, Kerkrade's final accounting is taken back as a concept.
    SpendingReport.objects.filter(pk=report.pk).update(status=SpendingReport.Status.CONCEPT)
    batch = services.batch_run(batch_id=batch.pk, letters=False)
    assert batch.status == "mislukt" and batch.done == preview["count"] - 1
    page = text(client.get(f"/vaststelling/reeks/{batch.pk}/"))
    assert "Kerkrade: Vaststellen kan alleen na een ingediende eindverantwoording." in page
    assert "Opnieuw starten" in page
    assert selectors.determination_for(report) is None
    # Submitted again, the ministry restarts the batch: Kerkrade is determined, the others stay as they were.
    SpendingReport.objects.filter(pk=report.pk).update(status=SpendingReport.Status.SUBMITTED)
    determined_before = set(Determination.objects.filter(batch=batch).values_list("pk", "letter_date"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/vaststelling/reeks/{batch.pk}/opnieuw/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "klaar" and batch.done == preview["count"] and not batch.failures
    assert determined_before < set(Determination.objects.filter(batch=batch).values_list("pk", "letter_date"))
    assert selectors.determination_for(report).reclaim == 20_000
    assert AuditEvent.objects.filter(action="vaststelling.reeks_opnieuw", object_id=str(batch.pk)).exists()
    # A finished batch cannot be started again.
    again = client.post(f"/vaststelling/reeks/{batch.pk}/opnieuw/", follow=True)
    assert "opnieuw starten kan niet" in text(again)


def test_determining_waits_until_every_advance_is_paid_so_the_reclaim_was_paid_out(login):
    from budgets.ledger import services as ledger_services

    report = f.final_report()
    kerkrade = report.municipality
    # An advance of € 100.000 for 2026 booked in the ledger, not paid yet.
    advance = dict(recipient=kerkrade, regulation="brede_spuk", year=2026, amount=100_000,
                   due_on=datetime.date(2026, 2, 1), source=("advance", 999_001), note="Voorschot (test)")
    ledger_services.post_advance(paid=False, **advance)
    with pytest.raises(ValidationError) as refused:
        services.concept_create(actor=f.user("ministerie"), report=report)
    assert "nog niet alle voorschotten betaald (2026 € 100.000)" in refused.value.messages[0].replace("\xa0", " ")
    assert selectors.determination_for(report) is None
    # The batch's confirmation lists Kerkrade as a problem, not in the totals.
    preview = services.batch_preview("brede_spuk")
    assert report.pk not in {r.pk for r, _s in preview["rows"]}
    assert any(r.pk == report.pk and "voorschotten" in why for r, why in preview["problems"])
    # Paid: the determination goes ahead with the € 20.000 reclaim.
    ledger_services.post_advance(paid=True, booked_on=datetime.date(2026, 2, 3), **advance)
    d = services.concept_create(actor=f.user("ministerie"), report=report)
    assert d.reclaim == 20_000
