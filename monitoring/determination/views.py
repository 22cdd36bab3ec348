"""Determinations (vaststellingen): the ministry's queue, a determination with its figures and steps, the letter,
the batch; the gemeente's own determinations. Thin: permission, form, service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.regulations import definition
from spukportal.job_views import restart_job
from spukportal.jobs import QueueUnavailable
from spukportal.permissions import is_ministry, require, require_that
from spukportal.process import check_transition

from ..accountability import rules as sisa_rules
from ..models import SpendingReport
from . import flow, permissions, selectors, services
from .forms import BatchChoiceForm, BatchStartForm, TransitionForm
from .models import Determination, DeterminationBatch


def _determination(request, pk, check=permissions.can_read_determination):
    d = get_object_or_404(Determination.objects.select_related(
        "municipality", "region", "final_report__municipality", "determined_by", "batch"), pk=pk)
    require(check(request.user, d))
    return d


@require_GET
@require_that(permissions.can_view_determinations)
def determination_list(request):
    user = request.user
    context = {"ministry": is_ministry(user)}
    if is_ministry(user):
        choice = BatchChoiceForm(request.GET or None)
        regulation = choice.cleaned_data["regulation"] if choice.is_valid() else None
        context.update(choice=choice, rows=selectors.queue(regulation), regulation=regulation,
                       batches=DeterminationBatch.objects.select_related("created_by")[:5])
    else:
        context["determinations"] = selectors.visible_determinations(user).order_by("regulation")
    return render(request, "monitoring/determination/list.html", context)


@require_POST
@require_that(permissions.can_manage_determinations)
def determination_create(request, report_pk):
    report = get_object_or_404(SpendingReport.objects.select_related("municipality", "region"), pk=report_pk)
    try:
        d = services.concept_create(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("monitoring:determination_list")
    return redirect("monitoring:determination_detail", pk=d.pk)


def _steps(user, d):
    """The transitions the user may take now, as (name, label)."""
    return [(name, t.label) for name, t in flow.TRANSITIONS.items()
            if check_transition(flow.TRANSITIONS, flow.STATES, user, d, d.status, name, "Een vaststelling")]


@require_GET
def determination_detail(request, pk):
    d = _determination(request, pk)
    state = flow.STATES[d.status]
    preview = None
    if not state.determined and is_ministry(request.user):
        try:
            preview = services.settlement_of(d.final_report)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(request, "monitoring/determination/detail.html", {
        "determination": d, "years": list(d.years.all()), "steps": _steps(request.user, d), "preview": preview,
        "letter": getattr(d, "letter", None), "percent": sisa_rules.CARRY_OVER_PERCENT,
        "can_retry": bool(permissions.can_retry_letter(request.user, d)),
        "ministry": is_ministry(request.user)})


@require_http_methods(["GET", "POST"])
def determination_step(request, pk, name):
    if name not in flow.TRANSITIONS:
        raise Http404()
    d = _determination(request, pk, permissions.can_manage_determinations_on)
    step = flow.TRANSITIONS[name]
    form = TransitionForm(request.POST if request.method == "POST" else None, name=name)
    if request.method == "POST" and form.is_valid():
        try:
            d = services.transition(actor=request.user, determination=d, name=name, on=form.cleaned_data["on"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_error(None, exc) if "on" not in exc.error_dict else form.add_error("on", exc.error_dict["on"])
            else:
                form.add_error(None, exc)
        except QueueUnavailable as exc:
            messages.error(request, exc.message)
            return redirect("monitoring:determination_detail", pk=d.pk)
        else:
            messages.success(request, f"{step.label}: gelukt. Status: {flow.STATES[d.status].label}.")
            return redirect("monitoring:determination_detail", pk=d.pk)
    preview = None
    if name == "vaststellen":
        try:
            preview = services.settlement_of(d.final_report)
        except ValidationError as exc:
            form.add_error(None, exc)
    d.refresh_from_db()
    return render(request, "monitoring/determination/confirm.html", {
        "determination": d, "step": step, "name": name, "form": form, "preview": preview,
        "years": list(d.years.all()), "percent": sisa_rules.CARRY_OVER_PERCENT},
        status=422 if request.method == "POST" else 200)


@require_GET
def determination_letter(request, pk):
    d = _determination(request, pk)
    letter = getattr(d, "letter", None)
    if letter is None or not letter.is_ready or not storages["private"].exists(letter.file):
        raise Http404("De brief is nog niet klaar.")
    return FileResponse(storages["private"].open(letter.file, "rb"), as_attachment=False,
                        filename=services.letter_filename(d), content_type="application/pdf")


@require_POST
def determination_letter_retry(request, pk):
    d = _determination(request, pk, permissions.can_retry_letter)
    try:
        services.letter_retry(actor=request.user, determination=d)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except QueueUnavailable as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "De brief wordt opnieuw gemaakt.")
    return redirect("monitoring:determination_detail", pk=d.pk)


@require_http_methods(["GET", "POST"])
@require_that(permissions.can_manage_determinations)
def batch_new(request, regulation):
    try:
        reg = definition(regulation)
    except (KeyError, ValueError):
        raise Http404()
    form = BatchStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            batch = services.batch_start(actor=request.user, regulation=regulation, letter_date=cd["letter_date"],
                                         expected_count=cd["expected_count"])
        except ValidationError as exc:
            form.add_error(None, exc)
        except QueueUnavailable as exc:
            messages.error(request, exc.message)
            return redirect("monitoring:determination_list")
        else:
            return redirect("monitoring:determination_batch", pk=batch.pk)
    preview = services.batch_preview(regulation)
    if request.method != "POST" or not form.is_bound:
        form = BatchStartForm(initial={"expected_count": preview["count"], **form.initial})
    elif form.errors.get("__all__"):
        form.data = form.data.copy()
        form.data["expected_count"] = preview["count"]
    return render(request, "monitoring/determination/batch_new.html", {
        "regulation": reg, "preview": preview, "form": form}, status=422 if request.method == "POST" else 200)


def _batch(request, pk):
    require(permissions.can_manage_determinations(request.user))
    return get_object_or_404(DeterminationBatch.objects.select_related("created_by"), pk=pk)


def _batch_context(batch):
    percent = round(100 * batch.done / batch.total) if batch.total else (100 if batch.is_done else 0)
    return {"batch": batch, "percent": percent, "regulation": definition(batch.regulation),
            "restartable": services.batch_restartable(batch)}


@require_GET
def batch_detail(request, pk):
    batch = _batch(request, pk)
    return render(request, "monitoring/determination/batch_detail.html", {
        **_batch_context(batch), "determinations": batch.determinations.select_related("municipality", "region")})


@require_GET
def batch_progress(request, pk):
    return render(request, "monitoring/determination/_batch_status.html", _batch_context(_batch(request, pk)))


@require_POST
def batch_restart(request, pk):
    batch = _batch(request, pk)
    return restart_job(request, lambda: services.batch_restart(actor=request.user, batch=batch),
                       started="De reeks is opnieuw gestart; wat al was vastgesteld, blijft zoals het is.",
                       to="monitoring:determination_batch", pk=batch.pk)
