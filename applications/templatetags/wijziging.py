"""`{% amendment_block application %}`: below the decision on the application's page — the amended decisions
("Gewijzigd bij besluit …", what is granted now, each letter), the open change request and the applicant's
"Wijziging aanvragen" button."""

from django import template

from applications.amendments import permissions, selectors
from applications.amendments.models import AmendedDecision
from applications.decisions.selectors import decision_on
from applications.models import GrantDecision

register = template.Library()


@register.inclusion_tag("applications/amendments/_block.html", takes_context=True)
def amendment_block(context, application):
    user = context["request"].user
    decision = decision_on(application)  # a draft has no decision to change; only a grant can be changed
    if decision is None or decision.outcome != GrantDecision.Outcome.GRANTED:
        return {"decision": None}
    amendments = list(AmendedDecision.objects.filter(decision=decision).select_related("letter")
                      .prefetch_related("lines").order_by("number"))
    latest = amendments[-1] if amendments else None
    open_request = selectors.open_request(decision)
    visible_request = open_request if open_request and permissions.can_view_change_request(user, open_request) else None
    return {
        "application": application, "decision": decision, "amendments": amendments, "latest": latest,
        "current_years": sorted(selectors.per_year(selectors.current_lines(decision, latest)).items()),
        "current_total": sum(selectors.per_year(selectors.current_lines(decision, latest)).values()),
        "open_request": visible_request,
        "may_request": open_request is None and bool(permissions.can_request_change(user, application)),
        "may_retry": bool(permissions.can_amend(user)),
        "csrf_token": context.get("csrf_token"),
    }
