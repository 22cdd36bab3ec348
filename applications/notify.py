"""Who hears of a transition, and what they read: each transition of the workflow table carries its notices
(audience and Dutch message); this module names the people of each audience, the link and the words the
messages fill in.

`after_transition` is called by `services.application_transition` inside its transaction, right after the
audit event; `spukportal.notifications.notify` stores the notifications there and mails them after commit
(through Celery, retried), so that a mail that fails never undoes the transition."""

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse

from spukportal.dates import dutch_date
from spukportal.models import Role, RoleAssignment
from spukportal.money import format_euro
from spukportal.process import send_notices

from .intake.flow import Audience, Link, STATES, TRANSITIONS


def applicant_officers(app) -> list:
    """The active officers who act for the applicant: the gemeente's officers (brede SPUK); for an IZA-regio
    the mandate holder's (the mandate gemeente's officers, or those linked to the public body)."""
    users = get_user_model().objects.filter(is_active=True)
    applicant = app.applicant
    municipality = getattr(applicant, "municipality", None)
    if municipality is None:
        holder = applicant.mandate_holder
        if holder is None:
            return []
        if holder.municipality_id is None:
            return list(holder.officers.filter(is_active=True))
        municipality = holder.municipality
    return list(users.filter(role_assignments__role__code=Role.OFFICER,
                             role_assignments__municipality=municipality).distinct())


def holders_of(role_code: str) -> list:
    return [a.user for a in RoleAssignment.objects.filter(role__code=role_code, user__is_active=True)
            .select_related("user")]


def reviewers(app) -> list:
    return [u for u in (app.first_reviewer, app.second_reviewer) if u is not None]


def decision_recipients(app) -> list:
    """Who is told of the decision: the applicant's officers; for an IZA-regio the officers of every member
    gemeente (and those linked to a mandate holder that is not a gemeente)."""
    applicant = app.applicant
    if app.definition.by_region:
        ids = [m.pk for m in applicant.members]
        holder = applicant.mandate_holder
        extra = list(holder.officers.filter(is_active=True)) if holder and holder.municipality_id is None else []
    else:
        ids, extra = [app.municipality_id], []
    officers = [a.user for a in RoleAssignment.objects.filter(role__code=Role.OFFICER, municipality_id__in=ids,
                                                              user__is_active=True).select_related("user")]
    return officers + extra


def audience(app, name: str) -> list:
    """The users a notice's audience names (applications.intake.flow.Audience)."""
    return {
        Audience.APPLICANT: lambda: applicant_officers(app),
        Audience.REVIEWERS: lambda: reviewers(app),
        Audience.FIRST_REVIEWER: lambda: [app.first_reviewer],
        Audience.MINISTRY: lambda: holders_of(Role.MINISTRY),
        Audience.DECISION_RECIPIENTS: lambda: decision_recipients(app),
    }[name]()


def link(app, name: str, details: dict) -> str:
    if name == Link.RECEIPT:
        return reverse("applications:receipt", args=[app.pk, details.get("versie")])
    return reverse("applications:detail", args=[app.pk])


def words(app, *, actor, details: dict, target: str) -> dict:
    """What a notice's subject and body may say about an application and the transition just taken."""
    total = details.get("totaal")
    decided_on = details.get("datum")
    return {
        "name": app.applicant.name, "period": app.period.name, "reference": app.reference,
        "reference_or_name": app.reference or app.applicant.name, "reference_or_concept": app.reference or "concept",
        "actor": (actor.get_full_name() or actor.get_username()) if actor else "het portaal",
        "version": details.get("versie"), "note": details.get("toelichting", ""),
        "points": "\n".join(f"{i}. {p}" for i, p in enumerate(details.get("punten") or [], start=1)),
        "advice": details.get("advies", ""), "target_label": STATES[target].label.lower(),
        "outcome": STATES[target].label.lower(), "decision_reference": details.get("beschikking", ""),
        "decision_date": dutch_date(datetime.date.fromisoformat(decided_on)) if decided_on else "",
        "decision_total": f", in totaal {format_euro(total)}" if total else "",
    }


def after_transition(*, app, transition: str, actor, details: dict) -> None:
    """Send the notices of `transition` (by name) just taken on `app`, inside the transaction."""
    step = TRANSITIONS[transition]
    send_notices(step, prefix="aanvraag", audiences=lambda name: audience(app, name),
                 words=words(app, actor=actor, details=details, target=step.target),
                 links=lambda name: link(app, name, details))
