"""Thin views: parse the request, check permission, call a selector or service, render."""

import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from budgets import selectors as budget_selectors
from regions import selectors as region_selectors
from spukportal import audit
from spukportal.bounds import request_int
from spukportal.permissions import is_officer, require, require_that
from spukportal.uploads import too_large_message, upload_too_large

from .. import permissions, plan, rules, stages
from ..review import selectors as review_selectors
from . import selectors, services, flow as workflow
from .forms import (AttachmentForm, ComponentsForm, DeclarationForm, ExtensionForm, PeriodForm, RegionStartForm,
                    SectionForm, SignatureForm, StartForm, SubmitForm, WithdrawForm, plan_line_formset)
from ..models import Application, Attachment
from .flow import STATES


def _post(request):
    """The submitted data, also when empty (an empty POST must still give a bound form with errors)."""
    return request.POST if request.method == "POST" else None


def _load(pk):
    try:
        return selectors.application_for_view(pk)
    except Application.DoesNotExist:
        raise Http404("Deze aanvraag bestaat niet.") from None


def _application(request, pk, check):
    application = _load(pk)
    require(check(request.user, application))
    return application


def _step_page(view):
    """A step of editing an application: the view gets the application, loaded once, that the user may edit.
    A step page of the applicant's own application that can no longer be changed (submitted, decided, an old
    bookmark): the applicant's officers are sent to the application itself with the reason, not to a 403."""
    @functools.wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        application = _load(pk)
        decision = permissions.can_edit_application(request.user, application)
        if not decision and request.method == "GET" and application.applicant.may_act(request.user):
            messages.info(request, f"{decision.reason} Hieronder ziet u de aanvraag zoals hij nu is.")
            return redirect("applications:detail", pk=application.pk)
        require(decision)
        return view(request, application, *args, **kwargs)
    return wrapper


def _base_context(request, application, **extra):
    steps = application.definition.steps(application.period)
    return {"application": application, "state": application.state_info,
            "state_text": application.state_info.explanation_for(workflow.reader_of(request.user, application)),
            "steps": steps, "step_urls": {s.key: reverse(s.url_name, args=(application.pk,)) for s in steps},
            "can_edit": bool(permissions.can_edit_application(request.user, application)), **extra}


@require_GET
@require_that(permissions.can_view_applications)
def application_list(request):
    return render(request, "applications/application_list.html", {
        "applications": selectors.application_list(request.user),
        "open_periods": selectors.periods_open_for_user(request.user) if is_officer(request.user) else [],
        "states": STATES,
    })


@require_http_methods(["GET", "POST"])
@require_that(permissions.can_start_applications)
def application_start(request, period_pk):
    period = get_object_or_404(selectors.period_list(), pk=period_pk)
    by_region = period.definition.by_region
    if by_region:
        form = RegionStartForm(_post(request), regions=selectors.regions_to_apply_for(request.user, period))
    else:
        form = StartForm(_post(request), municipalities=region_selectors.municipalities_of_officer(request.user))
    if request.method == "POST" and form.is_valid():
        field = "region" if by_region else "municipality"
        try:
            application = services.application_create(actor=request.user, period=period,
                                                      **{field: form.cleaned_data[field]})
        except ValidationError as exc:
            form.add_error(field, exc)
        else:
            messages.success(request, "De aanvraag is aangemaakt. Alles wat u invult wordt als concept bewaard.")
            return redirect(application.definition.steps(period)[0].url_name, application.pk)
    return render(request, "applications/application_start.html", {"period": period, "form": form},
                  status=422 if request.method == "POST" else 200)


def _following(application, current):
    """The step after `current` in this application's regulation."""
    steps = application.definition.steps(application.period)
    return steps[[s.key for s in steps].index(current) + 1]


def _next_step(application, current):
    return _following(application, current).url_name


@require_GET
def application_detail(request, pk):
    application = _application(request, pk, permissions.can_view_application)
    is_own = bool(application.applicant.may_act(request.user))
    checklist_shown = is_own and application.state_info.editable
    # The checklist reads the same components and plan sections as the draft's snapshot: read once.
    parts = selectors.plan_parts(application) if checklist_shown else None
    # The versions in number order, read once: the list and the receipt link, and the last one's content.
    versions = selectors.versions_of(application)
    snapshot, version = selectors.visible_snapshot(request.user, application, versions[-1] if versions else None,
                                                   parts)
    context = _base_context(
        request, application, snapshot=snapshot, shown_version=version, is_own=is_own,
        totals=selectors.snapshot_totals(snapshot) if snapshot else {},
        versions=versions,
        timeline=audit.timeline(application, staff=bool(permissions.can_see_review(request.user, application))),
        can_withdraw=bool(workflow.check(request.user, application, "intrekken")),
        review=review_selectors.review_context(request.user, application),
        stage=stages.stage_context(application),
    )
    if application.definition.budget_in_lines:
        context.update(split=selectors.region_split(application))
    if application.definition.by_region:
        context.update(
                       declarations=selectors.current_declarations(application),
                       missing=selectors.missing_declarations(application))
    if checklist_shown:
        context["items"] = selectors.checklist(application, *parts)
        context["complete_count"] = sum(1 for i in context["items"] if i.complete)
    return render(request, "applications/application_detail.html", context)


@require_http_methods(["GET", "POST"])
@_step_page
def application_components(request, application):
    rows = selectors.component_rows(application)  # a row per component one can choose
    if not rows:
        raise Http404("Bij deze regeling kiest u geen onderdelen.")
    form = ComponentsForm(_post(request), rows=rows, years=application.period.years,
                          caps=application.definition.caps(application), initial={"version": application.edit_version})
    conflict = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_save_components(
                actor=request.user, application=application, base_version=form.cleaned_data["version"],
                choices=form.choices())
        except services.EditConflict as exc:
            application = exc.current
            conflict = {"message": exc.message, "rows": selectors.component_rows(application)}
            status = 409
        except ValidationError as exc:
            form.add_error(None, exc)
            status = 422
        else:
            form.add_completeness_errors()
            if not form.errors:
                messages.success(request, "De onderdelen en bedragen zijn opgeslagen.")
                return redirect(_next_step(application, "onderdelen"), application.pk)
            # Saved as draft; show what is still missing on the fields, with the new version number.
            data = request.POST.copy()
            data["version"] = application.edit_version
            form.data = data
            messages.warning(request, "Het concept is opgeslagen, maar nog niet compleet: zie de meldingen bij de "
                                      "onderdelen.")
    elif request.method == "POST":
        status = 422
    return render(request, "applications/components.html",
                  _base_context(request, application, form=form, conflict=conflict, step="onderdelen",
                                year_caps=selectors.year_caps(application)), status=status)


@require_GET
@_step_page
def application_plan(request, application):
    if not application.definition.has_plan(application.period):
        raise Http404("Voor deze aanvraagperiode is geen plan van aanpak nodig.")
    return render(request, "applications/plan.html",
                  _base_context(request, application, entries=_plan_entries(application), step="plan",
                                next_step=_following(application, "plan")))


def _plan_entries(application, conflict_key=None, form=None, conflict=None):
    """The plan page's sections, each with the text and version its textarea starts from: the stored section's,
    and for a section in conflict what the officer sent (`form`, bound) beside the colleague's (`conflict`). The
    page writes the textarea itself (autosave), so no form is made per section (20 forms were a tenth of it)."""
    entries = []
    for d, s in selectors.sections_of(application):
        entry = {"definition": d, "section": s, "group": plan.GROUP_LABELS[d.group],
                 "text": s.text if s else "", "version": s.version if s else 0}
        if d.key == conflict_key:
            entry.update(text=form["text"].value() or "", version=form["version"].value(), conflict=conflict)
        entries.append(entry)
    return entries


@require_POST
def section_save(request, pk, key):
    """Save one plan section: from autosave (htmx: a status fragment) or the section's own button."""
    application = _application(request, pk, permissions.can_edit_application)
    if not plan.is_known_key(key):
        raise Http404("Onbekend onderdeel.")
    form = SectionForm(request.POST, prefix=key)
    definition = next((d for d, _ in selectors.sections_of(application) if d.key == key), None)
    if definition is None:
        raise Http404("Dit onderdeel hoort niet (meer) bij het plan van aanpak.")
    context = {"application": application, "definition": definition, "key": key}
    # htmx swaps only 2xx responses: fragments report refusals in their text (and the HX-Refused header).
    if not form.is_valid():
        context["error"] = (" ".join(form.errors["text"]) if "text" in form.errors else
                            "Het onderdeel kon niet worden opgeslagen. Vernieuw de pagina en probeer het opnieuw.")
        if request.htmx:
            return _refused_fragment(request, context)
        return render(request, "applications/_section_status.html", context, status=422)
    base = form.cleaned_data["overwrite"]
    base = form.cleaned_data["version"] if base is None else base
    try:
        section = services.application_save_section(actor=request.user, application=application, key=key,
                                                    text=form.cleaned_data["text"], base_version=base)
    except services.EditConflict as exc:
        context.update(conflict=exc.current, yours=form.cleaned_data["text"], your_version=base)
        if request.htmx and form.cleaned_data["seen"] == exc.current.version:
            return HttpResponse(status=204)  # this very conflict is already shown: leave it on screen
        if request.htmx:
            return _refused_fragment(request, context)
        return _plan_with_conflict(request, application, key, form, context)
    context["section"] = section
    if request.htmx:
        return render(request, "applications/_section_status.html", context)
    messages.success(request, f"‘{definition.title}’ is opgeslagen.")
    return redirect(reverse("applications:plan", args=(application.pk,)) + f"#sectie-{key}")


def _refused_fragment(request, context):
    response = render(request, "applications/_section_status.html", context)
    response["HX-Refused"] = "true"
    return response


def _plan_with_conflict(request, application, key, form, conflict_context):
    entries = _plan_entries(application, key, form, conflict_context)
    return render(request, "applications/plan.html",
                  _base_context(request, application, entries=entries, step="plan",
                                next_step=_following(application, "plan")), status=409)


@require_http_methods(["GET", "POST"])
@_step_page
def application_signature(request, application):
    form = SignatureForm(_post(request), instance=application,
                         initial={"version": application.edit_version})
    conflict = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            # The form validated onto `application`; the service saves from a fresh, locked row.
            data = form.cleaned_data
            try:
                services.application_save_signature(
                    actor=request.user, application=application, base_version=data["version"],
                    signatory_name=data["signatory_name"], signatory_role=data["signatory_role"],
                    signed_on=data["signed_on"], monitoring_consent=data["monitoring_consent"])
            except services.EditConflict as exc:
                conflict = {"message": exc.message, "current": exc.current}
                status = 409
            else:
                messages.success(request, "De ondertekening is opgeslagen.")
                return redirect("applications:attachments", application.pk)
        else:
            status = 422
        application = selectors.application_for_view(application.pk)
    return render(request, "applications/signature.html",
                  _base_context(request, application, form=form, conflict=conflict, step="ondertekening"),
                  status=status)


@require_http_methods(["GET", "POST"])
@_step_page
def application_attachments(request, application):
    form = AttachmentForm(_post(request), request.FILES if request.method == "POST" else None,
                          initial={"kind": Attachment.Kind.SIGNED})
    status = 200
    if request.method == "POST":
        if upload_too_large(request):
            form.is_valid()
            form.errors.pop("file", None)
            form.add_error("file", too_large_message())
            status = 413
        elif form.is_valid():
            attachment = services.attachment_add(actor=request.user, application=application,
                                                 kind=form.cleaned_data["kind"], uploaded_file=form.cleaned_data["file"])
            messages.success(request, f"‘{attachment.original_name}’ is toegevoegd.")
            return redirect("applications:attachments", application.pk)
        else:
            status = 422
    return render(request, "applications/attachments.html", _base_context(
        request, application, form=form, attachments=selectors.current_attachments(application), step="bijlagen"),
        status=status)


@require_POST
def attachment_remove(request, pk, attachment_pk):
    application = _application(request, pk, permissions.can_edit_application)
    attachment = get_object_or_404(application.attachments.filter(removed_at__isnull=True), pk=attachment_pk)
    services.attachment_remove(actor=request.user, attachment=attachment)
    messages.success(request, f"‘{attachment.original_name}’ is uit het concept verwijderd.")
    return redirect("applications:attachments", application.pk)


@require_GET
def attachment_download(request, pk, attachment_pk):
    application = _application(request, pk, permissions.can_view_application)
    attachment = get_object_or_404(application.attachments.all(), pk=attachment_pk)
    require(permissions.can_download_attachment(request.user, attachment))
    handle = storages["private"].open(attachment.stored_name, "rb")
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                        content_type="application/pdf")


@require_http_methods(["GET", "POST"])
@_step_page
def application_submit(request, application):
    form = SubmitForm(_post(request))
    reasons, deadline_passed = services.submission_problems(application)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.application_submit(actor=request.user, application=application)
            except services.SubmissionBlocked as exc:
                reasons, deadline_passed = exc.reasons, exc.deadline_passed
                form.add_error("confirm", exc.reasons[0] if deadline_passed else
                               "De aanvraag is nog niet compleet; zie hieronder wat er nog ontbreekt.")
                status = 422
            except ValidationError:
                # Taken by another request in between (a second click, a colleague): the state it is in now.
                return _already_changed(request, application, "ingediend")
            else:
                application.refresh_from_db()
                number = application.versions.count()
                messages.success(request, format_html(
                    "<span>De aanvraag is ingediend met kenmerk {}. U kunt hem hieronder nog inzien, maar niet "
                    "meer wijzigen. <a href=\"{}\">Ontvangstbevestiging (pdf)</a></span>", application.reference,
                    reverse("applications:receipt", args=[application.pk, number])))
                return redirect("applications:detail", application.pk)
        else:
            status = 422
    parts = selectors.plan_parts(application)  # read once for the summary and the checklist
    snapshot = {**selectors.submission_snapshot(application, parts), "sections": []}  # the plan has its own step
    return render(request, "applications/submit.html", _base_context(
        request, application, form=form, reasons=reasons, deadline_passed=deadline_passed,
        items=selectors.checklist(application, *parts), step="indienen", snapshot=snapshot,
        totals=selectors.snapshot_totals(snapshot) if snapshot["components"] else {}), status=status)


def _already_changed(request, application, verb):
    """A transition refused because another request changed the application first: say so, show it."""
    application.refresh_from_db()
    messages.warning(request, f"De aanvraag is niet opnieuw {verb}: hij is intussen al gewijzigd (bijvoorbeeld "
                              f"door een tweede klik of door een collega) en heeft nu de status "
                              f"‘{application.state_info.label}’.")
    return redirect("applications:detail", application.pk)


@require_http_methods(["GET", "POST"])
def application_withdraw(request, pk):
    application = _application(request, pk, lambda user, app: workflow.check(user, app, "intrekken"))
    form = WithdrawForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(actor=request.user, application=application,
                                          note=form.cleaned_data["note"])
        except ValidationError:
            return _already_changed(request, application, "ingetrokken")
        messages.success(request, "De aanvraag is ingetrokken. Zolang de periode open is, kunt u via Aanvragen een "
                                  "nieuwe aanvraag starten.")
        return redirect("applications:detail", application.pk)
    return render(request, "applications/withdraw.html", _base_context(request, application, form=form),
                  status=422 if request.method == "POST" else 200)


@require_GET
def version_detail(request, pk, number):
    application = _application(request, pk, permissions.can_view_application)
    version = get_object_or_404(application.versions.select_related("submitted_by"), number=number)
    return render(request, "applications/version_detail.html", _base_context(
        request, application, version=version, snapshot=version.snapshot,
        totals=selectors.snapshot_totals(version.snapshot)))


@require_GET
def version_diff(request, pk):
    application = _application(request, pk, permissions.can_view_application)
    versions = list(application.versions.all())
    if len(versions) < 2:
        return render(request, "applications/version_diff.html", _base_context(
            request, application, versions=versions, diff=None))
    by_number = {v.number: v for v in versions}
    old = by_number.get(request_int(request.GET, "van") if "van" in request.GET else versions[-2].number)
    new = by_number.get(request_int(request.GET, "naar") if "naar" in request.GET else versions[-1].number)
    if old is None or new is None:
        raise Http404("Deze versie bestaat niet.")
    return render(request, "applications/version_diff.html", _base_context(
        request, application, versions=versions, old=old, new=new, diff=(diff := selectors.diff_versions(
            old.snapshot, new.snapshot)), amounts_changed=any(c["changed"] for c in diff["components"])))


# --- periods (ministry) ----------------------------------------------------------------------------

@require_GET
@require_that(permissions.can_manage_periods)
def period_list(request):
    return render(request, "applications/period_list.html", {"periods": selectors.period_list(),
                                                             "today": timezone.localdate()})


@require_http_methods(["GET", "POST"])
@require_that(permissions.can_manage_periods)
def period_edit(request, pk=None):
    period = get_object_or_404(selectors.period_list(), pk=pk) if pk else None
    form = PeriodForm(_post(request), instance=period)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_save(actor=request.user, period=form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Aanvraagperiode ‘{period.name}’ is opgeslagen.")
            warning = rules.allocation_run_warning(period.allocation_run)
            if warning:
                messages.warning(request, warning)
            return redirect("applications:period_list")
    return render(request, "applications/period_form.html",
                  {"form": form, "period": period,
                   "run_warning": rules.allocation_run_warning(period.allocation_run) if period else ""},
                  status=422 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@require_that(permissions.can_grant_extension)
def extension_grant(request, pk):
    period = get_object_or_404(selectors.period_list(), pk=pk)
    form = ExtensionForm(_post(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.period_extension_grant(actor=request.user, period=period, municipality=data["municipality"],
                                            closes_on=data["closes_on"], reason=data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Uitstel verleend aan {data['municipality'].name}.")
            return redirect("applications:period_list")
    return render(request, "applications/extension_form.html", {"form": form, "period": period},
                  status=422 if request.method == "POST" else 200)


# --- SPUK IZA: budget lines and mandate declarations --------------------------------------------------

@require_http_methods(["GET", "POST"])
@_step_page
def application_lines(request, application):
    if not application.definition.budget_in_lines:
        raise Http404("Bij deze regeling is er geen begroting per regel.")
    kwargs = {"caps": application.definition.caps(application), "members": application.applicant.members,
              "years": application.period.years,
              "brede_components": budget_selectors.selectable_components(
                  application.definition.lines_may_touch_components_of)}
    formset = plan_line_formset(_post(request), initial=selectors.line_dicts(application), **kwargs)
    # An unreadable version is treated as stale (a conflict), never as an error.
    version = request_int(request.POST, "version", -1, minimum=0) if request.method == "POST" \
        else application.edit_version
    conflict, status = None, 200
    if request.method == "POST":
        if formset.is_valid():
            try:
                application = services.application_save_lines(actor=request.user, application=application,
                                                              base_version=version, lines=formset.lines())
            except services.EditConflict as exc:
                conflict, status, application = exc.message, 409, exc.current
            except ValidationError as exc:
                formset._non_form_errors = formset.error_class(exc.messages)
                status = 422
            else:
                messages.success(request, "De begroting is opgeslagen.")
                return redirect(_next_step(application, "begroting"), application.pk)
        else:
            status = 422
    return render(request, "applications/lines.html", _base_context(
        request, application, formset=formset, conflict=conflict, step="begroting",
        split=selectors.region_split(application), version=application.edit_version), status=status)


@require_http_methods(["GET", "POST"])
def application_declarations(request, pk):
    application = _application(request, pk, permissions.can_view_application)
    if not application.definition.by_region:
        raise Http404("Bij deze regeling zijn er geen mandaatverklaringen.")
    missing = selectors.missing_declarations(application)
    can_declare_for = [m for m in missing if permissions.can_declare(request.user, application, m)]
    form = None
    status = 200
    if can_declare_for:
        form = DeclarationForm(_post(request), request.FILES if request.method == "POST" else None,
                                     municipalities=region_selectors.municipalities().filter(
                                         pk__in=[m.pk for m in can_declare_for]).order_by("name"))
    if request.method == "POST":
        if form is None:
            require(permissions.can_declare(request.user, application, None))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.declaration_add(actor=request.user, application=application,
                                         municipality=data["municipality"], signatory_name=data["signatory_name"],
                                         signatory_role=data["signatory_role"], signed_on=data["signed_on"],
                                         uploaded_file=data["file"])
            except ValidationError as exc:
                form.add_error("municipality", exc)
                status = 422
            else:
                messages.success(request, f"De mandaatverklaring van {data['municipality'].name} is vastgelegd.")
                return redirect("applications:declarations", application.pk)
        else:
            status = 422
    declarations = list(selectors.current_declarations(application))
    return render(request, "applications/declarations.html", _base_context(
        request, application, form=form, step="verklaringen", missing=missing,
        next_step=_following(application, "verklaringen"),
        declarations=[(d, bool(permissions.can_declare(request.user, application, d.municipality)))
                      for d in declarations]), status=status)


@require_POST
def declaration_withdraw(request, pk, declaration_pk):
    application = _application(request, pk, permissions.can_view_application)
    declaration = get_object_or_404(selectors.current_declarations(application), pk=declaration_pk)
    if request.POST.get("confirmed") != "1":
        require(permissions.can_declare(request.user, application, declaration.municipality))
        return render(request, "applications/declaration_withdraw.html", _base_context(
            request, application, step="verklaringen", declaration=declaration, page_title="Verklaring intrekken"))
    services.declaration_withdraw(actor=request.user, declaration=declaration)
    messages.success(request, f"De mandaatverklaring van {declaration.municipality.name} is ingetrokken; de "
                              f"mandaathouder heeft een melding gekregen.")
    return redirect("applications:declarations", application.pk)


@require_GET
def declaration_download(request, pk, declaration_pk):
    application = _application(request, pk, permissions.can_view_application)
    declaration = get_object_or_404(selectors.current_declarations(application), pk=declaration_pk)
    handle = storages["private"].open(declaration.stored_name, "rb")
    return FileResponse(handle, as_attachment=True, filename=declaration.original_name,
                        content_type="application/pdf")


def _and_list(items) -> str:
    """'a', 'a en b', 'a, b en c'."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


@require_POST
def declaration_reminder(request, pk):
    application = _application(request, pk, permissions.can_edit_application)
    result = services.declaration_reminder_send(actor=request.user, application=application)
    mailed, unreachable = result["mailed"], result["unreachable"]
    if mailed:
        messages.success(request, "Herinnering gemaild aan " + _and_list(
            f"{n} medewerker{'s' if n != 1 else ''} van {m.name}" for m, n in mailed) + ".")
    if unreachable:
        messages.warning(request, f"Geen herinnering gestuurd aan {_and_list(m.name for m in unreachable)}: "
                                  f"{'die gemeente heeft' if len(unreachable) == 1 else 'die gemeenten hebben'} geen "
                                  f"medewerker met een account (en e-mailadres) in het portaal. Neem zelf contact op.")
    if not mailed and not unreachable:
        messages.info(request, "Alle mandaatverklaringen zijn er; er is geen herinnering gestuurd.")
    return redirect("applications:declarations", application.pk)
