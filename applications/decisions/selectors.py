"""Reads for the ministry's decisions: what awaits a decision, and the ministry's start page."""

from spukportal.models import JobStatus
from spukportal.permissions import is_ministry
from spukportal.prepared import PreparedQuery

from .. import ledger_posting
from ..intake.flow import ApplicationState
from ..models import Application, DecisionBatch, GrantDecision
from ..review.selectors import awaiting_decision_rows
from . import decide as decisions

_DECISION = PreparedQuery(lambda pk: GrantDecision.objects.filter(application=pk).select_related("letter"))


def decision_on(application) -> GrantDecision | None:
    """The decision on this application, with its letter, or None. An application page asks it twice (the decision
    and the amendments below it, applications/templatetags): it is read once per application object, with SQL
    written once, and kept where Django keeps `application.decision`. A draft has none: nothing is read."""
    if application.submitted_at is None:
        return None
    relation = Application.decision.related
    if not relation.is_cached(application):
        rows = _DECISION.run(application.pk)
        for decision in rows:
            decision.application = application
        relation.set_cached_value(application, rows[0] if rows else None)
    return relation.get_cached_value(application)


def awaiting_decision():
    """Applications (both regulations) with a final positive advice and no decision yet."""
    return (Application.objects.filter(state=ApplicationState.ADVIES_POSITIEF, decision__isnull=True)
            .select_related("municipality", "region", "period")
            .order_by("regulation", "municipality__name", "region__name", "pk"))


def batch_preview(applications) -> dict:
    """What a batch will decide, for its confirmation step: per application the amounts per year it will be
    granted (the requested amounts within the allocation, as the batch grants them) and its total; the
    grand total."""
    rows = []
    for app in applications:
        per_year = {}
        lines = decisions.capped_to_allocation(app, decisions.requested_lines(app))
        for line in lines:
            per_year[line["year"]] = per_year.get(line["year"], 0) + line["amount"]
        conflict = ledger_posting.conflict(app, lines)  # the batch never replaces: such an application is refused
        rows.append({"application": app, "per_year": dict(sorted(per_year.items())), "total": sum(per_year.values()),
                     "conflict": conflict.messages[0] if conflict else ""})
    granted = [row for row in rows if not row["conflict"]]
    return {"rows": rows, "total": sum(row["total"] for row in granted),
            "conflicts": [row for row in rows if row["conflict"]]}


# The lists of the ministry's start page, on each visit of it: SQL written once (spukportal/prepared.py).
_FAILED_LETTERS = PreparedQuery(lambda: GrantDecision.objects.filter(letter__status=JobStatus.FAILED).select_related(
    "letter", "application__municipality", "application__region").order_by("-created_at")[:10])
_RUNNING_BATCHES = PreparedQuery(lambda: DecisionBatch.objects.filter(
    status__in=[DecisionBatch.Status.PENDING, DecisionBatch.Status.RUNNING]).order_by("-created_at")[:5])
_RECENT_BATCHES = PreparedQuery(lambda: DecisionBatch.objects.filter(
    status__in=[DecisionBatch.Status.FINISHED, DecisionBatch.Status.FAILED]).order_by("-created_at")[:5])


def ministry_home(user) -> dict | None:
    """The ministry's work on its start page besides what awaits a decision (`awaiting_decision_rows`): decision
    letters that failed, and running and recent batches. None for others."""
    if not is_ministry(user):
        return None
    return {"failed_letters": _FAILED_LETTERS.run(), "running_batches": _RUNNING_BATCHES.run(),
            "recent_batches": _RECENT_BATCHES.run()}


def start_page(user) -> dict:
    """The ministry's work (None for others), for the start page (`spukportal.hooks.START_PAGE`)."""
    work = ministry_home(user)
    return {"ministry_work": work, "ministry_awaiting": awaiting_decision_rows() if work else None}
