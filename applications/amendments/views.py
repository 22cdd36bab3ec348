"""Amendments: the applicant's change request (start, write, submit, withdraw), the kerngroep's advice, the
ministry's queue and decision (with a confirmation step), the amended decision's letter and the batch after a
budget change. Thin: permission, form, service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from budgets.models import AllocationRun
from spukportal import bounds
from spukportal.job_views import restart_job
from spukportal.jobs import QueueUnavailable
from spukportal.permissions import require, require_that

from ..intake import permissions as app_permissions
from ..models import Application
from . import flow, permissions, selectors, services
from .forms import GRANT, AdviceForm, BatchForm, ChangeRequestForm, DecideForm, NoteForm
from .models import AmendedDecision, AmendmentBatch, ChangeRequest

APPLICANT_STEPS = ("indienen", "intrekken")


def _change_request(request, pk, check=permissions.can_view_change_request):
    change_request = get_object_or_404(ChangeRequest.objects.select_related(
        "application__period", "application__municipality", "application__region", "decision"), pk=pk)
    require(check(request.user, change_request))
    return change_request


def _rows(change_request) -> list[dict]:
    """Per line and year: the amount granted now and the amount asked (or granted by the amended decision)."""
    amended = getattr(change_request, "amended_decision", None)
    if amended is not None:
        return [{"label": line.label, "year": line.year, "old": line.old_amount, "new": line.amount}
                for line in amended.lines.all()]
    asked = {(selectors.subject_key(line), line["year"]): line["amount"] for line in change_request.lines}
    return [{"label": line["label"], "year": line["year"], "old": line["amount"],
             "new": asked.get((selectors.subject_key(line), line["year"]), line["amount"])}
            for line in selectors.current_lines(change_request.decision)]


def _changes(rows) -> dict:
    """What the change tables show: the lines that change, how many stay as they are, the totals per year and
    in all, now and after the change."""
    years = sorted({r["year"] for r in rows})
    return {"rows": [r for r in rows if r["old"] != r["new"]],
            "unchanged_count": sum(1 for r in rows if r["old"] == r["new"]),
            "year_rows": [{"year": y, "old": sum(r["old"] for r in rows if r["year"] == y),
                           "new": sum(r["new"] for r in rows if r["year"] == y)} for y in years],
            "old_total": sum(r["old"] for r in rows), "new_total": sum(r["new"] for r in rows)}


def _changed_since(change_request):
    """The amended decision that changed the grant after an open request was saved (its amounts are out of date)."""
    return selectors.changed_since(change_request) if change_request.status in flow.OPEN_STATES else None


def _take(request, change_request, name, *, note="", decided_on=None):
    """Take a transition; a refusal (someone else was first, or not allowed) is shown on the request's page."""
    try:
        services.change_request_transition(actor=request.user, change_request=change_request, transition=name,
                                           note=note, decided_on=decided_on)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "Dit mag u niet doen.")
        return False
    except QueueUnavailable as exc:  # the amended decision is stored; its letter can be retried
        messages.warning(request, f"Het besluit is vastgelegd, maar de brief is niet gemaakt: {exc.message}")
    return True


@require_POST
def request_start(request, pk):
    application = get_object_or_404(Application.objects.select_related("period", "municipality", "region"), pk=pk)
    require(app_permissions.can_view_application(request.user, application))
    require(permissions.can_request_change(request.user, application))
    try:
        change_request = services.change_request_start(actor=request.user, application=application)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("applications:detail", pk=application.pk)
    return redirect("amendments:request_edit", pk=change_request.pk)


@require_http_methods(["GET", "POST"])
def request_edit(request, pk):
    change_request = _change_request(request, pk, permissions.acts_as_applicant)
    if not change_request.state_info.editable:
        messages.info(request, f"Het verzoek is {change_request.state_info.label.lower()} en kan niet meer worden "
                               "gewijzigd.")
        return redirect("amendments:request", pk=change_request.pk)
    form = ChangeRequestForm(request.POST if request.method == "POST" else None, change_request=change_request)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_request_save(actor=request.user, change_request=change_request,
                                         reasons=form.cleaned_data["reasons"], plan_text=form.cleaned_data["plan_text"],
                                         lines=form.lines())
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(form.error_field(message), message)
        else:
            messages.success(request, "Het verzoek is opgeslagen. Controleer het en dien het in.")
            return redirect("amendments:request", pk=change_request.pk)
    return render(request, "applications/amendments/request_form.html",
                  {"change_request": change_request, "application": change_request.application, "form": form,
                   "changed_since": _changed_since(change_request)},
                  status=422 if request.method == "POST" else 200)


@require_GET
def request_detail(request, pk):
    change_request = _change_request(request, pk)
    user = request.user
    steps = {t.name: t for t in flow.available(user, change_request)}
    return render(request, "applications/amendments/request_detail.html", {
        "change_request": change_request, "application": change_request.application, "state": change_request.state_info,
        **_changes(_rows(change_request)),
        "may_edit": "indienen" in steps, "submit": steps.get("indienen"), "withdraw": steps.get("intrekken"),
        "ask_advice": steps.get("advies_vragen"), "may_advise": any(n in steps for n in flow.ADVISING),
        "may_decide": any(n in steps for n in flow.DECIDING), "send_back": steps.get("terugsturen"),
        "changed_since": _changed_since(change_request),
        "amended": getattr(change_request, "amended_decision", None), "note_form": NoteForm(),
    })


@require_POST
def request_transition(request, pk, name):
    """The applicant's submit and withdraw, the ministry's request for advice and its sending back (no form of
    their own)."""
    if name not in ("indienen", "intrekken", "advies_vragen", "terugsturen"):
        raise Http404("Onbekende stap.")
    change_request = _change_request(request, pk)
    require(flow.TRANSITIONS[name].guard(request.user, change_request))
    form = NoteForm(request.POST) if flow.TRANSITIONS[name].needs_note else None
    if form is not None and not form.is_valid():
        messages.error(request, "Geef een toelichting.")
        return redirect("amendments:request", pk=change_request.pk)
    if _take(request, change_request, name, note=form.cleaned_data["note"] if form else ""):
        messages.success(request, {"indienen": "Het verzoek om wijziging is ingediend.",
                                   "intrekken": "Het verzoek is ingetrokken.",
                                   "advies_vragen": "De kerngroep is om advies gevraagd.",
                                   "terugsturen": "Het verzoek is teruggestuurd naar de aanvrager."}[name])
    return redirect("amendments:request", pk=change_request.pk)


@require_http_methods(["GET", "POST"])
def request_advise(request, pk):
    change_request = _change_request(request, pk, permissions.may_advise)
    if not flow.available(request.user, change_request, flow.ADVISING):
        messages.info(request, f"Over dit verzoek ({change_request.state_info.label.lower()}) wordt nu geen advies "
                               "gevraagd.")
        return redirect("amendments:request", pk=change_request.pk)
    form = AdviceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if _take(request, change_request, form.cleaned_data["advice"], note=form.cleaned_data["note"]):
            messages.success(request, "Het advies is vastgelegd; het ministerie besluit nu.")
        return redirect("amendments:request", pk=change_request.pk)
    return render(request, "applications/amendments/advise.html", {
        "change_request": change_request, "application": change_request.application, "form": form,
        **_changes(_rows(change_request)),
    }, status=422 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def request_decide(request, pk):
    change_request = _change_request(request, pk, lambda user, cr: permissions.can_amend(user))
    if not flow.available(request.user, change_request, flow.DECIDING):
        reason = flow.check(request.user, change_request, "toekennen").reason
        messages.info(request, reason or "Over dit verzoek kan nu niet worden besloten.")
        return redirect("amendments:request", pk=change_request.pk)
    form = DecideForm(request.POST if request.method == "POST" else None)
    context = {"change_request": change_request, "application": change_request.application, "form": form,
               "state": change_request.state_info, **_changes(_rows(change_request)),
               "changed_since": _changed_since(change_request)}
    if request.method == "POST" and form.is_valid() and not request.POST.get("edit"):
        data = form.cleaned_data
        if data["confirmed"] != "1":
            return render(request, "applications/amendments/decide_confirm.html",
                          {**context, "granted": data["outcome"] == GRANT})
        if _take(request, change_request, data["outcome"], note=data["note"], decided_on=data["decided_on"]):
            messages.success(request, "Het besluit is vastgelegd." + (" Het wijzigingsbesluit (pdf) wordt gemaakt."
                                                                       if data["outcome"] == GRANT else ""))
        return redirect("amendments:request", pk=change_request.pk)
    return render(request, "applications/amendments/decide.html", context,
                  status=422 if request.method == "POST" and not request.POST.get("edit") else 200)


@require_GET
@require_that(permissions.can_view_amendment_queue)
def queue(request):
    return render(request, "applications/amendments/queue.html", {
        "waiting": selectors.ministry_queue(), "advice": selectors.advice_queue(),
        "decided": selectors.recent_decided(),
        "can_amend": permissions.can_amend(request.user)})


def _amended(request, pk, check):
    amended = get_object_or_404(AmendedDecision.objects.select_related("decision__application", "letter"), pk=pk)
    require(check(request.user, amended))
    return amended


@require_GET
def amended_download(request, pk):
    amended = _amended(request, pk, permissions.can_download_amended_decision)
    if not amended.letter.is_ready:
        raise Http404("De brief van dit wijzigingsbesluit is nog niet klaar.")
    handle = storages["private"].open(amended.letter.file, "rb")
    return FileResponse(handle, as_attachment=True, filename=services.letter_filename(amended),
                        content_type="application/pdf")


@require_POST
def amended_retry(request, pk):
    amended = _amended(request, pk, lambda user, a: permissions.can_amend(user))
    return restart_job(request, lambda: services.letter_retry(actor=request.user, amended=amended),
                       started="De brief wordt opnieuw gemaakt.", to="applications:detail",
                       pk=amended.decision.application_id)


# --- the batch after a budget change -------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@require_that(permissions.can_amend)
def batch_list(request):
    runs = list(selectors.candidate_runs()[:50])
    run_pk = bounds.request_int(request.POST, "verdeling", minimum=1) or bounds.request_int(request.GET, "verdeling", minimum=1)
    run = get_object_or_404(AllocationRun, pk=run_pk, status=AllocationRun.Status.FINISHED) if run_pk else None
    affected = selectors.affected_by(run) if run else []
    form = BatchForm(request.POST if request.method == "POST" and run else None, affected=affected)
    if request.method == "POST" and run and form.is_valid() and not request.POST.get("edit"):
        chosen = form.chosen()
        if form.cleaned_data["confirmed"] != "1":
            return render(request, "applications/amendments/batch_confirm.html", {
                "form": form, "run": run, "chosen": chosen,
                "old_total": sum(r["old_total"] for r in chosen), "new_total": sum(r["new_total"] for r in chosen)})
        try:
            batch = services.amendment_batch_start(actor=request.user, run=run,
                                                   decisions_=[r["decision"] for r in chosen],
                                                   decided_on=form.cleaned_data["decided_on"],
                                                   reasons=form.cleaned_data["reasons"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except QueueUnavailable as exc:
            messages.error(request, exc.message)
            return redirect("amendments:batches")
        else:
            return redirect("amendments:batch", pk=batch.pk)
    chosen = set(form["decisions"].value() or [])
    return render(request, "applications/amendments/batch_list.html", {
        "runs": runs, "run": run, "affected": affected, "form": form, "chosen": chosen,
        "batches": AmendmentBatch.objects.select_related("created_by", "run")[:10],
    }, status=422 if request.method == "POST" and not request.POST.get("edit") else 200)


def _batch(request, pk):
    require(permissions.can_amend(request.user))
    return get_object_or_404(AmendmentBatch.objects.select_related("created_by", "run"), pk=pk)


def _batch_context(batch):
    percent = round(100 * batch.done / batch.total) if batch.total else 100
    return {"batch": batch, "percent": percent, "restartable": services.batch_restartable(batch)}


@require_GET
def batch_detail(request, pk):
    batch = _batch(request, pk)
    made = batch.amended_decisions.select_related("decision__application__municipality",
                                                  "decision__application__region", "letter").order_by("pk")
    return render(request, "applications/amendments/batch_detail.html", {**_batch_context(batch), "made": made})


@require_GET
def batch_progress(request, pk):
    return render(request, "applications/amendments/_batch_status.html", _batch_context(_batch(request, pk)))


@require_POST
def batch_restart(request, pk):
    batch = _batch(request, pk)
    return restart_job(request, lambda: services.amendment_batch_restart(actor=request.user, batch=batch),
                       started="De reeks is opnieuw gestart; wat al klaar was, blijft zoals het is.",
                       to="amendments:batch", pk=batch.pk)
