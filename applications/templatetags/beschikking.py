"""`{% decision_block application %}`: the decision on the application's page (outcome, amounts, letter status,
download link, retry and decide buttons for the ministry), so that the detail view needs no change."""

from django import template

from applications import permissions
from applications.decisions.flow import DECISION_TRANSITIONS, OUTCOMES
from applications.decisions.selectors import decision_on
from applications.intake import flow as workflow

register = template.Library()


@register.inclusion_tag("applications/decisions/_decision.html", takes_context=True)
def decision_block(context, application):
    user = context["request"].user
    decision = decision_on(application)  # a draft's page asks nothing (the officer's most viewed page)
    years = {}
    if decision is not None:
        for line in decision.lines.all():
            years[line.year] = years.get(line.year, 0) + line.amount
    return {
        "application": application, "decision": decision, "decision_years": sorted(years.items()),
        "decision_total": sum(years.values()),
        "letter": decision.letter if decision is not None else None,
        "outcome": OUTCOMES[decision.outcome] if decision is not None else None,
        "payments": list(decision.payments.all()) if decision is not None else [],
        "can_mark_paid": decision is not None and bool(permissions.can_mark_advance_paid(user)),
        "can_retry_letter": decision is not None and decision.letter.is_failed
        and bool(permissions.can_retry_decision_letter(user, decision)),
        "can_decide": decision is None and bool(permissions.can_decide(user)) and any(
            workflow.check(user, application, t) for t in DECISION_TRANSITIONS),
        "csrf_token": context.get("csrf_token"),
    }
