"""Reads for amendments: the amounts a decision grants now (its latest amended decision's, else its own), the
ledger source that holds them, the queues of the ministry and the kerngroep, and what a budget change does to the
granted decisions."""

from budgets.ledger import sources
from budgets.models import AllocationRun

from .. import rules
from ..decisions.decide import lowered_to
from ..models import GrantDecision
from .flow import STATES
from .models import AmendedDecision, ChangeRequest



def latest_amendment(decision) -> AmendedDecision | None:
    return AmendedDecision.objects.filter(decision=decision).order_by("-number").first()


def changed_since(request) -> AmendedDecision | None:
    """The amended decision that changed the grant after `request` was last saved (the newest one), or None
    when the request still starts from the amounts granted now."""
    latest = latest_amendment(request.decision)
    return latest if latest is not None and latest.number != request.based_on else None


def binding_caps(decision) -> rules.Caps | None:
    """What an amendment of `decision` may grant at most: the allocation the decision was made on, with the years
    of each later budget change (a batch's allocation run) taken from that run."""
    app = decision.application
    caps = app.definition.caps(app)
    batches = (AmendedDecision.objects.filter(decision=decision, batch__isnull=False)
               .select_related("batch__run").order_by("number"))
    for amended in batches:
        run = amended.batch.run
        newer = caps_of_run(app, run)
        caps = newer if caps is None else caps.with_years_from(newer, run.years or app.period.years)
    return caps


def _as_dict(line) -> dict:
    return {"component": line.component_id, "plan_line": line.plan_line_id, "municipality": line.municipality_id,
            "label": line.label, "year": line.year, "amount": line.amount}


def current_lines(decision, latest=None) -> list[dict]:
    """The amounts the decision grants now: per line and year, those of its latest amended decision (else its
    own), in the decision's order."""
    latest = latest if latest is not None else latest_amendment(decision)
    rows = latest.lines.all() if latest is not None else decision.lines.all()
    return [_as_dict(line) for line in rows.order_by("position", "year", "id")]


def live_source(decision, latest) -> tuple[str, int]:
    """The ledger source of the decision's live grant: `latest` (its latest amended decision, None when there
    is none), else the decision."""
    return (sources.AMENDED_DECISION, latest.pk) if latest is not None else (sources.DECISION, decision.pk)


def subject_key(line) -> tuple:
    return ("plan_line", line["plan_line"]) if line.get("plan_line") else ("component", line.get("component"))


def per_year(lines) -> dict[int, int]:
    years = {}
    for line in lines:
        years[line["year"]] = years.get(line["year"], 0) + line["amount"]
    return dict(sorted(years.items()))


def open_request(decision) -> ChangeRequest | None:
    open_codes = [code for code, state in STATES.items() if state.editable or state.waits_for_ministry
                  or state.waits_for_advice]
    return ChangeRequest.objects.filter(decision=decision, status__in=open_codes).first()


def ministry_queue():
    codes = [code for code, state in STATES.items() if state.waits_for_ministry]
    return (ChangeRequest.objects.filter(status__in=codes)
            .select_related("application__municipality", "application__region", "application__period", "decision")
            .order_by("submitted_at", "pk"))


def advice_queue():
    codes = [code for code, state in STATES.items() if state.waits_for_advice]
    return (ChangeRequest.objects.filter(status__in=codes)
            .select_related("application__municipality", "application__region", "application__period", "decision")
            .order_by("submitted_at", "pk"))


def recent_decided():
    codes = [code for code, state in STATES.items() if not (state.editable or state.waits_for_ministry
                                                            or state.waits_for_advice)]
    return (ChangeRequest.objects.filter(status__in=codes, submitted_at__isnull=False)
            .select_related("application__municipality", "application__region", "decision")
            .order_by("-decided_at", "-pk")[:20])


# --- a budget change -------------------------------------------------------------------------------------

def caps_of_run(application, run) -> rules.Caps:
    """What the applicant may be granted at most under allocation run `run`."""
    return rules.Caps.from_allocations(application.applicant.allocation_amounts(run),
                                       application.definition.one_line_component_ids())


def candidate_runs():
    """Finished allocation runs a budget change can be applied from (newest first)."""
    return AllocationRun.objects.filter(status=AllocationRun.Status.FINISHED).select_related("budget_version")


def new_lines(app, run, lines) -> list[dict]:
    """`lines` (in their order) with the years that `run` covers lowered to its allocation."""
    run_years = set(run.years or [])
    caps = caps_of_run(app, run)
    indices = [i for i, line in enumerate(lines) if not run_years or line["year"] in run_years]
    new = [dict(line) for line in lines]
    for i, line in zip(indices, lowered_to(caps, [lines[i] for i in indices])):
        new[i] = line
    return new


def affected_by(run) -> list[dict]:
    """The granted decisions of `run`'s regulation whose amounts now exceed what `run` allocates, with their old
    and new amounts per year: [{decision, application, lines, years, old_total, new_total}]. An applicant the
    run allocates nothing to is not in it (left alone, not lowered to nothing)."""
    rows = []
    decisions = (GrantDecision.objects
                 .filter(outcome=GrantDecision.Outcome.GRANTED, application__regulation=run.regulation)
                 .select_related("application__municipality", "application__region", "application__period")
                 .order_by("application__municipality__name", "application__region__name", "pk"))
    run_years = set(run.years or [])
    for decision in decisions:
        app = decision.application
        if run_years and not run_years & set(app.period.years):
            continue
        if not app.applicant.allocation_amounts(run):
            continue
        lines = current_lines(decision)
        new = new_lines(app, run, lines)
        if [line["amount"] for line in new] == [line["amount"] for line in lines]:
            continue
        old_years, new_years = per_year(lines), per_year(new)
        rows.append({"decision": decision, "application": app, "lines": new,
                     "years": [(year, old_years.get(year, 0), new_years.get(year, 0)) for year in old_years],
                     "old_total": sum(old_years.values()), "new_total": sum(new_years.values())})
    return rows
