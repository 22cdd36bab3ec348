"""Every write of the applications app. Keyword-only arguments, one transaction, one audit event."""

import hashlib
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from spukportal import audit, bounds

from . import permissions, plan, rules, workflow
from .models import (Application, ApplicationComponent, ApplicationPeriod, ApplicationVersion, Attachment,
                     PeriodExtension, PlanSection, RequestedAmount, effective_closing_date)
from .regulations import NotSupported, definition
from .selectors import checklist, submission_snapshot
from .workflow import Effect


class EditConflict(Exception):
    """A save based on an older version than the one stored: a colleague saved in between."""

    def __init__(self, current, message):
        super().__init__(message)
        self.current = current
        self.message = message


class SubmissionBlocked(Exception):
    def __init__(self, reasons: list[str], deadline_passed: bool = False):
        super().__init__("; ".join(reasons))
        self.reasons = reasons
        self.deadline_passed = deadline_passed


def dutch_date(value) -> str:
    return date_format(value, "j F Y")


def _require(decision):
    if not decision:
        raise PermissionDenied(decision.reason)


def _open_for_edit(actor, application, *, base_version=None, conflict_message="") -> Application:
    """The start of every change to an application's content, inside the caller's transaction: lock the row
    (every write to an application takes this lock first), check that `actor` may edit it now, and — when
    `base_version` is given — that nobody saved in between (else `EditConflict` with the stored row)."""
    app = Application.objects.select_for_update().select_related("period", "municipality").get(pk=application.pk)
    _require(permissions.can_edit_application(actor, app))
    if base_version is not None and app.edit_version != base_version:
        raise EditConflict(app, conflict_message)
    return app


# --- creating and editing ----------------------------------------------------------------------------

def application_create(*, actor, period: ApplicationPeriod, municipality, today=None) -> Application:
    try:
        regulation = definition(period.regulation)
    except NotSupported as exc:
        raise ValidationError(str(exc)) from None
    application = Application(period=period, municipality=municipality, regulation=period.regulation,
                              created_by=actor)
    _require(permissions.can_create_application(actor, application.applicant))
    today = today or timezone.localdate()
    closes_on = effective_closing_date(period, municipality)
    if today < period.opens_on:
        raise ValidationError(f"Deze aanvraagperiode opent pas op {dutch_date(period.opens_on)}.")
    if today > closes_on:
        raise ValidationError(f"Deze aanvraagperiode is op {dutch_date(closes_on)} gesloten.")
    with transaction.atomic():
        if Application.objects.filter(period=period, municipality=municipality).exists():
            raise ValidationError(f"{application.applicant.name} heeft al een aanvraag voor {period.name}.")
        application.save()
        ApplicationComponent.objects.bulk_create([
            ApplicationComponent(application=application, component=component, applied=component.is_mandatory)
            for component in regulation.components(period.regulation)
        ])
        audit.record(actor=actor, action="aanvraag.aangemaakt", obj=application,
                     message=f"Aanvraag aangemaakt voor {period.name}",
                     details={"period": period.pk, "applicant": application.applicant.code})
    return application


def amount_problems(*, application, choices) -> dict:
    """Amounts above the cap or outside the period: {(component_id or None, year): Dutch message}.

    `choices`: {component_id: {"applied": bool, "reason": str, "amounts": {year: int|None}}}."""
    names = dict(application.definition.all_components().values_list("pk", "name"))
    return rules.cap_problems(caps=application.definition.caps(application), years=application.period.years,
                              choices=choices, names=names)


def application_save_components(*, actor, application, base_version: int, choices) -> Application:
    """Save which components are applied for, the amounts per year and the reasons for the others."""
    with transaction.atomic():
        app = _open_for_edit(actor, application, base_version=base_version, conflict_message=(
            "Een collega heeft de onderdelen en bedragen intussen opgeslagen. Uw wijzigingen zijn niet "
            "opgeslagen; ze staan hieronder nog in het formulier."))
        selectable = set(app.definition.components(app.regulation).values_list("pk", flat=True))
        choices = {pk: choice for pk, choice in choices.items() if pk in selectable}
        problems = amount_problems(application=app, choices=choices)
        if problems:
            raise ValidationError("; ".join(problems.values()))
        before, after = {}, {}
        rows = {c.component_id: c for c in app.components.prefetch_related("amounts")}
        for component_id, choice in choices.items():
            row = rows.get(component_id)
            if row is None:  # a component added after the application was started
                row = ApplicationComponent.objects.create(application=app, component_id=component_id)
            old = {"aangevraagd": row.applied, "reden": row.reason_not_applied,
                   "bedragen": {str(a.year): a.amount for a in row.amounts.all()}}
            amounts = {year: a for year, a in choice["amounts"].items() if a is not None} if choice["applied"] else {}
            new = {"aangevraagd": choice["applied"], "reden": "" if choice["applied"] else choice["reason"],
                   "bedragen": {str(y): a for y, a in sorted(amounts.items())}}
            if old == new:
                continue
            before[str(component_id)], after[str(component_id)] = old, new
            row.applied, row.reason_not_applied = new["aangevraagd"], new["reden"]
            row.save(update_fields=["applied", "reason_not_applied"])
            row.amounts.all().delete()
            RequestedAmount.objects.bulk_create(
                [RequestedAmount(choice=row, year=y, amount=a) for y, a in sorted(amounts.items())])
        app.edit_version += 1
        app.save(update_fields=["edit_version", "updated_at"])
        audit.record(actor=actor, action="aanvraag.onderdelen_opgeslagen", obj=app,
                     details={"voor": before, "na": after})
    return app


def _signature_values(app) -> dict:
    return {"naam": app.signatory_name, "functie": app.signatory_role,
            "datum": app.signed_on.isoformat() if app.signed_on else None, "toestemming": app.monitoring_consent}


def application_save_signature(*, actor, application, base_version: int, signatory_name: str, signatory_role: str,
                               signed_on, monitoring_consent: bool) -> Application:
    with transaction.atomic():
        app = _open_for_edit(actor, application, base_version=base_version, conflict_message=(
            "Een collega heeft de aanvraag intussen opgeslagen. Uw gegevens zijn niet opgeslagen; ze staan "
            "hieronder nog in het formulier."))
        before = _signature_values(app)
        app.signatory_name, app.signatory_role = signatory_name, signatory_role
        app.signed_on, app.monitoring_consent = signed_on, monitoring_consent
        app.edit_version += 1
        app.save()
        after = _signature_values(app)
        audit.record(actor=actor, action="aanvraag.ondertekening_opgeslagen", obj=app,
                     details={"voor": before, "na": after})
    return app


def application_save_section(*, actor, application, key: str, text: str, base_version: int) -> PlanSection:
    """Save one section of the plan van aanpak, unless a colleague saved a newer version in between."""
    if not plan.is_known_key(key):
        raise ValidationError("Onbekend onderdeel van het plan van aanpak.")
    problem = bounds.text_problem(text)
    if problem:
        raise ValidationError(problem)
    with transaction.atomic():
        app = _open_for_edit(actor, application)
        section, _ = PlanSection.objects.select_for_update().get_or_create(application=app, key=key)
        if section.version != base_version:
            raise EditConflict(section, "Een collega heeft dit onderdeel intussen opgeslagen. Uw tekst is niet "
                                        "opgeslagen en staat nog in het tekstvak.")
        if section.text == text:
            return section
        section.text = text
        section.version += 1
        section.updated_by = actor
        section.updated_at = timezone.now()
        section.save()
        audit.record(actor=actor, action="aanvraag.plan_opgeslagen", obj=app,
                     message=f"Plan van aanpak: ‘{key}’ opgeslagen (versie {section.version})",
                     details={"onderdeel": key, "versie": section.version, "lengte": len(text)})
    return section


# --- attachments -------------------------------------------------------------------------------------

def attachment_add(*, actor, application, kind: str, uploaded_file) -> Attachment:
    """Store an (already checked) PDF under a generated name in private storage."""
    storage = storages["private"]
    content = b"".join(uploaded_file.chunks())
    stored_name = f"aanvragen/{application.pk}/{uuid.uuid4().hex}.pdf"
    with transaction.atomic():
        app = _open_for_edit(actor, application)
        replaced = []
        if kind == Attachment.Kind.SIGNED:
            for old in app.attachments.filter(kind=Attachment.Kind.SIGNED, removed_at__isnull=True):
                replaced.append(old.original_name)
                _attachment_take_out(old)
        stored_name = storage.save(stored_name, ContentFile(content))
        try:
            attachment = Attachment.objects.create(
                application=app, kind=kind, stored_name=stored_name, original_name=_safe_name(uploaded_file.name),
                size=len(content), sha256=hashlib.sha256(content).hexdigest(), uploaded_by=actor)
            audit.record(actor=actor, action="aanvraag.bijlage_toegevoegd", obj=app,
                         message=f"{attachment.get_kind_display()} toegevoegd: {attachment.original_name}",
                         details={"bijlage": attachment.pk, "sha256": attachment.sha256, "vervangt": replaced})
        except Exception:
            storage.delete(stored_name)  # no file without its row
            raise
    return attachment


def _attachment_take_out(attachment):
    if attachment.frozen:
        attachment.removed_at = timezone.now()
        attachment.save(update_fields=["removed_at"])
    else:
        name = attachment.stored_name
        attachment.delete()
        transaction.on_commit(lambda: storages["private"].delete(name))


def attachment_remove(*, actor, attachment) -> None:
    with transaction.atomic():
        app = _open_for_edit(actor, attachment.application)
        name = attachment.original_name
        _attachment_take_out(attachment)
        audit.record(actor=actor, action="aanvraag.bijlage_verwijderd", obj=app,
                     message=f"Bijlage verwijderd uit het concept: {name}")


def _safe_name(name: str) -> str:
    import os
    import re

    base = os.path.basename((name or "").replace("\\", "/"))
    base = re.sub(r"[^\w .()-]+", "_", base).strip(" .") or "bijlage"
    if not base.lower().endswith(".pdf"):
        base += ".pdf"
    return base[-150:]


# --- the workflow ------------------------------------------------------------------------------------

def submission_problems(application, *, today=None) -> tuple[list[str], bool]:
    """What blocks submission: (reasons, deadline passed)."""
    today = today or timezone.localdate()
    reasons = [f"{item.label}: {item.problem}" for item in checklist(application) if not item.complete]
    closes_on = effective_closing_date(application.period, application.municipality)
    deadline_passed = today > closes_on
    if deadline_passed:
        reasons.insert(0, f"De indieningstermijn is op {dutch_date(closes_on)} gesloten; indienen kan niet meer. "
                          "Heeft u meer tijd nodig, vraag dan het ministerie om uitstel.")
    return reasons, deadline_passed


def _freeze_version(*, actor, app, today, details):
    """Effect: check completeness and deadline, then freeze the content as the next numbered version."""
    reasons, deadline_passed = submission_problems(app, today=today)
    if reasons:
        raise SubmissionBlocked(reasons, deadline_passed)
    number = app.versions.count() + 1
    now = timezone.now()
    ApplicationVersion.objects.create(application=app, number=number, snapshot=submission_snapshot(app),
                                      submitted_by=actor, submitted_at=now)
    app.attachments.filter(removed_at__isnull=True).update(frozen=True)
    app.submitted_at = now
    details["versie"] = number


EFFECTS = {Effect.FREEZE_VERSION: _freeze_version}


def application_transition(*, actor, application, transition: str, note: str = "", today=None) -> Application:
    """The one way an application changes state: takes transition `transition` (by name) from the workflow
    table, checks its source state and guard (and its note), runs its effects and writes the audit event."""
    step = workflow.TRANSITIONS[transition]
    note = (note or "").strip()
    if step.needs_note and not note:
        raise ValidationError("Geef een toelichting.")
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("period", "municipality").get(
            pk=application.pk)
        if app.state not in step.sources:  # e.g. a second click after the first already submitted
            raise ValidationError(workflow.check(actor, app, transition).reason)
        _require(step.guard(actor, app))
        details = {"van": app.state, "naar": step.target}
        for effect in step.effects:
            EFFECTS[effect](actor=actor, app=app, today=today, details=details)
        if note:
            details["toelichting"] = note
        app.state = step.target
        app.save(update_fields=["state", "submitted_at", "updated_at"])
        label = audit.EVENTS[step.audit_action].label
        message = label + (f" (versie {details['versie']})" if "versie" in details else "")
        audit.record(actor=actor, action=step.audit_action, obj=app, message=message, details=details)
    return app


def application_submit(*, actor, application, today=None) -> Application:
    """Submit (or, after a request for additions, submit again): the applicant's submitting transition."""
    step = workflow.submission_for(application.state)
    if step is None:
        raise PermissionDenied(f"Een aanvraag met status ‘{application.state_info.label}’ kan niet worden "
                               "ingediend.")
    return application_transition(actor=actor, application=application, transition=step.name, today=today)


def application_withdraw(*, actor, application, note: str = "") -> Application:
    return application_transition(actor=actor, application=application, transition="intrekken", note=note)


# --- periods (ministry) ------------------------------------------------------------------------------

PERIOD_FIELDS = ["name", "regulation", "first_year", "last_year", "opens_on", "closes_on", "plan_required",
                 "allocation_run"]


def _period_values(period):
    return {f: (str(getattr(period, f)) if getattr(period, f) is not None else None) for f in PERIOD_FIELDS}


def period_save(*, actor, period: ApplicationPeriod) -> ApplicationPeriod:
    """Create or change an application period (the form has filled `period`, unsaved)."""
    _require(permissions.can_manage_periods(actor))
    with transaction.atomic():
        is_new = period.pk is None
        before = {} if is_new else _period_values(ApplicationPeriod.objects.select_for_update().get(pk=period.pk))
        period.full_clean()
        period.save()
        audit.record(actor=actor, action="periode.aangemaakt" if is_new else "periode.gewijzigd", obj=period,
                     message=("Aanvraagperiode aangemaakt: " if is_new else "Aanvraagperiode gewijzigd: ") + period.name,
                     details={"voor": before, "na": _period_values(period)})
    return period


def period_extension_grant(*, actor, period, municipality, closes_on, reason: str) -> PeriodExtension:
    _require(permissions.can_grant_extension(actor))
    if closes_on <= period.closes_on:
        raise ValidationError({"closes_on": f"Kies een datum na de sluitingsdatum van de periode "
                                            f"({dutch_date(period.closes_on)})."})
    with transaction.atomic():
        extension, created = PeriodExtension.objects.select_for_update().get_or_create(
            period=period, municipality=municipality,
            defaults={"closes_on": closes_on, "reason": reason, "granted_by": actor})
        before = None if created else extension.closes_on.isoformat()
        if not created:
            extension.closes_on, extension.reason, extension.granted_by = closes_on, reason, actor
            extension.save()
        audit.record(actor=actor, action="periode.uitstel_verleend", obj=period,
                     message=f"Uitstel verleend aan {municipality.name} tot en met {dutch_date(closes_on)}",
                     details={"gemeente": municipality.cbs_code, "tot": closes_on.isoformat(), "eerder": before,
                              "reden": reason})
        application = Application.objects.filter(period=period, municipality=municipality).first()
        if application:
            audit.record(actor=actor, action="aanvraag.uitstel_verleend", obj=application,
                         message=f"Uitstel verleend tot en met {dutch_date(closes_on)}",
                         details={"tot": closes_on.isoformat(), "reden": reason})
    return extension
