"""Thin Celery wrappers around the decision services. Idempotent: running a task twice finishes the same row."""

from celery import shared_task

from .amendments.services import amendment_batch_run
from .amendments.services import letter_render as amended_letter_render
from .decisions.decide import letter_render
from .decisions.services import decision_batch_dispatch, decision_batch_part
from .models import AmendedDecisionLetter, DecisionLetter


@shared_task(acks_late=True)
def render_decision_letter(letter_id):
    """Renders the letter of one DecisionLetter job."""
    decision_id = DecisionLetter.objects.values_list("decision_id", flat=True).get(pk=letter_id)
    decision = letter_render(decision_id=decision_id)
    return {"decision": decision.pk, "status": decision.letter.status}


@shared_task(acks_late=True)
def run_decision_batch(batch_id):
    """Splits the batch into parts (`run_decision_batch_part`), which the worker's processes run side by side."""
    batch = decision_batch_dispatch(batch_id=batch_id, task_id=run_decision_batch.request.id or "")
    return {"batch": batch.pk, "status": batch.status, "done": batch.done}


@shared_task(acks_late=True)
def run_decision_batch_part(batch_id, pks):
    batch = decision_batch_part(batch_id=batch_id, pks=pks)
    return {"batch": batch.pk, "status": batch.status, "done": batch.done}


@shared_task(acks_late=True)
def render_amended_decision_letter(letter_id):
    """Renders the letter of one AmendedDecisionLetter job."""
    amended_id = AmendedDecisionLetter.objects.values_list("amended_decision_id", flat=True).get(pk=letter_id)
    amended = amended_letter_render(amended_id=amended_id)
    return {"amended_decision": amended.pk, "status": amended.letter.status}


@shared_task(acks_late=True)
def run_amendment_batch(batch_id):
    """Makes the amended decisions of a batch after a budget change, one after the other."""
    batch = amendment_batch_run(batch_id=batch_id, task_id=run_amendment_batch.request.id or "")
    return {"batch": batch.pk, "status": batch.status, "done": batch.done}
