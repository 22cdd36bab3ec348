"""Every write of the applications app. Keyword-only arguments, one transaction, one audit event."""

import hashlib
import os
import re
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from spukportal import audit, bounds, notifications
from spukportal.dates import dutch_date
from spukportal.models import Role, RoleAssignment

from .. import notify, permissions, plan, rules, stages
from ..models import (Application, ApplicationComponent, ApplicationPeriod, ApplicationVersion, Attachment,
                      MandateDeclaration, PeriodExtension, PlanLine, PlanSection, RequestedAmount,
                      effective_closing_date)
from ..review.selectors import review_due_on, unanswered_points_problems
from . import flow as workflow
from .flow import Effect
from .selectors import checklist, missing_declarations, submission_snapshot


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


def _require(decision):
    if not decision:
        raise PermissionDenied(decision.reason)


def _lock(pk) -> Application:
    """Lock the application row (in a fixed order: always this row first); every write to an application
    takes this lock. The review and decision services take it too."""
    return Application.objects.select_for_update(of=("self",)).select_related(
        "period", "municipality", "region").get(pk=pk)


def _open_for_edit(actor, application, *, base_version=None, conflict_message="") -> Application:
    """The start of every change to an application's content, inside the caller's transaction: lock the row
    (every write to an application takes this lock first), check that `actor` may edit it now, and — when
    `base_version` is given — that nobody saved in between (else `EditConflict` with the stored row)."""
    app = _lock(application.pk)
    _require(permissions.can_edit_application(actor, app))
    if base_version is not None and app.edit_version != base_version:
        raise EditConflict(app, conflict_message)
    return app


# --- creating and editing ----------------------------------------------------------------------------

def application_create(*, actor, period: ApplicationPeriod, municipality=None, region=None,
                       today=None) -> Application:
    """Start an application in a period: for a gemeente or a region, as the regulation's definition says."""
    by_region = period.definition.by_region
    application = Application(period=period, regulation=period.regulation, created_by=actor,
                              applicant_kind=period.definition.applicant_kind,
                              municipality=None if by_region else municipality, region=region if by_region else None)
    if application.municipality is None and application.region is None:
        raise ValidationError("Kies voor wie u de aanvraag doet.")
    applicant = application.applicant
    if applicant.why_not():
        raise ValidationError(applicant.why_not())
    _require(permissions.can_create_application(actor, applicant))
    today = today or timezone.localdate()
    closes_on = effective_closing_date(period, applicant.extension_municipality)
    if today < period.opens_on:
        raise ValidationError(f"Deze aanvraagperiode opent pas op {dutch_date(period.opens_on)}.")
    if period.allocation_run_id is None:
        raise ValidationError(rules.NO_RUN_MESSAGE)
    if today > closes_on:
        raise ValidationError(f"Deze aanvraagperiode is op {dutch_date(closes_on)} gesloten.")
    with transaction.atomic():
        same = Application.objects.filter(period=period, municipality=application.municipality,
                                          region=application.region).exclude(state=workflow.ApplicationState.INGETROKKEN)
        if same.exists():
            raise ValidationError(f"{applicant.name} heeft al een aanvraag voor {period.name}.")
        # A stage that continues an earlier one (SPUK IZA: the completion) starts from the provisionally granted
        # application of the same applicant: its plan lines and texts are carried over, its versions stay there.
        previous = stages.predecessor_for(period, municipality=application.municipality, region=application.region)
        application.continues = previous
        application.save()
        ApplicationComponent.objects.bulk_create([
            ApplicationComponent(application=application, component=component, applied=component.is_mandatory)
            for component in application.definition.components(period.regulation)
        ])
        details = {"period": period.pk, "applicant": applicant.code}
        message = f"Aanvraag aangemaakt voor {period.name}"
        if previous is not None:
            details.update(stages.carry_over(previous=previous, application=application))
            message += f", als completering van {previous.reference or previous.period.name}"
        audit.record(actor=actor, action="aanvraag.aangemaakt", obj=application, message=message, details=details)
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

def _store_pdf(folder: str, uploaded_file):
    """Store an (already checked) PDF under a generated name in private storage: (name, size, sha256).
    The caller deletes it again when its transaction fails."""
    content = b"".join(uploaded_file.chunks())
    name = storages["private"].save(f"{folder}/{uuid.uuid4().hex}.pdf", ContentFile(content))
    return name, len(content), hashlib.sha256(content).hexdigest()


def attachment_add(*, actor, application, kind: str, uploaded_file) -> Attachment:
    """Store an (already checked) PDF under a generated name in private storage."""
    with transaction.atomic():
        app = _open_for_edit(actor, application)
        replaced = []
        if kind == Attachment.Kind.SIGNED:
            for old in app.attachments.filter(kind=Attachment.Kind.SIGNED, removed_at__isnull=True):
                replaced.append(old.original_name)
                _attachment_take_out(old)
        stored_name, size, sha256 = _store_pdf(f"aanvragen/{app.pk}", uploaded_file)
        try:
            attachment = Attachment.objects.create(
                application=app, kind=kind, stored_name=stored_name, original_name=_safe_name(uploaded_file.name),
                size=size, sha256=sha256, uploaded_by=actor)
            audit.record(actor=actor, action="aanvraag.bijlage_toegevoegd", obj=app,
                         message=f"{attachment.get_kind_display()} toegevoegd: {attachment.original_name}",
                         details={"bijlage": attachment.pk, "sha256": attachment.sha256, "vervangt": replaced})
        except Exception:
            storages["private"].delete(stored_name)  # no file without its row
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
    base = os.path.basename((name or "").replace("\\", "/"))
    base = re.sub(r"[^\w .()-]+", "_", base).strip(" .") or "bijlage"
    if not base.lower().endswith(".pdf"):
        base += ".pdf"
    return base[-150:]


# --- SPUK IZA: budget lines and mandate declarations ------------------------------------------------

def application_save_lines(*, actor, application, base_version: int, lines: list[dict]) -> Application:
    """Replace the budget lines of an IZA plan. `lines`: [{"activity", "scope", "municipality", "year",
    "amount", "brede_component", "double_funding_note"}]; refused whole when a rule is broken."""
    with transaction.atomic():
        app = _open_for_edit(actor, application, base_version=base_version, conflict_message=(
            "Een collega heeft de begroting intussen opgeslagen. Uw regels zijn niet opgeslagen; ze staan "
            "hieronder nog in het formulier."))
        problems = rules.line_problems(lines=lines, caps=app.definition.caps(app), years=app.period.years,
                                       members={m.pk for m in app.applicant.members})
        if problems:
            raise ValidationError(rules.summarize(list(problems.values()), limit=10))
        before = [_line_values(line) for line in app.plan_lines.all()]
        app.plan_lines.all().delete()
        PlanLine.objects.bulk_create(PlanLine(application=app, position=i, **line) for i, line in enumerate(lines))
        app.edit_version += 1
        app.save(update_fields=["edit_version", "updated_at"])
        audit.record(actor=actor, action="aanvraag.begroting_opgeslagen", obj=app,
                     details={"voor": before, "na": [_line_values(line) for line in app.plan_lines.all()]})
    return app


def _line_values(line) -> dict:
    return {"activiteit": line.activity, "soort": line.scope, "gemeente": line.municipality_id, "jaar": line.year,
            "bedrag": line.amount, "onderdeel_brede_spuk": line.brede_component_id}


def declaration_add(*, actor, application, municipality, signatory_name, signatory_role, signed_on,
                    uploaded_file) -> MandateDeclaration:
    """A member gemeente declares that the mandate holder applies on its behalf."""
    with transaction.atomic():
        app = _lock(application.pk)
        _require(permissions.can_declare(actor, app, municipality))
        if app.declarations.filter(municipality=municipality, withdrawn_at__isnull=True).exists():
            raise ValidationError(f"{municipality.name} heeft al een mandaatverklaring voor deze aanvraag.")
        stored_name, size, sha256 = _store_pdf(f"aanvragen/{app.pk}/verklaringen", uploaded_file)
        try:
            declaration = MandateDeclaration.objects.create(
                application=app, municipality=municipality, signatory_name=signatory_name,
                signatory_role=signatory_role, signed_on=signed_on, stored_name=stored_name,
                original_name=_safe_name(uploaded_file.name), size=size, sha256=sha256, declared_by=actor)
            audit.record(actor=actor, action="aanvraag.verklaring_toegevoegd", obj=app,
                         message=f"Mandaatverklaring van {municipality.name} vastgelegd",
                         details={"gemeente": municipality.cbs_code, "verklaring": declaration.pk, "sha256": sha256})
        except Exception:
            storages["private"].delete(stored_name)
            raise
    return declaration


def declaration_withdraw(*, actor, declaration) -> None:
    """Before submission the declaring gemeente can take its declaration back (kept, marked withdrawn); the
    mandate holder's officers are told, since the region cannot submit without it."""
    with transaction.atomic():
        app = _lock(declaration.application_id)
        declaration = MandateDeclaration.objects.select_for_update().get(pk=declaration.pk)
        _require(permissions.can_declare(actor, app, declaration.municipality))
        if declaration.withdrawn_at is None:
            declaration.withdrawn_at = timezone.now()
            declaration.save(update_fields=["withdrawn_at"])
            audit.record(actor=actor, action="aanvraag.verklaring_ingetrokken", obj=app,
                         message=f"Mandaatverklaring van {declaration.municipality.name} ingetrokken",
                         details={"gemeente": declaration.municipality.cbs_code, "verklaring": declaration.pk})
            notifications.notify(
                users=[u for u in notify.applicant_officers(app) if u.pk != actor.pk],
                event="aanvraag.verklaring_ingetrokken",
                subject=f"Mandaatverklaring ingetrokken: {declaration.municipality.name}",
                body=f"{declaration.municipality.name} heeft haar mandaatverklaring voor de SPUK IZA-aanvraag van "
                     f"{app.applicant.name} ({app.period.name}) ingetrokken. Zolang er geen nieuwe verklaring is, "
                     f"kan de aanvraag niet worden ingediend.",
                url=reverse("applications:declarations", args=(app.pk,)))


def declaration_reminder_send(*, actor, application) -> dict:
    """The mandate holder reminds the officers of the gemeenten whose declaration is missing (by e-mail).
    Returns what really happened: {"mailed": [(gemeente, number of officers mailed)], "unreachable":
    [gemeenten without an active officer with an e-mail address, so nobody was mailed]}."""
    _require(permissions.can_edit_application(actor, application))
    missing = missing_declarations(application)
    officers = [(municipality, user) for municipality, user in officers_of(missing) if user.email]
    url = notifications.absolute(reverse("applications:declarations", args=(application.pk,)))
    messages = [
        (f"Herinnering: mandaatverklaring SPUK IZA {application.applicant.name}",
         f"Beste {user.get_full_name() or user.username},\n\nDe mandaathouder van {application.applicant.name} "
         f"vraagt de SPUK IZA ({application.period.name}) aan namens de gemeenten in de regio. De mandaatverklaring "
         f"van {municipality.name} ontbreekt nog. U kunt hem vastleggen op het SPUK-portaal: {url}\n",
         None, [user.email])
        for municipality, user in officers]
    per_municipality = {}
    for municipality, _user in officers:
        per_municipality[municipality.pk] = per_municipality.get(municipality.pk, 0) + 1
    mailed = [(m, per_municipality[m.pk]) for m in missing if m.pk in per_municipality]
    unreachable = [m for m in missing if m.pk not in per_municipality]
    if missing:
        with transaction.atomic():
            audit.record(actor=actor, action="aanvraag.herinnering_verklaring", obj=application,
                         message=("Herinnering gemaild aan " + (", ".join(m.name for m, _n in mailed) or "niemand")
                                  + ("; zonder account: " + ", ".join(m.name for m in unreachable)
                                     if unreachable else "")),
                         details={"gemeenten": [m.cbs_code for m, _n in mailed],
                                  "zonder_account": [m.cbs_code for m in unreachable], "berichten": len(messages)})
            if messages:
                transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return {"mailed": mailed, "unreachable": unreachable}


def officers_of(municipalities) -> list:
    """[(municipality, user)] of the active officers of these gemeenten."""
    by_pk = {m.pk: m for m in municipalities}
    return [(by_pk[a.municipality_id], a.user) for a in RoleAssignment.objects.filter(
        role__code=Role.OFFICER, municipality_id__in=by_pk, user__is_active=True).select_related("user")]


# --- the workflow ------------------------------------------------------------------------------------

def submission_problems(application, *, today=None) -> tuple[list[str], bool]:
    """What blocks submission: (reasons, deadline passed)."""
    today = today or timezone.localdate()
    reasons = [f"{item.label}: {item.problem}" for item in checklist(application) if not item.complete]
    reasons += unanswered_points_problems(application)
    closes_on = application.closes_on
    deadline_passed = today > closes_on
    if deadline_passed:
        reasons.insert(0, f"De indieningstermijn is op {dutch_date(closes_on)} gesloten; indienen kan niet meer. "
                          "Heeft u meer tijd nodig, vraag dan het ministerie om uitstel.")
    return reasons, deadline_passed


def _freeze_version(*, actor, app, transition, today, details, data):
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
    if not app.reference:
        app.reference = application_reference(app)
    app.review_due_on = review_due_on(app, today)
    app.addition_requests.filter(answered_at__isnull=True).update(answered_at=now)
    details["versie"] = number
    details["kenmerk"] = app.reference


def application_reference(app) -> str:
    """The application's reference number (kenmerk), given at its first submission: regulation, the period's
    first year and number, the applicant and a sequence number (a second application after a withdrawal in
    the same period gets 02), e.g. BS-2024.2-GM0034-01."""
    prefix = app.definition.reference_prefix
    earlier = Application.objects.filter(period=app.period, municipality=app.municipality, region=app.region
                                         ).exclude(pk=app.pk).exclude(reference="").count()
    return f"{prefix}-{app.period.first_year}.{app.period_id}-{app.applicant.code}-{earlier + 1:02d}"


# The function of each workflow effect. The rooms that own an effect register theirs (`register_effects`, from
# `applications.apps`): the review's assessment effects and the decision's DECIDE effect.
EFFECTS = {
    Effect.FREEZE_VERSION: _freeze_version,
}


def register_effects(effects: dict) -> None:
    EFFECTS.update(effects)


def application_transition(*, actor, application, transition: str, note: str = "", today=None,
                           data: dict | None = None) -> Application:
    """The one way an application changes state: takes transition `transition` (by name) from the workflow
    table, checks its source state and guard (and its note), runs its effects and writes the audit event.
    `data`: what an effect needs besides the note (the points of a request for additions, the amounts of a
    decision); each effect checks its own part and raises ValidationError, so that nothing is stored."""
    step = workflow.TRANSITIONS[transition]
    note = (note or "").strip()
    if step.needs_note and not note:
        raise ValidationError("Geef een toelichting.")
    with transaction.atomic():
        app = _lock(application.pk)
        if app.state not in step.sources:  # e.g. a second click after the first already submitted
            raise ValidationError(workflow.check(actor, app, transition).reason)
        _require(step.guard(actor, app))
        details = {"van": app.state, "naar": step.target}
        for effect in step.effects:
            EFFECTS[effect](actor=actor, app=app, transition=step, today=today, details=details, data=data or {})
        if note:
            details["toelichting"] = note
        app.state = step.target
        app.save()
        label = audit.EVENTS[step.audit_action].label
        message = label + (f" (versie {details['versie']})" if "versie" in details else "")
        audit.record(actor=actor, action=step.audit_action, obj=app, message=message, details=details)
        notify.after_transition(app=app, transition=transition, actor=actor, details=details)
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
        period.full_clean()  # includes the run's fit (ApplicationPeriod.clean)
        period.save()
        details = {"voor": before, "na": _period_values(period)}
        warning = rules.allocation_run_warning(period.allocation_run)
        if warning:
            details["waarschuwing"] = warning
        audit.record(actor=actor, action="periode.aangemaakt" if is_new else "periode.gewijzigd", obj=period,
                     message=("Aanvraagperiode aangemaakt: " if is_new else "Aanvraagperiode gewijzigd: ") + period.name,
                     details=details)
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
