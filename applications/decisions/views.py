"""The ministry's decisions: the decision form (with a confirmation step), the letter's download and retry,
and the batch (select, start, progress, restart). Thin: permission, form, service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from spukportal.job_views import restart_job
from spukportal.jobs import QueueUnavailable
from spukportal.permissions import require, require_that

from .. import permissions
from . import selectors as decision_selectors, services as decision_services, decide as decisions
from ..intake import selectors, flow as workflow
from .forms import GRANT, AdvancePaidForm, BatchForm, DecisionForm
from .rows import awaiting_rows
from ..models import AdvancePayment, DecisionBatch, GrantDecision
from ..intake.views import _application


def _decision_of(request, pk, check):
    application = _application(request, pk, permissions.can_view_application)
    decision = GrantDecision.objects.filter(application=application).select_related("application").first()
    if decision is None:
        raise Http404("Over deze aanvraag is nog geen besluit genomen.")
    require(check(request.user, decision))
    return application, decision


@require_http_methods(["GET", "POST"])
@require_that(permissions.can_decide)
def decision_form(request, pk):
    application = _application(request, pk, permissions.can_view_application)
    if GrantDecision.objects.filter(application=application).exists():
        messages.info(request, "Over deze aanvraag is al een besluit genomen; een tweede beschikking kan niet.")
        return redirect("applications:detail", pk=application.pk)
    allowed = [t for t in ("toekennen", "afwijzen") if workflow.check(request.user, application, t)]
    if not allowed:
        messages.error(request, f"Over deze aanvraag kan nog niet worden besloten: er is nog geen definitief advies "
                                f"van de kerngroep (status ‘{application.state_info.label}’).")
        return redirect("applications:detail", pk=application.pk)
    form = DecisionForm(request.POST if request.method == "POST" else None, application=application)
    context = {"application": application, "form": form, "year_caps": selectors.year_caps(application),
               "grant_allowed": "toekennen" in allowed}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["outcome"] == GRANT and "toekennen" not in allowed:
            form.add_error("outcome", "Bij een negatief advies kan het ministerie alleen afwijzen.")
        elif request.POST.get("edit"):
            pass  # back from the confirmation step: the form again, as typed
        elif data["confirmed"] != "1":
            return render(request, "applications/decisions/confirm.html", {
                **context, "summary": form.summary(), "total": sum(line["amount"] for line in form.lines()),
                "granted": data["outcome"] == GRANT,
                "replaced": [g for g in form.live if (g.source_kind, g.source_id) in set(form.replaces())]})
        else:
            try:
                decision_services.decision_make(
                    actor=request.user, application=application, outcome=data["outcome"],
                    decided_on=data["decided_on"], lines=form.lines() if data["outcome"] == GRANT else None,
                    reasons=data["reasons"], replaces=form.replaces() if data["outcome"] == GRANT else None)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            except QueueUnavailable as exc:  # the decision is stored; its letter can be retried
                messages.warning(request, f"Het besluit is vastgelegd, maar de brief is niet gemaakt: {exc.message}")
                return redirect("applications:detail", pk=application.pk)
            else:
                messages.success(request, "Het besluit is vastgelegd. De beschikking (pdf) wordt gemaakt.")
                return redirect("applications:detail", pk=application.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "applications/decisions/form.html", context, status=status)


@require_GET
def decision_download(request, pk):
    application, decision = _decision_of(request, pk, permissions.can_download_decision)
    letter = getattr(decision, "letter", None)
    if letter is None or not letter.is_ready:
        raise Http404("De brief van deze beschikking is nog niet klaar.")
    handle = storages["private"].open(letter.file, "rb")
    return FileResponse(handle, as_attachment=True, filename=decisions.letter_filename(decision),
                        content_type="application/pdf")


@require_http_methods(["GET", "POST"])
def advance_paid(request, pk, payment_pk):
    """"Markeer als betaald": a confirmation page with the payment date, then the record (irreversible)."""
    application, decision = _decision_of(request, pk, lambda user, _d: permissions.can_mark_advance_paid(user))
    payment = get_object_or_404(AdvancePayment, pk=payment_pk, decision=decision)
    form = AdvancePaidForm(request.POST if request.method == "POST" else None)
    if payment.is_paid:
        messages.info(request, f"Dit voorschot is al als betaald vastgelegd (op {payment.paid_on:%d-%m-%Y}).")
        return redirect("applications:detail", pk=application.pk)
    if request.method == "POST" and form.is_valid():
        try:
            decisions.advance_mark_paid(actor=request.user, payment=payment, paid_on=form.cleaned_data["paid_on"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Het voorschot is als betaald vastgelegd.")
            return redirect("applications:detail", pk=application.pk)
    return render(request, "applications/decisions/advance_paid.html",
                  {"application": application, "decision": decision, "payment": payment, "form": form},
                  status=422 if request.method == "POST" else 200)


@require_POST
def decision_retry(request, pk):
    application, decision = _decision_of(request, pk, permissions.can_retry_decision_letter)
    return restart_job(request, lambda: decisions.letter_retry(actor=request.user, decision=decision),
                       started="De brief wordt opnieuw gemaakt.", to="applications:detail", pk=application.pk)


# --- the batch -----------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@require_that(permissions.can_decide)
def batch_list(request):
    awaiting = decision_selectors.awaiting_decision()
    form = BatchForm(request.POST if request.method == "POST" else None, awaiting=awaiting)
    if request.method == "POST" and form.is_valid() and not request.POST.get("edit"):
        if form.cleaned_data["confirmed"] != "1":
            return render(request, "applications/decisions/batch_confirm.html", {
                "form": form, "preview": decision_selectors.batch_preview(form.chosen())})
        try:
            batch = decision_services.decision_batch_start(actor=request.user, applications=form.chosen(),
                                                           decided_on=form.cleaned_data["decided_on"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except QueueUnavailable as exc:
            messages.error(request, exc.message)
            return redirect("applications:decision_batches")
        else:
            return redirect("applications:decision_batch", pk=batch.pk)
    chosen = set(form["applications"].value() or []) if form.is_bound else set()
    return render(request, "applications/decisions/batch_list.html", {
        "form": form, "awaiting": form.awaiting, "rows": awaiting_rows(form.awaiting, chosen),
        "batches": DecisionBatch.objects.select_related("created_by")[:10],
    }, status=422 if request.method == "POST" and not request.POST.get("edit") else 200)


def _batch(request, pk):
    require(permissions.can_decide(request.user))
    return get_object_or_404(DecisionBatch.objects.select_related("created_by"), pk=pk)


def _batch_context(batch):
    percent = round(100 * batch.done / batch.total) if batch.total else 100
    return {"batch": batch, "percent": percent, "restartable": decision_services.batch_restartable(batch)}


@require_GET
def batch_detail(request, pk):
    batch = _batch(request, pk)
    decided = GrantDecision.objects.filter(batch=batch).select_related(
        "application__municipality", "application__region").order_by("application__pk")
    return render(request, "applications/decisions/batch_detail.html", {**_batch_context(batch), "decided": decided})


@require_GET
def batch_progress(request, pk):
    return render(request, "applications/decisions/_batch_status.html", _batch_context(_batch(request, pk)))


@require_POST
def batch_restart(request, pk):
    batch = _batch(request, pk)
    return restart_job(request, lambda: decision_services.decision_batch_restart(actor=request.user, batch=batch),
                       started="De reeks is opnieuw gestart; wat al klaar was, blijft zoals het is.",
                       to="applications:decision_batch", pk=batch.pk)
