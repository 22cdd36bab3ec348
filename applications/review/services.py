"""The kerngroep's review: taking and assigning (four eyes), the assessment of a submitted version, the
request for additions and the final advice.

The state changes are transitions of the workflow table (`applications.intake.flow`); their effects live
here and are run by `applications.intake.services.application_transition` inside its transaction, on the locked
application row; `applications.apps` registers them (`EFFECTS`) with the workflow's services.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from spukportal import audit, bounds
from spukportal.notifications import notify
from spukportal.permissions import is_reviewer
from spukportal.process import send_notices

from .. import permissions
from ..intake.flow import ApplicationState, Effect
from ..intake.services import EditConflict, _lock, _require
from ..models import AdditionPoint, AdditionRequest, Advice, Assessment, AssessmentItem, Comment, Verdict
from . import flow as review_flow
from .flow import ADVICE_OF
from .selectors import (current_assessment, latest_version, open_addition_request,  # noqa: F401
                        review_due_on, unanswered_points_problems)

MAX_ADDITION_POINTS = 30


# --- effects of the transitions ----------------------------------------------------------------------

def start_assessment(*, actor, app, transition, today, details, data):
    """`in_beoordeling_nemen` (the actor becomes the first reviewer, unless one is assigned) and
    `opnieuw_indienen` (the assigned reviewers keep the application): an assessment of the latest version
    starts, its verdicts and comments carried over from the assessment of the previous version, so that the
    reviewer sees what changed."""
    if app.first_reviewer_id is None and transition.name == "in_beoordeling_nemen":
        app.first_reviewer = actor
        details["eerste_beoordelaar"] = actor.get_username()
    version = latest_version(app)
    if version is None:
        raise ValidationError("Er is nog geen ingediende versie om te beoordelen.")
    assessment, created = Assessment.objects.get_or_create(application=app, version=version,
                                                           defaults={"created_by": app.first_reviewer or actor})
    if created:
        previous = {i.key: i for i in AssessmentItem.objects.filter(
            assessment__application=app, assessment__version__number__lt=version.number).order_by(
            "assessment__version__number")}  # the latest earlier verdict per element wins
        AssessmentItem.objects.bulk_create([
            AssessmentItem(assessment=assessment, key=e.key, label=e.label[:300], position=i,
                           verdict=previous[e.key].verdict if e.key in previous else "",
                           comment=previous[e.key].comment if e.key in previous else "")
            for i, e in enumerate(app.definition.review_elements(version.snapshot))])
    details["versie"] = version.number


def clean_points(points) -> list[str]:
    """The points of a request for additions: at least one, each bounded."""
    cleaned = [p.strip() for p in (points or []) if p and p.strip()]
    if not cleaned:
        raise ValidationError("Noem ten minste één punt dat de gemeente moet aanvullen.")
    if len(cleaned) > MAX_ADDITION_POINTS:
        raise ValidationError(f"Noem ten hoogste {MAX_ADDITION_POINTS} punten.")
    for p in cleaned:
        problem = bounds.text_problem(p, max_chars=bounds.MAX_NOTE_CHARS)
        if problem:
            raise ValidationError(problem)
    return cleaned


def request_additions(*, actor, app, transition, today, details, data):
    """`aanvulling_vragen`: the points go to the applicant; the assessment of this version is closed."""
    points = clean_points(data.get("points"))
    version = latest_version(app)
    request = AdditionRequest.objects.create(application=app, version=version, requested_by=actor)
    AdditionPoint.objects.bulk_create([AdditionPoint(request=request, position=i, text=text)
                                       for i, text in enumerate(points, start=1)])
    closing = review_flow.TRANSITIONS["afsluiten"]
    app.assessments.filter(version=version, status__in=closing.sources).update(status=closing.target)
    app.review_due_on = None
    details["punten"] = points
    details["versie"] = version.number


def finalize_advice(*, actor, app, transition, today, details, data):
    """`positief_adviseren` / `negatief_adviseren`: the second reviewer agrees with the proposal of the first;
    only then is the advice final."""
    assessment = current_assessment(app)
    target_advice = ADVICE_OF[transition.name]
    if assessment is None or assessment.status != Assessment.Status.PROPOSED:
        raise ValidationError("De eerste beoordelaar heeft nog geen advies ter controle voorgelegd.")
    if assessment.advice != target_advice:
        raise ValidationError(f"Het voorgestelde advies is {assessment.get_advice_display().lower()}.")
    assessment.status = review_flow.TRANSITIONS["akkoord"].target
    assessment.finalized_by = actor
    assessment.finalized_at = timezone.now()
    assessment.second_comment = (data.get("comment") or assessment.second_comment or "")[:bounds.MAX_NOTE_CHARS]
    assessment.save()
    app.review_due_on = None
    details["advies"] = assessment.advice
    details["motivering"] = assessment.reasons
    details["versie"] = assessment.version.number


# --- notices of the assessment's transitions (inside the write's transaction; mailed after commit) --------

def _audience(app, name: str) -> list:
    return {review_flow.Audience.FIRST_REVIEWER: [app.first_reviewer],
            review_flow.Audience.SECOND_REVIEWER: [app.second_reviewer]}[name]


def send_review_notices(step, *, app, actor, assessment, note: str = "", only_to=None) -> None:
    """The notices of assessment transition `step` (`only_to`: a user who joins later, instead of the audience)."""
    words = {"name": app.applicant.name, "reference_or_name": app.reference or app.applicant.name,
             "actor": (actor.get_full_name() or actor.get_username()) if actor else "",
             "advice": assessment.get_advice_display().lower(), "note": note}
    send_notices(step, prefix="beoordeling", words=words,
                 audiences=(lambda name: [only_to]) if only_to else (lambda name: _audience(app, name)),
                 links=lambda name: reverse("applications:detail", args=[app.pk]))


def _announce_waiting_proposal(app, new_second) -> None:
    """A second reviewer who joins while a proposal waits hears of it as if it had just been put to them."""
    assessment = current_assessment(app)
    if new_second is not None and assessment is not None and assessment.status == Assessment.Status.PROPOSED:
        send_review_notices(review_flow.TRANSITIONS["voorleggen"], app=app, actor=app.first_reviewer,
                            assessment=assessment, only_to=new_second)


# --- writes outside the transitions --------------------------------------------------------------------

def _reviewer(user):
    if user is None or not is_reviewer(user):
        raise ValidationError("Kies een lid van de kerngroep.")
    return user


def reviewers_assign(*, actor, application, first=None, second=None):
    """The chair assigns the first and/or second reviewer (never the same person; database-guarded)."""
    _require(permissions.can_assign_reviewers(actor))
    with transaction.atomic():
        app = _lock(application.pk)
        if app.state not in REVIEWABLE_STATES:
            raise ValidationError(f"Een aanvraag met status ‘{app.state_info.label}’ krijgt geen beoordelaars meer.")
        new_first = _reviewer(first) if first is not None else app.first_reviewer
        new_second = _reviewer(second) if second is not None else app.second_reviewer
        if new_first is not None and new_second is not None and new_first.pk == new_second.pk:
            raise ValidationError("De eerste en de tweede beoordelaar moeten twee verschillende personen zijn.")
        before = {"eerste": _name(app.first_reviewer), "tweede": _name(app.second_reviewer)}
        app.first_reviewer, app.second_reviewer = new_first, new_second
        app.save(update_fields=["first_reviewer", "second_reviewer", "updated_at"])
        after = {"eerste": _name(new_first), "tweede": _name(new_second)}
        audit.record(actor=actor, action="aanvraag.beoordelaars_toegewezen", obj=app,
                     message=f"Beoordelaars: eerste {after['eerste'] or '–'}, tweede {after['tweede'] or '–'}",
                     details={"voor": before, "na": after})
        if new_second is not None and before["tweede"] != after["tweede"]:
            _announce_waiting_proposal(app, new_second)
    return app


def second_reviewer_take(*, actor, application):
    """A kerngroep member volunteers as second reviewer (not the first; refused when someone else was first)."""
    _reviewer(actor)
    with transaction.atomic():
        app = _lock(application.pk)
        if app.state not in REVIEWABLE_STATES:
            raise ValidationError(f"Een aanvraag met status ‘{app.state_info.label}’ krijgt geen beoordelaars meer.")
        if app.second_reviewer_id is not None:
            if app.second_reviewer_id == actor.pk:
                return app
            raise ValidationError(f"{_name(app.second_reviewer)} is al tweede beoordelaar van deze aanvraag.")
        if app.first_reviewer_id == actor.pk:
            raise ValidationError("U bent de eerste beoordelaar; de tweede beoordeling doet een ander (vier ogen).")
        app.second_reviewer = actor
        app.save(update_fields=["second_reviewer", "updated_at"])
        audit.record(actor=actor, action="aanvraag.beoordelaars_toegewezen", obj=app,
                     message=f"{_name(actor)} is tweede beoordelaar", details={"tweede": _name(actor)})
        _announce_waiting_proposal(app, actor)
    return app


def assessment_save(*, actor, application, base_version: int, items: dict, advice: str = "", reasons: str = "",
                    propose: bool = False) -> Assessment:
    """The first reviewer saves the draft assessment (verdicts and comments per element, the advice and its
    reasons); with `propose` it goes to the second reviewer, which needs a verdict on every element and an
    advice with reasons. `items`: {key: {"verdict": str, "comment": str}}. Optimistic lock on the assessment."""
    with transaction.atomic():
        app = _lock(application.pk)
        _require(permissions.acts_as_first_reviewer(actor, app))
        assessment = current_assessment(app)
        if app.state != ApplicationState.IN_BEOORDELING or assessment is None:
            raise ValidationError("Deze aanvraag is niet in beoordeling.")
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if not review_flow.STATES[assessment.status].editable:
            raise ValidationError(f"De beoordeling is {assessment.get_status_display().lower()} en kan niet meer "
                                  "worden gewijzigd.")
        if assessment.edit_version != base_version:
            raise EditConflict(assessment, "Een collega heeft de beoordeling intussen opgeslagen. Uw wijzigingen "
                                           "zijn niet opgeslagen; ze staan hieronder nog in het formulier.")
        errors = {}
        rows = list(assessment.items.all())
        for row in rows:
            given = items.get(row.key, {})
            verdict, comment = given.get("verdict", row.verdict) or "", (given.get("comment", row.comment) or "").strip()
            if verdict and verdict not in Verdict.values:
                errors[row.key] = "Kies voldoet, voldoet deels of voldoet niet."
            elif len(comment) > bounds.MAX_NOTE_CHARS:
                errors[row.key] = bounds.text_problem(comment, max_chars=bounds.MAX_NOTE_CHARS)
            elif propose and not verdict:
                errors[row.key] = f"Geef een oordeel over ‘{row.label}’."
            row.verdict, row.comment = verdict, comment
        reasons = (reasons or "").strip()
        if advice and advice not in Advice.values:
            errors["advice"] = "Kies positief of negatief."
        if len(reasons) > bounds.MAX_NOTE_CHARS:
            errors["reasons"] = bounds.text_problem(reasons, max_chars=bounds.MAX_NOTE_CHARS)
        if propose and not advice:
            errors["advice"] = "Kies het advies: positief of negatief."
        if propose and not reasons:
            errors["reasons"] = "Motiveer het advies."
        if errors:
            raise ValidationError(errors)
        AssessmentItem.objects.bulk_update(rows, ["verdict", "comment"])
        assessment.advice, assessment.reasons = advice, reasons
        assessment.edit_version += 1
        step = review_flow.TRANSITIONS["voorleggen"] if propose else None
        if step is not None:
            _require(review_flow.check(actor, app, assessment, step.name))
            assessment.status = step.target
        assessment.save()
        audit.record(actor=actor, action=step.audit_action if step else "beoordeling.opgeslagen", obj=app,
                     message=("Advies ter controle voorgelegd aan de tweede beoordelaar" if step
                              else "Beoordeling opgeslagen (concept)"),
                     details={"versie": assessment.version.number, "advies": advice,
                              "oordelen": {r.key: r.verdict for r in rows}})
        if step is not None:
            send_review_notices(step, app=app, actor=actor, assessment=assessment)
    return assessment


def assessment_return(*, actor, application, comment: str) -> Assessment:
    """The second reviewer does not agree and sends the proposal back to the first reviewer, with a comment."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Schrijf waarom u het advies terugstuurt."})
    problem = bounds.text_problem(comment, max_chars=bounds.MAX_NOTE_CHARS)
    if problem:
        raise ValidationError({"comment": problem})
    with transaction.atomic():
        app = _lock(application.pk)
        _require(permissions.acts_as_second_reviewer(actor, app))
        assessment = current_assessment(app)
        step = review_flow.TRANSITIONS["terugsturen"]
        if assessment is None or assessment.status not in step.sources:
            raise ValidationError("Er ligt geen advies ter controle.")
        assessment.status = step.target
        assessment.second_comment = comment
        assessment.edit_version += 1
        assessment.save()
        audit.record(actor=actor, action=step.audit_action, obj=app,
                     message="Advies teruggestuurd naar de eerste beoordelaar", details={"opmerking": comment})
        send_review_notices(step, app=app, actor=actor, assessment=assessment, note=comment)
    return assessment


REVIEWABLE_STATES = {ApplicationState.INGEDIEND, ApplicationState.IN_BEOORDELING, ApplicationState.AANVULLING_GEVRAAGD}


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else ""


# --- notifications of the review (after the write; `notify` mails after commit) ------------------------

def notify_reviewers(*, application, users, event, subject, body):
    users = [u for u in users if u is not None]
    if users:
        notify(users=users, event=event, subject=subject, body=body,
               url=reverse("applications:detail", args=[application.pk]))


# --- the applicant answers the points of a request for additions ---------------------------------------

def addition_answers_save(*, actor, application, answers: dict) -> AdditionRequest:
    """The applicant's officers answer the points (`answers`: {point pk: text}); bounded, audited."""
    with transaction.atomic():
        app = _lock(application.pk)
        _require(permissions.acts_as_applicant(actor, app))
        request = open_addition_request(app)
        if request is None:
            raise ValidationError("Er is geen aanvulling gevraagd die u nu kunt beantwoorden.")
        points = list(request.points.select_for_update())
        errors, changed = {}, []
        now = timezone.now()
        for point in points:
            if point.pk not in answers:
                continue
            text = (answers[point.pk] or "").strip()
            problem = bounds.text_problem(text, max_chars=bounds.MAX_NOTE_CHARS) if text else None
            if problem:
                errors[f"point_{point.pk}"] = problem
                continue
            if text != point.answer:
                point.answer, point.answered_by, point.answered_at = text, actor, now
                changed.append(point)
        if errors:
            raise ValidationError(errors)
        AdditionPoint.objects.bulk_update(changed, ["answer", "answered_by", "answered_at"])
        if changed:
            audit.record(actor=actor, action="aanvulling.beantwoord", obj=app,
                         message=f"Antwoord op {len(changed)} punt(en) van de gevraagde aanvulling",
                         details={"antwoorden": {str(p.position): p.answer for p in changed}})
    return request


# --- comments ----------------------------------------------------------------------------------------

def comment_add(*, actor, application, text: str, audience: str):
    """A comment on the application: kerngroep and ministry write internal ones or ones to the gemeente; the
    applicant's officers answer (always audience `aanvrager`). Internal ones are never shown to the gemeente."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Schrijf een opmerking."})
    problem = bounds.text_problem(text, max_chars=bounds.MAX_NOTE_CHARS)
    if problem:
        raise ValidationError({"text": problem})
    staff = bool(permissions.can_see_review(actor, application))
    if not staff:
        _require(permissions.acts_as_applicant(actor, application))
        audience = Comment.Audience.APPLICANT
    if audience not in Comment.Audience.values:
        raise ValidationError({"audience": "Kies voor wie de opmerking is."})
    with transaction.atomic():
        comment = Comment.objects.create(application=application, author=actor, audience=audience, text=text)
        audit.record(actor=actor, obj=application,
                     action="opmerking.intern" if audience == Comment.Audience.INTERNAL else "opmerking.aanvrager",
                     # an internal comment's text stays out of the audit message (timelines never show it)
                     message=("Interne opmerking geplaatst" if audience == Comment.Audience.INTERNAL
                              else "Opmerking: " + text[:200]), details={"opmerking": comment.pk})
    return comment


# The workflow's effects this room carries out (registered by `applications.apps`).
EFFECTS = {
    Effect.START_ASSESSMENT: start_assessment,
    Effect.REQUEST_ADDITIONS: request_additions,
    Effect.FINALIZE_ADVICE: finalize_advice,
}
