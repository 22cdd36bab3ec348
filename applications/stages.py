"""The stages of an application, as the regulation's definition lists them (`RegulationDefinition.stages`).

SPUK IZA (GALA, bijlage 2): the 2023 application "op hoofdlijnen" is granted provisionally; the completion
(regioplan, governance, plan van aanpak) continues that application — a new application in the completion's
period that starts from the earlier one's plan lines and texts and points at it (`Application.continues`), while
the earlier versions, decision and letter stay readable there — and its decision is the definitive grant that
replaces the provisional one.

This module imports only the models and the workflow's state codes; the services call it.
"""

from django.db.models import Q

from spukportal.dates import dutch_date

from .intake.flow import ApplicationState
from .models import Application, GrantDecision, PlanLine, PlanSection

# The ledger's source kind of a grant made by a decision (budgets.ledger.sources.DECISION in the ledger contract).
DECISION_SOURCE = "decision"


def predecessor_for(period, *, municipality=None, region=None):
    """The provisionally granted application that an application in `period` continues (None: it starts fresh):
    the applicant's latest granted application of the same regulation in a period of the stage that the period's
    stage continues, not yet continued by a live application."""
    definition = period.definition
    stage = definition.stage_of(period)
    if stage is None or not stage.continues:
        return None
    earlier = definition.stage(stage.continues)
    return (Application.objects
            .filter(regulation=period.regulation, municipality=municipality, region=region,
                    state=ApplicationState.TOEGEKEND, period__plan_required=earlier.plan_required,
                    decision__outcome=GrantDecision.Outcome.GRANTED)
            .exclude(pk__in=Application.objects.filter(~Q(state=ApplicationState.INGETROKKEN),
                                                       continues__isnull=False).values("continues"))
            .select_related("period", "decision").order_by("-period__first_year", "-pk").first())


def carry_over(*, previous, application) -> dict:
    """Start `application` from `previous`: its plan lines (years of the new period) and the texts of the plan
    sections the stage carries (from key → to key; a text already there is kept and the earlier one added below).
    Returns what was carried, for the audit trail."""
    stage = application.definition.stage_of(application.period)
    years = set(application.period.years)
    lines = [line for line in PlanLine.objects.filter(application=previous).order_by("position", "id")
             if line.year in years]
    PlanLine.objects.bulk_create(
        PlanLine(application=application, position=i, activity=line.activity, scope=line.scope,
                 municipality_id=line.municipality_id, year=line.year, amount=line.amount,
                 brede_component_id=line.brede_component_id, double_funding_note=line.double_funding_note)
        for i, line in enumerate(lines))
    texts = dict(PlanSection.objects.filter(application=previous).values_list("key", "text"))
    earlier_label = application.definition.stage(stage.continues).label.lower()
    carried = []
    for from_key, to_key in stage.carry_sections if stage else ():
        text = (texts.get(from_key) or "").strip()
        if not text:
            continue
        PlanSection.objects.create(application=application, key=to_key,
                                   text=f"Uit de {earlier_label} ({previous.reference or previous.pk}):\n\n{text}")
        carried.append(to_key)
    return {"vervolg_van": previous.pk, "regels": len(lines), "teksten": carried}


def is_provisional(application) -> bool:
    """Is a grant on this application provisional (its stage's grant is replaced by a later stage's)?"""
    stage = application.definition.stage_of(application.period)
    return bool(stage and stage.provisional)


def implied_replaces(application) -> list[tuple[str, int]]:
    """The ledger grants that a grant on this application replaces without anyone ticking them: for a completion,
    the provisional grant of the application it continues, as the ledger's (source kind, id). To be added to the
    `replaces` of the ledger's conflict check and of the decision's posting (form and batch alike)."""
    previous = application.continues
    if previous is None or not is_provisional(previous):
        return []
    earlier = GrantDecision.objects.filter(application=previous, outcome=GrantDecision.Outcome.GRANTED).first()
    return [(DECISION_SOURCE, earlier.pk)] if earlier else []


def replaced_grant_source(decision) -> tuple[str, int] | None:
    """The grant this decision replaces in the ledger: for the definitive grant of a completion, the provisional
    grant of the application it continues, as the ledger's `replaces=(source kind, id)`; None otherwise."""
    if decision.outcome != GrantDecision.Outcome.GRANTED:
        return None
    implied = implied_replaces(decision.application)
    return implied[0] if implied else None


def letter_note(decision) -> str:
    """The sentence the decision letter adds about the stage (Dutch; '' when there are no stages)."""
    if decision.outcome != GrantDecision.Outcome.GRANTED:
        return ""
    app = decision.application
    if is_provisional(app):
        return ("Dit is een voorlopige toekenning (GALA, bijlage 2): na de completering van de aanvraag met het "
                "regioplan, de regio-governance en het plan van aanpak en de beoordeling daarvan volgt de definitieve "
                "toekenning, die deze voorlopige toekenning vervangt.")
    replaced = replaced_grant_source(decision)
    if replaced:
        earlier = GrantDecision.objects.get(pk=replaced[1])
        return (f"Deze beschikking kent de middelen definitief toe (GALA, bijlage 2) en vervangt de voorlopige "
                f"toekenning {earlier.reference} van {dutch_date(earlier.decided_on)}.")
    return ""


def stage_context(application) -> dict:
    """What the application page says about the stage: the stage, the application it continues (with its
    versions and provisional grant) and the live application that continues it. Empty without stages."""
    definition = application.definition
    stage = definition.stage_of(application.period)
    if stage is None:
        return {}
    continued_by = application.continuations.exclude(state=ApplicationState.INGETROKKEN).first()
    earlier = definition.stage(stage.continues) if stage.continues else None
    later = next((s for s in definition.stages if s.continues == stage.key), None)
    return {"stage": stage, "provisional": stage.provisional, "continues": application.continues,
            "earlier": earlier, "continued_by": continued_by, "later": later}
