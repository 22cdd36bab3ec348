"""A gemeente cannot be granted the same years twice: the demo's Almere has a pre-portal grant for 2024–2026
in the ledger; deciding its application for those years through the ministry's real decision path is refused
with the reason (single decision, the form, the batch and its preview), or explicitly replaces that grant."""

import datetime

import pytest
from django.core.exceptions import ValidationError

import spukportal.tasks  # noqa: F401  (registers the mail task: notify's after-commit looks it up by name)
from applications.decisions import selectors as decision_selectors
from applications.decisions import services as decision_services
from applications.models import DecisionBatch, GrantDecision
from applications.regulations import BREDE_SPUK
from budgets.ledger import selectors, sources
from budgets.ledger.models import LedgerEntry
from tests.applications import factories as f
from tests.applications.test_decisions_views import form_data

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 10)


def almere_application():
    """Almere's application 2024–2026 with a positive final advice, the demo's pre-portal grant left live."""
    run = f.AllocationRunFactory()
    f.allocate(run, f.municipality("GM0034"), 100_000)
    period = f.PeriodFactory(allocation_run=run)
    return f.with_final_advice(f.submitted(period, "GM0034", "gemeente"), "positief")


def granted(year):
    return selectors.position(f.municipality("GM0034"), BREDE_SPUK.code, years=[year])[year].granted


def test_the_demo_almere_has_its_pre_portal_grant_in_the_ledger():
    [live] = selectors.live_grants(f.municipality("GM0034"), BREDE_SPUK.code, years=[2024])
    assert live.source_kind == sources.PRIOR_GRANT and live.years == [2024]
    assert "DUS-I-2024-BSPUK-GM0034" in live.label


def test_a_gemeente_cannot_be_granted_the_same_years_twice():
    app = almere_application()
    before = [granted(y) for y in (2024, 2025, 2026)]
    with pytest.raises(ValidationError) as refused:
        decision_services.decision_make(actor=f.user("ministerie"), application=app, outcome="toegekend",
                                        decided_on=DAY)
    message = refused.value.messages[0]
    assert "Almere" in message and "al toegekend" in message and "DUS-I-2024-BSPUK-GM0034" in message
    app.refresh_from_db()
    assert app.state == "advies_positief" and not GrantDecision.objects.filter(application=app).exists()
    assert [granted(y) for y in (2024, 2025, 2026)] == before  # nothing booked


def test_an_explicit_replacement_reverses_the_pre_portal_grant_and_books_the_decision():
    app = almere_application()
    municipality = f.municipality("GM0034")
    replaced = [(g.source_kind, g.source_id) for g in selectors.live_grants(municipality, BREDE_SPUK.code)]
    decision = decision_services.decision_make(actor=f.user("ministerie"), application=app, outcome="toegekend",
                                               decided_on=DAY, replaces=replaced)
    per_year = {y: sum(line.amount for line in decision.lines.all() if line.year == y) for y in (2024, 2025, 2026)}
    assert {y: granted(y) for y in per_year} == per_year  # the decision's amounts, not pre-portal + decision
    [live] = selectors.live_grants(municipality, BREDE_SPUK.code)
    assert (live.source_kind, live.source_id) == (sources.DECISION, decision.pk)
    assert LedgerEntry.objects.filter(source_kind=sources.PRIOR_GRANT, reverses__isnull=False,
                                      municipality=municipality).exists()
    advances = selectors.position(municipality, BREDE_SPUK.code)
    assert sum(p.advance_scheduled for p in advances.values()) == decision.total


def test_the_form_refuses_at_the_replace_field_and_the_confirmation_names_what_is_replaced(login):
    app = almere_application()
    client = login("ministerie")
    form = client.get(f"/aanvragen/{app.pk}/besluit/").content.decode()
    assert "Vervang de lopende toekenning" in form and "DUS-I-2025-BSPUK-GM0034" in form
    page = client.post(f"/aanvragen/{app.pk}/besluit/", form_data(app))
    html = page.content.decode()
    assert page.status_code == 422 and "al toegekend" in html and 'href="#id_replace_live"' in html
    confirm = client.post(f"/aanvragen/{app.pk}/besluit/", {**form_data(app), "replace_live": "on"})
    html = confirm.content.decode()
    assert confirm.status_code == 200 and "Besluit bevestigen" in html and "Vervangt" in html
    assert "DUS-I-2026-BSPUK-GM0034" in html and not GrantDecision.objects.filter(application=app).exists()


def test_the_batch_preview_shows_the_conflict_and_the_batch_refuses_that_application(
        login, django_capture_on_commit_callbacks):
    app = almere_application()
    preview = decision_selectors.batch_preview([app])
    assert "al toegekend" in preview["rows"][0]["conflict"] and preview["total"] == 0
    html = login("ministerie").post("/aanvragen/beschikkingen/", {"applications": [app.pk],
                                                                   "decided_on": DAY.isoformat()}).content.decode()
    assert "niet toegekend" in html and "DUS-I-2024-BSPUK-GM0034" in html
    with django_capture_on_commit_callbacks(execute=True):
        batch = decision_services.decision_batch_start(actor=f.user("ministerie"), applications=[app],
                                                       decided_on=DAY)
    batch.refresh_from_db()
    assert batch.status == DecisionBatch.Status.FAILED and "al toegekend" in batch.error
    assert not GrantDecision.objects.filter(application=app).exists()


def test_marking_an_advance_paid_asks_confirmation_books_it_once_and_is_audited(login):
    from spukportal.models import AuditEvent

    period = f.scenario(municipalities=("GM0995",))
    app = f.with_final_advice(f.submitted(period, "GM0995", "gemeente2"), "positief")
    decision = decision_services.decision_make(actor=f.user("ministerie"), application=app, outcome="toegekend",
                                               decided_on=DAY)
    payment = decision.payments.order_by("pk").first()
    lelystad = f.municipality("GM0995")
    client = login("ministerie")
    detail = client.get(f"/aanvragen/{app.pk}/").content.decode()
    assert "nog niet betaald" in detail and "Markeer als betaald" in detail
    url = f"/aanvragen/{app.pk}/voorschot/{payment.pk}/betaald/"
    assert "Bevestigen: voorschot is betaald" in client.get(url).content.decode()
    assert selectors.position(lelystad, BREDE_SPUK.code)[payment.year].advance_paid == 0
    done = client.post(url, {"paid_on": "2025-04-07"})
    assert done.status_code == 302
    assert selectors.position(lelystad, BREDE_SPUK.code)[payment.year].advance_paid == payment.amount
    assert "betaald</strong> op 7 april 2025" in client.get(f"/aanvragen/{app.pk}/").content.decode()
    assert AuditEvent.objects.filter(action="voorschot.betaald", object_id=str(app.pk)).count() == 1
    client.post(url, {"paid_on": "2025-04-08"})  # again: refused, booked once
    assert selectors.position(lelystad, BREDE_SPUK.code)[payment.year].advance_paid == payment.amount
    assert login("gemeente2").get(url).status_code == 403
