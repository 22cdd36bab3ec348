"""Change request → amended decision: the flow, the cap, the reference suffix, the ledger's replacement, the
letter, concurrency and the ministry's batch after a budget change."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

import spukportal.tasks  # noqa: F401  (registers the mail task: notify's after-commit looks it up by name)
from applications.amendments import services
from applications.amendments.models import AmendedDecision, ChangeRequest
from budgets.ledger import selectors as ledger
from budgets.models import Allocation
from spukportal.models import AuditEvent, Notification
from tests.applications import factories as f

from .helpers import DAY, granted

pytestmark = pytest.mark.django_db

LATER = datetime.date(2025, 9, 1)


def ask(decision, changes: dict, *, reasons="De valpreventie vraagt meer inzet in 2025.", plan_text="",
        username="gemeente"):
    """A submitted change request: `changes` {(component_id, year): amount} on top of what is granted now."""
    request = services.change_request_start(actor=f.user(username), application=decision.application)
    lines = [{**line, "amount": changes.get((line["component"], line["year"]), line["amount"])}
             for line in request.lines]
    request = services.change_request_save(actor=f.user(username), change_request=request, reasons=reasons,
                                           plan_text=plan_text, lines=lines)
    return services.change_request_transition(actor=f.user(username), change_request=request, transition="indienen")


def decide(request, transition="toekennen", note="", username="ministerie"):
    return services.change_request_transition(actor=f.user(username), change_request=request, transition=transition,
                                              note=note, decided_on=LATER)


def granted_in_ledger(app) -> dict[int, int]:
    return {year: p.granted for year, p in ledger.position(app.municipality, app.regulation).items()}


def test_a_granted_change_makes_an_amended_decision_w1_that_replaces_the_grant_in_the_ledger():
    decision = granted()
    app = decision.application
    comp = f.components()[0]
    assert granted_in_ledger(app) == {2024: 750_000, 2025: 750_000, 2026: 750_000}
    request = ask(decision, {(comp.pk, 2025): 80_000, (comp.pk, 2026): 20_000})
    assert request.status == "ingediend"
    request = decide(request)
    assert request.status == "toegekend"
    amended = AmendedDecision.objects.get(change_request=request)
    assert amended.reference == decision.reference + "-W1" and amended.number == 1
    changed = {(line.year, line.old_amount, line.amount) for line in amended.lines.all()
               if line.component_id == comp.pk}
    assert changed == {(2024, 50_000, 50_000), (2025, 50_000, 80_000), (2026, 50_000, 20_000)}
    # The ledger holds the amended amounts only: the decision's grant is reversed, never added to.
    assert granted_in_ledger(app) == {2024: 750_000, 2025: 780_000, 2026: 720_000}
    grants = ledger.live_grants(app.municipality, app.regulation)
    assert [(g.source_kind, g.source_id) for g in grants] == [("amended_decision", amended.pk)]
    # The original decision stays as it was.
    assert decision.lines.get(component=comp, year=2025).amount == 50_000
    assert AuditEvent.objects.filter(action="wijzigingsbesluit.vastgesteld", object_id=str(app.pk)).exists()
    assert {n.user.username for n in Notification.objects.filter(event="wijzigingsbesluit",
                                                              subject__contains=amended.reference)} == {"gemeente"}


def test_a_second_amendment_is_w2_and_replaces_w1_in_the_ledger():
    decision = granted()
    comp = f.components()[1]
    decide(ask(decision, {(comp.pk, 2026): 60_000}))
    second = decide(ask(decision, {(comp.pk, 2026): 40_000}, reasons="Toch minder nodig."))
    w2 = second.amended_decision
    assert w2.reference.endswith("-W2")
    assert w2.lines.get(component=comp, year=2026).old_amount == 60_000
    app = decision.application
    assert granted_in_ledger(app)[2026] == 750_000 - 10_000
    assert [(g.source_kind, g.source_id) for g in ledger.live_grants(app.municipality, app.regulation)] == [
        ("amended_decision", w2.pk)]


def test_an_amount_above_the_cap_of_the_original_decision_is_refused_and_nothing_is_stored():
    decision = granted()
    comp = f.components()[0]
    request = services.change_request_start(actor=f.user("gemeente"), application=decision.application)
    lines = [{**line, "amount": 100_001 if (line["component"], line["year"]) == (comp.pk, 2025) else line["amount"]}
             for line in request.lines]
    with pytest.raises(ValidationError) as refused:
        services.change_request_save(actor=f.user("gemeente"), change_request=request, reasons="Meer.",
                                     plan_text="", lines=lines)
    assert "2025" in refused.value.messages[0] and "€\xa0100.000" in refused.value.messages[0]
    request.refresh_from_db()
    assert request.reasons == "" and all(line["amount"] == 50_000 for line in request.lines)


def test_a_year_outside_the_decision_and_a_negative_amount_are_refused():
    decision = granted()
    comp = f.components()[0]
    request = services.change_request_start(actor=f.user("gemeente"), application=decision.application)
    with pytest.raises(ValidationError, match="nieuw jaar"):
        services.change_request_save(actor=f.user("gemeente"), change_request=request, reasons="x", plan_text="",
                                     lines=request.lines + [{"component": comp.pk, "plan_line": None, "year": 2027,
                                                             "amount": 1}])
    lines = [{**line, "amount": -5 if line["component"] == comp.pk else line["amount"]} for line in request.lines]
    with pytest.raises(ValidationError):
        services.change_request_save(actor=f.user("gemeente"), change_request=request, reasons="x", plan_text="",
                                     lines=lines)


def test_only_the_applicant_asks_and_only_the_ministry_decides_and_a_rejection_changes_nothing():
    decision = granted()
    with pytest.raises(PermissionDenied):
        services.change_request_start(actor=f.user("gemeente2"), application=decision.application)
    request = ask(decision, {(f.components()[0].pk, 2025): 90_000})
    with pytest.raises(PermissionDenied):
        decide(request, username="kerngroep")
    with pytest.raises(ValidationError, match="toelichting"):
        decide(request, "afwijzen")
    request = decide(request, "afwijzen", note="Niet onderbouwd.")
    assert request.status == "afgewezen" and not AmendedDecision.objects.filter(decision=decision).exists()
    assert granted_in_ledger(decision.application)[2025] == 750_000
    assert Notification.objects.filter(event="wijziging.afwijzen", user__username="gemeente").exists()
    # A new request may follow a decided one; two open ones may not.
    ask(decision, {(f.components()[0].pk, 2025): 60_000})
    with pytest.raises(ValidationError, match="loopt al"):
        services.change_request_start(actor=f.user("gemeente"), application=decision.application)


def test_nothing_changed_is_refused():
    decision = granted()
    request = ask(decision, {})
    with pytest.raises(ValidationError, match="niets te wijzigen"):
        decide(request)
    request.refresh_from_db()
    assert request.status == "ingediend"


def test_a_decided_request_cannot_be_decided_again():
    decision = granted()
    request = ask(decision, {(f.components()[0].pk, 2025): 70_000})
    decide(request)
    stale = ChangeRequest.objects.get(pk=request.pk)
    stale.status = "ingediend"  # what a second officer's page still showed
    with pytest.raises(ValidationError, match="intussen toegekend"):
        decide(stale, "afwijzen", note="Te laat.")
    assert AmendedDecision.objects.filter(decision=decision).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_ministry_officers_deciding_at_once_one_wins_the_other_sees_the_current_state(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    from django.contrib.auth import get_user_model

    from spukportal.models import Role, RoleAssignment

    decision = granted()
    request = ask(decision, {(f.components()[0].pk, 2025): 70_000})
    second = get_user_model().objects.create_user("ministerie2", password="x")
    RoleAssignment.objects.create(user=second, role=Role.objects.get(code=Role.MINISTRY))
    barrier, outcomes = threading.Barrier(2), {}

    def run(name, user, transition, note):
        try:
            barrier.wait()
            services.change_request_transition(actor=user, change_request=ChangeRequest.objects.get(pk=request.pk),
                                               transition=transition, note=note, decided_on=LATER)
            outcomes[name] = "ok"
        except ValidationError as exc:
            outcomes[name] = exc.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=("a", f.user("ministerie"), "toekennen", "")),
               threading.Thread(target=run, args=("b", second, "afwijzen", "Nee."))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes.values())[-1] == "ok" and list(outcomes.values()).count("ok") == 1
    loser = next(message for message in outcomes.values() if message != "ok")
    assert "intussen" in loser
    request.refresh_from_db()
    assert request.status in ("toegekend", "afgewezen")
    assert AmendedDecision.objects.filter(decision=decision).count() == (1 if request.status == "toegekend" else 0)


def test_iza_asks_the_kerngroep_first_brede_spuk_does_not():
    from applications.amendments import flow

    decision = granted()
    request = ask(decision, {(f.components()[0].pk, 2025): 70_000})
    assert not flow.check(f.user("ministerie"), request, "advies_vragen")
    assert flow.check(f.user("ministerie"), request, "toekennen")


def test_iza_change_by_the_mandate_holder_needs_the_kerngroeps_advice():
    from applications.decisions import services as decision_services
    from applications.intake import services as app_services

    period = f.iza_scenario(cap=1_000_000)
    f.without_prior_grants()  # the demo's pre-portal grant for Flevoland covers these years
    app = f.iza_draft(period)
    app = app_services.application_save_lines(
        actor=f.user("gemeente"), application=app, base_version=app.edit_version,
        lines=[f.line(amount=600_000), f.line("Lokale inzet", "lokaal", "GM0995", 2026, 300_000)])
    from tests.applications.test_decisions import _complete_iza

    app = f.with_final_advice(_complete_iza(app), "positief")
    decision = decision_services.decision_make(actor=f.user("ministerie"), application=app, outcome="toegekend",
                                               decided_on=DAY)
    with pytest.raises(PermissionDenied):  # a member gemeente reads along but does not ask
        services.change_request_start(actor=f.user("gemeente2"), application=app)
    request = services.change_request_start(actor=f.user("gemeente"), application=app)
    lines = [{**line, "amount": 700_000 if line["year"] == 2025 else line["amount"]} for line in request.lines]
    request = services.change_request_save(actor=f.user("gemeente"), change_request=request,
                                           reasons="Meer regionale coördinatie.", plan_text="Extra coördinator.",
                                           lines=lines)
    request = services.change_request_transition(actor=f.user("gemeente"), change_request=request,
                                                 transition="indienen")
    with pytest.raises(PermissionDenied, match="nog niet geadviseerd"):
        decide(request)
    request = decide(request, "advies_vragen")
    assert Notification.objects.filter(event="wijziging.advies_vragen", user__username="kerngroep").exists()
    request = services.change_request_transition(actor=f.user("kerngroep"), change_request=request,
                                                 transition="positief_adviseren", note="Past in het regioplan.")
    assert request.advice == "positief"
    request = decide(request)
    amended = request.amended_decision
    assert amended.reference == f"VWS-2025-IZA-{app.pk:06d}-W1" and amended.plan_text == "Extra coördinator."
    position = ledger.position(app.region, app.regulation)
    assert (position[2025].granted, position[2026].granted) == (700_000, 300_000)
    users = {n.user.username for n in Notification.objects.filter(event="wijzigingsbesluit")}
    assert {"gemeente", "gemeente2"} <= users


def test_the_amended_letter_is_a_pdf_with_old_and_new_amounts(django_capture_on_commit_callbacks):
    from django.core.files.storage import storages

    from tests.pdf import pdf_text

    decision = granted()
    comp = f.components()[0]
    request = ask(decision, {(comp.pk, 2025): 80_000})
    with django_capture_on_commit_callbacks(execute=True):
        request = decide(request)
    amended = AmendedDecision.objects.select_related("letter").get(pk=request.amended_decision.pk)
    assert amended.letter.is_ready
    with storages["private"].open(amended.letter.file, "rb") as handle:
        text = " ".join(pdf_text(handle.read()).split())
    assert amended.reference in text and f"beschikking {decision.reference}" in text
    assert "€ 2.250.000" in text.replace("\xa0", " ") and "€ 2.280.000" in text.replace("\xa0", " ")
    assert "De valpreventie vraagt meer inzet in 2025." in text


# --- the batch after a budget change ------------------------------------------------------------------------

def test_the_batch_lowers_granted_decisions_to_the_cut_allocation(django_capture_on_commit_callbacks):
    from applications.amendments import selectors

    decision = granted()
    app = decision.application
    cut = f.AllocationRunFactory(name="Na korting 2026", years=[2026])
    f.allocate(cut, app.municipality, 40_000)  # every component 2026: € 40.000 (was € 50.000 granted)
    Allocation.objects.filter(run=cut).exclude(year=2026).delete()
    rows = selectors.affected_by(cut)
    assert [(r["decision"].pk, r["old_total"], r["new_total"]) for r in rows] == [
        (decision.pk, 2_250_000, 2_250_000 - 150_000)]
    assert rows[0]["years"] == [(2024, 750_000, 750_000), (2025, 750_000, 750_000), (2026, 750_000, 600_000)]
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.amendment_batch_start(actor=f.user("ministerie"), run=cut, decisions_=[decision],
                                               decided_on=LATER, reasons="Korting op de begroting 2026.")
    batch.refresh_from_db()
    assert batch.is_finished, batch.error
    assert batch.done == 1
    amended = AmendedDecision.objects.get(batch=batch)
    assert amended.reference.endswith("-W1") and amended.letter.is_ready
    assert granted_in_ledger(app) == {2024: 750_000, 2025: 750_000, 2026: 600_000}
    # The 2026 advance (not paid yet) follows the amended amount, in the decision and in the ledger.
    assert decision.payments.get(year=2026).amount == 600_000
    assert ledger.position(app.municipality, app.regulation)[2026].advance_scheduled == 600_000
    # Again: nothing new (the decision fits the cut now).
    assert selectors.affected_by(cut) == []
    services.amendment_batch_run(batch_id=batch.pk)
    assert AmendedDecision.objects.filter(decision=decision).count() == 1


# --- a change request and a budget change that cross ------------------------------------------------------

def _cut_2026(decision, amount=40_000):
    """A budget change for 2026 applied in a batch: every component of the applicant € `amount` in 2026."""
    cut = f.AllocationRunFactory(name="Na korting 2026", years=[2026])
    f.allocate(cut, decision.application.municipality, amount)
    Allocation.objects.filter(run=cut).exclude(year=2026).delete()
    batch = services.amendment_batch_start(actor=f.user("ministerie"), run=cut, decisions_=[decision],
                                           decided_on=LATER, reasons="Korting op de begroting 2026.")
    services.amendment_batch_run(batch_id=batch.pk)
    return AmendedDecision.objects.get(batch=batch)


def test_a_request_submitted_before_a_budget_cut_cannot_restore_the_old_amounts(client):
    decision = granted()
    app = decision.application
    comp = f.components()[0]
    request = ask(decision, {(comp.pk, 2026): 60_000})  # submitted on the old amounts (€ 50.000 granted in 2026)
    cut = _cut_2026(decision)  # the ministry's batch lowers 2026 to € 40.000 per component
    assert granted_in_ledger(app)[2026] == 600_000
    with pytest.raises(ValidationError) as refused:
        decide(request)
    assert f"wijzigingsbesluit {cut.reference}" in refused.value.messages[0]
    assert "terug" in refused.value.messages[0]
    request.refresh_from_db()
    assert request.status == "ingediend"
    assert granted_in_ledger(app)[2026] == 600_000  # nothing granted above the cut
    assert AmendedDecision.objects.filter(decision=decision).count() == 1
    # The ministry sees why on the decide page, and sends the request back with a reason.
    client.force_login(f.user("ministerie"))
    page = client.get(reverse("amendments:request_decide", args=[request.pk]))
    assert "De beschikking is gewijzigd nadat dit verzoek werd opgesteld" in page.content.decode()
    assert cut.reference in page.content.decode()
    request = services.change_request_transition(actor=f.user("ministerie"), change_request=request,
                                                 transition="terugsturen", note="Bekijk de bedragen na de korting.")
    assert request.status == "concept" and request.submitted_at is None
    assert Notification.objects.filter(user__username="gemeente", event="wijziging.terugsturen").exists()
    assert AuditEvent.objects.filter(action="wijziging.teruggestuurd", object_id=str(app.pk)).exists()
    # Submitting it unchanged is refused too: the applicant must look at the amounts granted now.
    with pytest.raises(ValidationError, match="sla het opnieuw op"):
        services.change_request_transition(actor=f.user("gemeente"), change_request=request, transition="indienen")
    # Above the new allocation for 2026 is refused at the amount; within it the request goes through.
    now = {(line["component"], line["year"]): line["amount"] for line in services.selectors.current_lines(decision)}

    def asking(amount):
        return [{**line, "amount": amount if (line["component"], line["year"]) == (comp.pk, 2026)
                 else now[(line["component"], line["year"])]} for line in request.lines]

    with pytest.raises(ValidationError) as refused:
        services.change_request_save(actor=f.user("gemeente"), change_request=request, reasons=request.reasons,
                                     plan_text="", lines=asking(60_000))
    assert refused.value.messages == [f"{comp}: in 2026 wordt € 60.000 toegekend, maar de "
                                      "toekenning uit de verdeling is ten hoogste € 40.000.".replace("€ ", "€\xa0")]
    lines = asking(30_000)
    request = services.change_request_save(actor=f.user("gemeente"), change_request=request,
                                           reasons=request.reasons, plan_text="", lines=lines)
    request = services.change_request_transition(actor=f.user("gemeente"), change_request=request,
                                                 transition="indienen")
    request = decide(request)
    assert request.status == "toegekend"
    amended = AmendedDecision.objects.get(change_request=request)
    assert amended.reference == decision.reference + "-W2"
    assert granted_in_ledger(app)[2026] == 600_000 - 10_000
