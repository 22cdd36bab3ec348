"""Thin Celery wrappers around the decision services. Idempotent: running a task twice finishes the same row."""

from celery import shared_task

from .decisions.services import decision_batch_dispatch, decision_batch_part
from .decisions.decide import letter_render
from .models import DecisionLetter


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
