"""Who hears of a transition, and what they read: one Dutch notification per transition, to the people
concerned (the applicant's officers, the assigned reviewers, ministry staff).

`after_transition` is called by `services.application_transition` inside its transaction, right after the
audit event; `spukportal.notifications.notify` stores the notifications there and mails them after commit
(through Celery, retried), so that a mail that fails never undoes the transition. Decisions and assignments
are announced by the services that make them."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from spukportal.models import Role, RoleAssignment
from spukportal.notifications import notify


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


def _receipt_lines(app, version: int) -> tuple[str, str]:
    receipt = reverse("applications:receipt", args=[app.pk, version])
    return receipt, (f"Kenmerk: {app.reference}\nVersie: {version}\n\nDe ontvangstbevestiging met precies wat is "
                     f"ingediend kunt u downloaden in het portaal (pdf).")


def after_transition(*, app, transition: str, actor, details: dict) -> None:
    """Notify the people concerned of `transition` just taken on `app` (inside the transaction)."""
    name = app.applicant.name
    detail_url = reverse("applications:detail", args=[app.pk])
    event = f"aanvraag.{transition}"
    if transition in ("indienen", "opnieuw_indienen"):
        version = details.get("versie")
        receipt_url, receipt = _receipt_lines(app, version)
        again = transition == "opnieuw_indienen"
        verb = "aangevulde aanvraag" if again else "aanvraag"
        notify(users=applicant_officers(app), event=event, url=receipt_url,
               subject=f"Ontvangstbevestiging {app.reference}: {verb} {app.period.name} ingediend",
               body=f"De {verb} van {name} voor {app.period.name} is ingediend door "
                    f"{actor.get_full_name() or actor.username}.\n\n{receipt}")
        if again:
            notify(users=reviewers(app), event=event, url=detail_url,
                   subject=f"Aanvulling ontvangen: {name} ({app.reference})",
                   body=f"{name} heeft de aanvraag voor {app.period.name} aangevuld en opnieuw ingediend "
                        f"(versie {version}). U kunt de wijzigingen bekijken en de beoordeling hervatten.")
    elif transition == "aanvulling_vragen":
        points = "\n".join(f"{i}. {p}" for i, p in enumerate(details.get("punten") or [], start=1))
        notify(users=applicant_officers(app), event=event, url=detail_url,
               subject=f"Aanvulling gevraagd op uw aanvraag {app.reference}",
               body=f"De kerngroep vraagt een aanvulling op de aanvraag van {name} voor {app.period.name}. "
                    f"Beantwoord elk punt in het portaal en dien de aanvraag daarna opnieuw in.\n\n{points}")
    elif transition in ("positief_adviseren", "negatief_adviseren"):
        advice = "positief" if transition == "positief_adviseren" else "negatief"
        subject = f"Advies kerngroep: {advice} over {name} ({app.reference})"
        notify(users=applicant_officers(app), event=event, url=detail_url, subject=subject,
               body=f"De kerngroep heeft {advice} geadviseerd over de aanvraag van {name} voor "
                    f"{app.period.name}. Het ministerie neemt nu het besluit; u ontvangt de beschikking in het "
                    "portaal.")
        notify(users=holders_of(Role.MINISTRY), event=event, url=detail_url, subject=subject,
               body=f"De kerngroep heeft een definitief {advice} advies gegeven over de aanvraag van {name} voor "
                    f"{app.period.name}. De aanvraag wacht op een besluit.")
    elif transition == "intrekken":
        notify(users=reviewers(app), event=event, url=detail_url,
               subject=f"Aanvraag ingetrokken: {name} ({app.reference or 'concept'})",
               body=f"{name} heeft de aanvraag voor {app.period.name} ingetrokken. U hoeft deze aanvraag niet "
                    f"verder te beoordelen.\n\nReden: {details.get('toelichting', '')}")
