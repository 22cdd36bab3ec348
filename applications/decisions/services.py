"""The ministry's decisions as services: one decision (through the workflow's transition) and the batch.
The DECIDE effect itself, the amounts and the letter are `applications.decisions.decide`."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from spukportal import audit, bounds
from spukportal.jobs import enqueue_after_commit
from spukportal.models import JobStatus

from .. import permissions
from ..intake import services
from ..intake.services import _require
from ..models import DecisionBatch, GrantDecision
from . import decide as decisions

log = logging.getLogger(__name__)

BATCH_TASK = "applications.tasks.run_decision_batch"
PART_TASK = "applications.tasks.run_decision_batch_part"
PART_SIZE = 10
MAX_BATCH = 1000


def decision_make(*, actor, application, outcome: str, decided_on, lines=None, reasons: str = "",
                  today=None, replaces=None) -> GrantDecision:
    """Grant (`toegekend`, with `lines` or the requested amounts) or reject (`afgewezen`, with reasons):
    the `toekennen` / `afwijzen` transition, whose effect stores the decision; its letter follows.
    `replaces`: the live grants (ledger sources) this decision explicitly replaces; without it a grant whose
    years overlap a live grant of the same recipient is refused (budgets.ledger)."""
    transition = "toekennen" if outcome == GrantDecision.Outcome.GRANTED else "afwijzen"
    reasons = (reasons or "").strip()
    if transition == "afwijzen" and not reasons:
        raise ValidationError("Geef de redenen van de afwijzing; ze staan in de beschikking.")
    app = services.application_transition(
        actor=actor, application=application, transition=transition, today=today,
        note=reasons if transition == "afwijzen" else "",
        data={"decided_on": decided_on, "lines": lines, "reasons": reasons, "replaces": replaces})
    return GrantDecision.objects.get(application=app)


# --- the batch -----------------------------------------------------------------------------------------

def decision_batch_start(*, actor, applications, decided_on) -> DecisionBatch:
    """A batch row for these applications and one job that decides (granted, the requested amounts within
    the allocation) and renders each letter."""
    _require(permissions.can_decide(actor))
    problem = bounds.date_problem(decided_on)
    if problem:
        raise ValidationError(problem)
    pks = sorted({a.pk for a in applications})
    if not pks:
        raise ValidationError("Kies ten minste één aanvraag.")
    if len(pks) > MAX_BATCH:
        raise ValidationError(f"Kies ten hoogste {MAX_BATCH} aanvragen per reeks.")
    with transaction.atomic():
        batch = DecisionBatch.objects.create(decided_on=decided_on, total=len(pks), created_by=actor)
        batch.applications.set(pks)
        audit.record(actor=actor, action="beschikking.reeks_gestart", obj=batch,
                     message=f"Reeks van {len(pks)} beschikkingen gestart", details={"aanvragen": pks,
                                                                                    "datum": decided_on.isoformat()})
        enqueue_after_commit(BATCH_TASK, batch)
    return batch


def batch_restartable(batch) -> bool:
    """Failed, or standing still: no part reported for a while (a worker was killed), or stale as a whole."""
    return batch.status == DecisionBatch.Status.FAILED or batch.is_silent or batch.is_stale


def decision_batch_restart(*, actor, batch) -> DecisionBatch:
    """Start a failed or stale batch again: it finishes what it had not done (never a second decision)."""
    _require(permissions.can_decide(actor))
    with transaction.atomic():
        row = DecisionBatch.objects.select_for_update().get(pk=batch.pk)
        if not batch_restartable(row):
            raise ValidationError("Deze reeks loopt nog of is klaar; opnieuw starten kan niet.")
        DecisionBatch.objects.filter(pk=row.pk).update(status=DecisionBatch.Status.PENDING, task_id="", error="",
                                                       created_at=timezone.now(), started_at=None, finished_at=None,
                                                       reported_at=None)
        audit.record(actor=actor, action="beschikking.reeks_opnieuw", obj=row)
        enqueue_after_commit(BATCH_TASK, row)
    row.refresh_from_db()
    return row


def _decide_one(batch, app) -> GrantDecision:
    """Get or make the decision of one application of the batch (granted, the requested amounts within the
    allocation) and render its letter. A decision that exists (an earlier run, another job) is kept."""
    decision = GrantDecision.objects.filter(application=app).select_related("letter").first()
    if decision is None:
        lines = decisions.capped_to_allocation(app, decisions.requested_lines(app))
        try:
            services.application_transition(
                actor=batch.created_by, application=app, transition="toekennen",
                data={"decided_on": batch.decided_on, "lines": lines, "batch": batch, "render": False})
        except (ValidationError, PermissionDenied):
            if not GrantDecision.objects.filter(application=app).exists():  # not someone else's in between
                raise
        decision = GrantDecision.objects.select_related("letter").get(application=app)
    if not decision.letter.is_finished:
        decision = decisions.letter_render(decision_id=decision.pk)
        if not decision.letter.is_finished:
            raise ValidationError(decision.letter.error)
    return decision


def _batch_apps(batch, pks=None):
    apps = (batch.applications.select_related("municipality", "region", "period", "period__allocation_run")
            .defer("period__allocation_run__input_snapshot"))
    return list((apps.filter(pk__in=pks) if pks is not None else apps).order_by("pk"))


def _finished(batch_id):
    """The applications of the batch whose decision has its letter (whoever made it)."""
    return GrantDecision.objects.filter(application__in=DecisionBatch.applications.through.objects.filter(
        decisionbatch_id=batch_id).values("application_id"), letter__status=JobStatus.FINISHED)


def _process(batch, apps) -> dict[str, str]:
    """Decide and render each application of `apps` (skipping what is done); returns the failures (application
    pk → reason). Progress is saved after every application."""
    failures = {}
    for app in apps:
        try:
            _decide_one(batch, app)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            failures[str(app.pk)] = f"{app.applicant.name}: {' '.join(messages)}"
        except Exception as exc:  # one application's failure does not stop the others
            log.exception("Reeks %s: aanvraag %s mislukt", batch.pk, app.pk)
            failures[str(app.pk)] = f"{app.applicant.name}: {exc.__class__.__name__}: {exc}"
        DecisionBatch.objects.filter(pk=batch.pk).update(done=_finished(batch.pk).count(), reported_at=timezone.now())
    return failures


def _part_finished(batch_id, failures: dict[str, str]) -> DecisionBatch:
    """Under the batch's row lock: note what this part made and what failed. When every application of the
    batch has its letter or has failed, the batch is finished, or failed naming what failed. A part delivered
    twice changes nothing: the outcome is per application, not a count of parts."""
    with transaction.atomic():
        row = DecisionBatch.objects.select_for_update().get(pk=batch_id)
        finished = set(_finished(batch_id).values_list("application_id", flat=True))
        # An earlier failure of an application that has its letter now (a later delivery made it) is history.
        merged = {pk: reason for pk, reason in {**row.failures, **failures}.items() if int(pk) not in finished}
        fields = {"failures": merged, "done": len(finished), "reported_at": timezone.now()}
        if row.status == DecisionBatch.Status.RUNNING and len(finished) + len(merged) >= row.total:
            if not merged:
                fields.update(status=DecisionBatch.Status.FINISHED, error="")
            else:
                fields.update(status=DecisionBatch.Status.FAILED, error=(
                    f"{len(merged)} van {row.total} niet gelukt: " + "; ".join(merged.values()))[:5000])
            fields["finished_at"] = timezone.now()
            audit.record(actor=None, action="beschikking.reeks_klaar", obj=row,
                         message=f"Reeks beschikkingen klaar: {len(finished)} van {row.total} gemaakt")
        DecisionBatch.objects.filter(pk=batch_id).update(**fields)
    row.refresh_from_db()
    return row


def _mark_running(batch_id, task_id):
    now = timezone.now()
    DecisionBatch.objects.filter(pk=batch_id).update(status=DecisionBatch.Status.RUNNING, started_at=now,
                                                     reported_at=now, error="", failures={},
                                                     **({"task_id": task_id} if task_id else {}))


def decision_batch_dispatch(*, batch_id, task_id="") -> DecisionBatch:
    """The job on the worker: what is not done yet is split into parts of PART_SIZE applications, each its own
    task, so that the worker's processes make letters side by side (342 in about half the time on two cores:
    benchmarks/bench_decisions.py) and a worker that dies loses at most its part, which the queue delivers
    again (acks_late). The last part to finish closes the batch."""
    batch = DecisionBatch.objects.get(pk=batch_id)
    if batch.status == DecisionBatch.Status.FINISHED:
        return batch
    finished = set(_finished(batch_id).values_list("application_id", flat=True))
    todo = [pk for pk in batch.applications.order_by("pk").values_list("pk", flat=True) if pk not in finished]
    parts = [todo[i:i + PART_SIZE] for i in range(0, len(todo), PART_SIZE)]
    with transaction.atomic():
        _mark_running(batch_id, task_id)
        for part in parts:
            enqueue_after_commit(PART_TASK, batch, part)
    if not parts:
        return _part_finished(batch_id, {})
    batch.refresh_from_db()
    return batch


def decision_batch_part(*, batch_id, pks) -> DecisionBatch:
    """One part of a batch (a task): decide and render these applications, then report to the batch."""
    batch = DecisionBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.status == DecisionBatch.Status.FINISHED:
        return batch
    DecisionBatch.objects.filter(pk=batch_id).update(reported_at=timezone.now())  # a part has started
    return _part_finished(batch_id, _process(batch, _batch_apps(batch, pks)))
