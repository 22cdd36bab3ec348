"""Change requests and amended decisions as services: write a request, take a transition of the flow (each with
its audit event and notices), make an amended decision (its lines, the ledger's replacement of the live grant,
its letter) and the ministry's batch of amendments after a budget change.

Every write locks the granted decision's row first (then the request's), so two ministry officers deciding at
once are served one after the other: the second finds the request decided and is told so."""

import datetime
import hashlib
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from spukportal import audit, bounds
from spukportal.jobs import enqueue_after_commit
from spukportal.models import JobStatus, Role
from spukportal.money import format_euro
from spukportal.process import send_notices

from .. import ledger_posting, letters
from ..decisions import decide as decisions
from ..models import AdvancePayment, GrantDecision
from ..notify import applicant_officers, decision_recipients, holders_of
from . import flow, ledger, permissions, selectors
from .flow import Audience, Effect
from .models import AmendedDecision, AmendedDecisionLetter, AmendedDecisionLine, AmendmentBatch, ChangeRequest

log = logging.getLogger(__name__)

LETTER_TASK = "applications.tasks.render_amended_decision_letter"
BATCH_TASK = "applications.tasks.run_amendment_batch"
MAX_BATCH = 1000


def _require(decision):
    if not decision:
        raise PermissionDenied(decision.reason)


def amended_reference(decision, number: int) -> str:
    """The amended decision's kenmerk: the decision's with "-W<number>" (VWS-2024-BS-000123-W1)."""
    return f"{decision.reference}-W{number}"


def _lock_decision(decision) -> GrantDecision:
    """Lock the granted decision's row: every amendment of it (request, decision, batch) takes this lock first."""
    return GrantDecision.objects.select_for_update(of=("self",)).select_related(
        "application__period", "application__municipality", "application__region").get(pk=decision.pk)


def clean_amounts(app, decision, lines) -> list[dict]:
    """The amounts asked or granted: per line and year of the decision as it stands (no new lines or years),
    bounded, within the allocation the decision was made on or, for the years of a later budget change, that
    change's allocation (`selectors.binding_caps`, `decisions.clean_lines`). Dutch ValidationError,
    nothing stored."""
    current = {(selectors.subject_key(line), line["year"]) for line in selectors.current_lines(decision)}
    for line in lines:
        if (selectors.subject_key(line), line.get("year")) not in current:
            raise ValidationError("Een wijziging gaat over de regels en jaren van de beschikking; een nieuw jaar of "
                                  "een nieuwe regel vraagt u aan met een nieuwe aanvraag.")
    return decisions.clean_lines(app, [{"component": line.get("component"), "plan_line": line.get("plan_line"),
                                        "year": line.get("year"), "amount": line.get("amount")} for line in lines],
                                 selectors.binding_caps(decision))


# --- the change request ------------------------------------------------------------------------------------

def change_request_start(*, actor, application) -> ChangeRequest:
    """A concept change request on a granted decision, its amounts those the decision grants now."""
    _require(permissions.can_request_change(actor, application))
    with transaction.atomic():
        decision = GrantDecision.objects.filter(application=application).first()
        if decision is None or decision.outcome != GrantDecision.Outcome.GRANTED:
            raise ValidationError("Een wijziging kan alleen worden gevraagd op een toegekende aanvraag.")
        decision = _lock_decision(decision)
        existing = selectors.open_request(decision)
        if existing is not None:
            raise ValidationError("Er loopt al een verzoek om wijziging van deze beschikking.")
        lines = [{k: line[k] for k in ("component", "plan_line", "year", "amount")}
                 for line in selectors.current_lines(decision)]
        latest = selectors.latest_amendment(decision)
        request = ChangeRequest.objects.create(application=decision.application, decision=decision, reasons="",
                                               lines=lines, created_by=actor, based_on=latest.number if latest else 0)
        audit.record(actor=actor, action="wijziging.aangemaakt", obj=decision.application,
                     message=f"Verzoek om wijziging van beschikking {decision.reference} begonnen")
    return request


def change_request_save(*, actor, change_request, reasons: str, plan_text: str, lines) -> ChangeRequest:
    """Save the concept: the reasons (required), the plan change and the amounts (checked as `clean_amounts`)."""
    with transaction.atomic():
        decision = _lock_decision(change_request.decision)
        request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
        _require(permissions.acts_as_applicant(actor, request))
        if not request.state_info.editable:
            raise ValidationError(f"Het verzoek is {request.state_info.label.lower()} en kan niet meer worden "
                                  "gewijzigd.")
        reasons, plan_text = (reasons or "").strip(), (plan_text or "").strip()
        for text in (reasons, plan_text):
            problem = bounds.text_problem(text, max_chars=bounds.MAX_NOTE_CHARS)
            if problem:
                raise ValidationError(problem)
        if not reasons:
            raise ValidationError("Geef de reden van de wijziging.")
        cleaned = clean_amounts(decision.application, decision, lines)
        request.reasons, request.plan_text = reasons, plan_text
        request.lines = [{"component": c["component"] and c["component"].pk, "plan_line": c["plan_line"] and
                          c["plan_line"].pk, "year": c["year"], "amount": c["amount"]} for c in cleaned]
        # Saved against the amounts granted now (the form showed them): the request starts from them.
        latest = selectors.latest_amendment(decision)
        request.based_on = latest.number if latest else 0
        request.save(update_fields=["reasons", "plan_text", "lines", "based_on"])
        audit.record(actor=actor, action="wijziging.opgeslagen", obj=decision.application,
                     message=f"Verzoek om wijziging van beschikking {decision.reference} opgeslagen",
                     details={"regels": request.lines})
    return request


def _words(request, *, actor, note="", amended=None) -> dict:
    app = request.application
    return {"name": app.applicant.name, "period": app.period.name, "decision_reference": request.decision.reference,
            "reasons": request.reasons, "note": note,
            "actor": (actor.get_full_name() or actor.get_username()) if actor else "het portaal",
            "amended_reference": amended.reference if amended else "",
            "amended_total": format_euro(amended.total) if amended else ""}


def _audience(request, name):
    app = request.application
    return {
        Audience.APPLICANT: lambda: applicant_officers(app),
        Audience.DECISION_RECIPIENTS: lambda: decision_recipients(app),
        Audience.REVIEWERS: lambda: holders_of(Role.REVIEWER),
        Audience.MINISTRY: lambda: holders_of(Role.MINISTRY),
    }[name]()


def change_request_transition(*, actor, change_request, transition: str, note: str = "", decided_on=None,
                              today=None) -> ChangeRequest:
    """Take `transition` of the flow on the request: state and guard checked under the decision's lock (a request
    someone else decided in between is refused with its current state), the effects, the audit event and the
    notices, all in one transaction."""
    step = flow.TRANSITIONS[transition]
    note = (note or "").strip()
    problem = bounds.text_problem(note, max_chars=bounds.MAX_NOTE_CHARS)
    if problem:
        raise ValidationError(problem)
    if step.needs_note and not note:
        raise ValidationError("Geef een toelichting; die staat bij het besluit.")
    with transaction.atomic():
        decision = _lock_decision(change_request.decision)
        request = ChangeRequest.objects.select_for_update().select_related("application").get(pk=change_request.pk)
        request.decision = decision
        if request.status not in step.sources:
            raise ValidationError(f"Dit verzoek is intussen {request.state_info.label.lower()}; "
                                  f"{step.label.lower()} kan niet meer.")
        _require(step.guard(actor, request))
        if transition == "indienen" and not request.reasons:
            raise ValidationError("Geef de reden van de wijziging voordat u het verzoek indient.")
        if transition in flow.NEEDS_CURRENT_AMOUNTS:
            _refuse_when_changed(request, transition)
        now = timezone.now()
        fields = ["status"]
        amended = None
        for effect in step.effects:
            if effect == Effect.RECORD_ADVICE:
                request.advice, request.advice_note = flow.ADVICE_OF[transition], note
                request.advised_by, request.advised_at = actor, now
                fields += ["advice", "advice_note", "advised_by", "advised_at"]
            elif effect == Effect.SEND_BACK:
                request.submitted_at, request.advice, request.advice_note = None, "", ""
                request.advised_by, request.advised_at = None, None
                fields += ["submitted_at", "advice", "advice_note", "advised_by", "advised_at"]
            elif effect == Effect.RECORD_DECISION:
                request.decided_by, request.decided_at, request.decision_note = actor, now, note
                fields += ["decided_by", "decided_at", "decision_note"]
            elif effect == Effect.AMEND:
                amended = _amend(actor=actor, decision=decision, lines=request.lines, reasons=request.reasons,
                                 plan_text=request.plan_text, decided_on=decided_on or today or timezone.localdate(),
                                 change_request=request)
        if transition == "indienen":
            request.submitted_at = now
            fields.append("submitted_at")
        before = request.state_info.label
        request.status = step.target
        request.save(update_fields=fields)
        audit.record(actor=actor, action=step.audit_action, obj=request.application,
                     message=f"Verzoek om wijziging {decision.reference}: {before.lower()} → "
                             f"{request.state_info.label.lower()}",
                     details={"verzoek": request.pk, "van": before, "naar": request.state_info.label,
                              **({"toelichting": note} if note else {}),
                              **({"wijzigingsbesluit": amended.reference} if amended else {})})
        send_notices(step, prefix="wijziging", audiences=lambda name: _audience(request, name),
                     words=_words(request, actor=actor, note=note, amended=amended),
                     links=lambda name: reverse("amendments:request", args=[request.pk]))
    return request


def _refuse_when_changed(request, transition: str):
    """A request cannot be submitted or granted when the grant changed after it was last saved (for example a
    batch after a budget change): its amounts would undo that change. Dutch ValidationError naming the change."""
    changed = selectors.changed_since(request)
    if changed is None:
        return
    what = (f"Beschikking {request.decision.reference} is gewijzigd door wijzigingsbesluit {changed.reference} "
            f"van {changed.decided_on:%d-%m-%Y}, nadat dit verzoek werd opgesteld.")
    if transition == "indienen":
        raise ValidationError(f"{what} Open het verzoek, controleer de bedragen tegen wat nu is toegekend en sla "
                              "het opnieuw op; daarna kunt u het indienen.")
    raise ValidationError(f"{what} Het verzoek gaat nog uit van de oude bedragen en kan zo niet worden toegekend. "
                          "Stuur het terug naar de aanvrager, die de bedragen opnieuw bekijkt, of wijs het af.")


# --- the amended decision ----------------------------------------------------------------------------------

def _amend(*, actor, decision, lines, reasons, plan_text="", decided_on, change_request=None, batch=None,
           render=True) -> AmendedDecision:
    """Inside the caller's transaction, with the decision's row locked: the amended decision that replaces the
    amounts the decision grants now (checked as `clean_amounts`), its lines (old and new), the ledger's
    replacement of the live grant, the audit event and its letter (after commit, unless `render` is False)."""
    app = decision.application
    if decision.outcome != GrantDecision.Outcome.GRANTED:
        raise ValidationError("Alleen een toegekende beschikking kan worden gewijzigd.")
    problem = bounds.date_problem(decided_on)
    if problem:
        raise ValidationError(problem)
    if decided_on < decision.decided_on:
        raise ValidationError("Een wijzigingsbesluit kan niet eerder zijn dan de beschikking die het wijzigt "
                              f"({decision.decided_on:%d-%m-%Y}).")
    latest = selectors.latest_amendment(decision)
    replaces = selectors.live_source(decision, latest)  # (before the new amended decision exists)
    current = selectors.current_lines(decision, latest)
    cleaned = clean_amounts(app, decision, lines)
    old = {}
    for line in current:
        key = (selectors.subject_key(line), line["year"])
        old[key] = old.get(key, 0) + line["amount"]
    new = {(("plan_line", c["plan_line"].pk) if c["plan_line"] else ("component", c["component"].pk), c["year"]): c
           for c in cleaned}
    if all(new[key]["amount"] == amount if key in new else amount == 0 for key, amount in old.items()) \
            and not (plan_text or "").strip():
        raise ValidationError("De bedragen zijn gelijk aan wat de beschikking nu toekent en het plan wijzigt niet: "
                              "er valt niets te wijzigen.")
    number = (latest.number if latest else 0) + 1
    amended = AmendedDecision.objects.create(
        decision=decision, number=number, reference=amended_reference(decision, number), change_request=change_request,
        batch=batch, decided_on=decided_on, reasons=reasons, plan_text=plan_text or "", decided_by=actor)
    AmendedDecisionLine.objects.bulk_create([
        AmendedDecisionLine(amended_decision=amended, position=i, label=c["label"], component=c["component"],
                            plan_line=c["plan_line"], municipality=c["municipality"], year=c["year"],
                            old_amount=old.get(key, 0), amount=c["amount"])
        for i, (key, c) in enumerate(new.items())])
    ledger_lines = [{"year": c["year"], "component": c["component"] and c["component"].pk, "amount": c["amount"]}
                    for c in cleaned]
    ledger.replace_grant(amended=amended, lines=ledger_lines, replaces=replaces, actor=actor)
    advances = _adjust_advances(decision, selectors.per_year(cleaned), by=actor)
    total, old_total = sum(c["amount"] for c in cleaned), sum(old.values())
    audit.record(actor=actor, action="wijzigingsbesluit.vastgesteld", obj=app,
                 message=f"Wijzigingsbesluit {amended.reference} vastgesteld: {format_euro(old_total)} → "
                         f"{format_euro(total)}",
                 details={"kenmerk": amended.reference, "wijzigt": latest.reference if latest else decision.reference,
                          "datum": decided_on.isoformat(), "reden": reasons,
                          "regels": [{"omschrijving": c["label"], "jaar": c["year"], "was": old.get(key, 0),
                                      "wordt": c["amount"]} for key, c in new.items()],
                          "voorschotten": advances, "reeks": batch.pk if batch else None})
    letter = AmendedDecisionLetter.objects.create(amended_decision=amended)
    if render:
        enqueue_after_commit(LETTER_TASK, letter)
    return amended


def _adjust_advances(decision, per_year: dict[int, int], *, by) -> list[dict]:
    """The advances not paid yet follow the amended amount of their year (scheduled anew in the ledger); a paid
    advance stays as it was paid (the difference is settled at the determination, as the letter says). Returns
    what changed, for the audit event."""
    changed = []
    for payment in AdvancePayment.objects.select_for_update().filter(decision=decision, paid_on__isnull=True,
                                                                     year__isnull=False).order_by("pk"):
        amount = per_year.get(payment.year, 0)
        if amount != payment.amount:
            changed.append({"jaar": payment.year, "was": payment.amount, "wordt": amount})
            AdvancePayment.objects.filter(pk=payment.pk).update(amount=amount)
            payment.amount = amount
            ledger_posting.post_advance(payment, by=by)
    return changed


# --- the letter --------------------------------------------------------------------------------------------

def letter_context(amended) -> dict:
    decision = amended.decision
    context = decisions.letter_context(decision)
    lines = list(amended.lines.all())
    years = sorted({line.year for line in lines})
    table = [{"label": line.label, "year": line.year, "old": line.old_amount, "new": line.amount} for line in lines]
    previous = (AmendedDecision.objects.filter(decision=decision, number=amended.number - 1).first()
                if amended.number > 1 else None)
    context.update({
        "amended": amended, "replaces_reference": previous.reference if previous else decision.reference,
        "years": years, "change_table": table,
        "year_rows": [(y, sum(line.old_amount for line in lines if line.year == y),
                       sum(line.amount for line in lines if line.year == y)) for y in years],
        "old_total": sum(line.old_amount for line in lines), "new_total": sum(line.amount for line in lines),
        # The shared frame (addressee with postal address, date, kenmerk, signatory) of this letter, not the decision's.
        **letters.letter_frame(decision.application, reference=amended.reference, date=amended.decided_on,
                               signed_by=amended.decided_by),
    })
    return context


def letter_filename(amended) -> str:
    return f"wijzigingsbesluit-{amended.reference}.pdf"


def letter_render(*, amended_id) -> AmendedDecision:
    """The job (an AmendedDecisionLetter): render the letter and store it privately. Idempotent; a failure is
    kept on the job with its reason, to be retried."""
    from spukportal.pdf import render_pdf  # WeasyPrint is heavy: loaded by the worker that renders, not on import

    amended = AmendedDecision.objects.select_related("decision__application__period").get(pk=amended_id)
    letter, _ = AmendedDecisionLetter.objects.get_or_create(amended_decision=amended)
    if letter.is_ready:
        return amended
    app = amended.decision.application
    AmendedDecisionLetter.objects.filter(pk=letter.pk).update(status=JobStatus.RUNNING, error="",
                                                              started_at=timezone.now())
    try:
        content = render_pdf("applications/amendments/letter_pdf.html", letter_context(amended))
        name = storages["private"].save(f"beschikkingen/{app.pk}/{letter_filename(amended)}", ContentFile(content))
        with transaction.atomic():
            AmendedDecisionLetter.objects.filter(pk=letter.pk).update(
                status=JobStatus.FINISHED, file=name, sha256=hashlib.sha256(content).hexdigest(),
                finished_at=timezone.now(), error="")
            audit.record(actor=None, action="wijzigingsbesluit.brief_klaar", obj=app,
                         message=f"Wijzigingsbesluit {amended.reference} (pdf) is klaar")
    except Exception as exc:
        log.exception("Wijzigingsbesluit %s: brief mislukt", amended_id)
        with transaction.atomic():
            AmendedDecisionLetter.objects.filter(pk=letter.pk).update(
                status=JobStatus.FAILED, finished_at=timezone.now(),
                error=f"De brief kon niet worden gemaakt ({exc.__class__.__name__}: {exc})"[:2000])
            audit.record(actor=None, action="wijzigingsbesluit.brief_mislukt", obj=app,
                         message=f"Wijzigingsbesluit {amended.reference}: brief mislukt")
    return AmendedDecision.objects.select_related("letter").get(pk=amended_id)


def letter_retry(*, actor, amended) -> AmendedDecision:
    _require(permissions.can_amend(actor))
    with transaction.atomic():
        letter, _ = AmendedDecisionLetter.objects.select_for_update().get_or_create(amended_decision=amended)
        if letter.status == JobStatus.FINISHED:
            raise ValidationError("De brief van dit wijzigingsbesluit is al klaar.")
        AmendedDecisionLetter.objects.filter(pk=letter.pk).update(status=JobStatus.PENDING, error="", task_id="",
                                                                  created_at=timezone.now(), started_at=None,
                                                                  finished_at=None)
        audit.record(actor=actor, action="wijzigingsbesluit.brief_opnieuw", obj=amended.decision.application,
                     message=f"Wijzigingsbesluit {amended.reference}: brief opnieuw gestart")
        enqueue_after_commit(LETTER_TASK, letter)
    return AmendedDecision.objects.select_related("letter").get(pk=amended.pk)


# --- the ministry's batch after a budget change ------------------------------------------------------------

def amendment_batch_start(*, actor, run, decisions_, decided_on, reasons: str) -> AmendmentBatch:
    """A batch row for these granted decisions and one job that lowers each to `run`'s allocation in an amended
    decision (with its letter)."""
    _require(permissions.can_amend(actor))
    if not isinstance(decided_on, datetime.date) or bounds.date_problem(decided_on):
        raise ValidationError(bounds.date_problem(decided_on) or "Vul een datum in.")
    reasons = (reasons or "").strip()
    problem = bounds.text_problem(reasons, max_chars=bounds.MAX_NOTE_CHARS)
    if problem:
        raise ValidationError(problem)
    if not reasons:
        raise ValidationError("Geef de reden van de wijziging; die staat in elk wijzigingsbesluit.")
    pks = sorted({d.pk for d in decisions_})
    if not pks:
        raise ValidationError("Kies ten minste één beschikking.")
    if len(pks) > MAX_BATCH:
        raise ValidationError(f"Kies ten hoogste {MAX_BATCH} beschikkingen per reeks.")
    with transaction.atomic():
        batch = AmendmentBatch.objects.create(run=run, decided_on=decided_on, reasons=reasons, total=len(pks),
                                              created_by=actor)
        batch.decisions.set(pks)
        audit.record(actor=actor, action="wijzigingsbesluit.reeks_gestart", obj=batch,
                     message=f"Reeks van {len(pks)} wijzigingsbesluiten gestart (verdeling {run})",
                     details={"beschikkingen": pks, "verdeling": run.pk, "datum": decided_on.isoformat()})
        enqueue_after_commit(BATCH_TASK, batch)
    return batch


def batch_restartable(batch) -> bool:
    return batch.status == AmendmentBatch.Status.FAILED or batch.is_stale


def amendment_batch_restart(*, actor, batch) -> AmendmentBatch:
    _require(permissions.can_amend(actor))
    with transaction.atomic():
        row = AmendmentBatch.objects.select_for_update().get(pk=batch.pk)
        if not batch_restartable(row):
            raise ValidationError("Deze reeks loopt nog of is klaar; opnieuw starten kan niet.")
        AmendmentBatch.objects.filter(pk=row.pk).update(status=AmendmentBatch.Status.PENDING, task_id="", error="",
                                                        created_at=timezone.now(), started_at=None, finished_at=None)
        audit.record(actor=actor, action="wijzigingsbesluit.reeks_opnieuw", obj=row)
        enqueue_after_commit(BATCH_TASK, row)
    row.refresh_from_db()
    return row


def _amend_one(batch, decision) -> AmendedDecision | None:
    """The amended decision of one decision of the batch (made once: a re-run keeps it), with its letter; None
    when the decision already fits the new allocation (someone lowered it in between)."""
    amended = AmendedDecision.objects.filter(batch=batch, decision=decision).first()
    if amended is None:
        with transaction.atomic():
            locked = _lock_decision(decision)
            amended = AmendedDecision.objects.filter(batch=batch, decision=decision).first()
            if amended is None:
                current = selectors.current_lines(locked)
                new = selectors.new_lines(locked.application, batch.run, current)
                if not locked.application.applicant.allocation_amounts(batch.run) or \
                        [line["amount"] for line in new] == [line["amount"] for line in current]:
                    return None
                amended = _amend(actor=batch.created_by, decision=locked, lines=new, reasons=batch.reasons,
                                 decided_on=batch.decided_on, batch=batch, render=False)
    if not amended.letter.is_finished:
        amended = letter_render(amended_id=amended.pk)
        if not amended.letter.is_finished:
            raise ValidationError(amended.letter.error)
    return amended


def amendment_batch_run(*, batch_id, task_id="") -> AmendmentBatch:
    """The job on the worker: each decision of the batch in turn (progress saved after each); what fails is
    named per decision and the others go on."""
    batch = AmendmentBatch.objects.select_related("created_by", "run").get(pk=batch_id)
    if batch.status == AmendmentBatch.Status.FINISHED:
        return batch
    AmendmentBatch.objects.filter(pk=batch_id).update(status=AmendmentBatch.Status.RUNNING, started_at=timezone.now(),
                                                      error="", failures={}, done=0,
                                                      **({"task_id": task_id} if task_id else {}))
    failures, done = {}, 0
    for decision in batch.decisions.select_related("application__municipality", "application__region",
                                                   "application__period").order_by("pk"):
        try:
            _amend_one(batch, decision)
            done += 1
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            failures[str(decision.pk)] = f"{decision.application.applicant.name}: {' '.join(messages)}"
        except Exception as exc:  # one decision's failure does not stop the others
            log.exception("Reeks wijzigingen %s: beschikking %s mislukt", batch_id, decision.pk)
            failures[str(decision.pk)] = f"{decision.application.applicant.name}: {exc.__class__.__name__}: {exc}"
        AmendmentBatch.objects.filter(pk=batch_id).update(done=done)
    with transaction.atomic():
        fields = {"failures": failures, "done": done, "finished_at": timezone.now()}
        if failures:
            fields.update(status=AmendmentBatch.Status.FAILED, error=(
                f"{len(failures)} van {batch.total} niet gelukt: " + "; ".join(failures.values()))[:5000])
        else:
            fields.update(status=AmendmentBatch.Status.FINISHED, error="")
        AmendmentBatch.objects.filter(pk=batch_id).update(**fields)
        audit.record(actor=None, action="wijzigingsbesluit.reeks_klaar", obj=batch,
                     message=f"Reeks wijzigingsbesluiten klaar: {done} van {batch.total}")
    batch.refresh_from_db()
    return batch
