"""Views of the kerngroep's review: thin (parse, check permission, call a service or selector, render)."""

import io

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST, require_http_methods

from spukportal.addresses import query_with
from spukportal.exports import CsvWriter, XlsxWriter
from spukportal.permissions import require, require_that

from .. import permissions
from ..decisions.decide import requested_lines
from ..intake import flow as workflow
from ..intake import services
from ..intake.selectors import application_for_view, snapshot_totals
from ..intake.services import EditConflict
from ..models import Application
from . import flow as review_flow
from . import selectors
from . import services as review
from .forms import AssessmentForm, CommentForm, NoteForm, QueueFilterForm, ReturnForm, ReviewersAssignForm
from .queue_rows import ROW_FIELDS, queue_rows

PAGE_SIZE = 50


def _sort_columns(request, current):
    columns = []
    for key, (label, _) in selectors.QUEUE_SORTS.items():
        active = current.lstrip("-") == key
        descending = current.startswith("-")
        columns.append({"key": key, "label": label,
                        "query": query_with(request, sort=f"-{key}" if active and not descending else key, pagina=None),
                        "aria_sort": ("descending" if descending else "ascending") if active else None})
    return columns


def _row(a):
    name = lambda u: (u.get_full_name() or u.get_username()) if u else ""  # noqa: E731
    return [a.reference, a.applicant.name, a.get_regulation_display(), a.queue_region_name or "",
            a.get_state_display(), name(a.first_reviewer), name(a.second_reviewer),
            timezone.localtime(a.submitted_at).date().isoformat() if a.submitted_at else "",
            a.review_due_on.isoformat() if a.review_due_on else ""]


EXPORT_COLUMNS = [("Kenmerk", 22, None), ("Aanvrager", 30, None), ("Regeling", 14, None), ("Regio", 24, None),
                  ("Status", 20, None), ("Eerste beoordelaar", 22, None), ("Tweede beoordelaar", 22, None),
                  ("Ingediend op", 14, None), ("Advies uiterlijk", 14, None)]


def _export(queryset, kind):
    if kind == "xlsx":
        writer = XlsxWriter()
        sheet = writer.add_sheet("Aanvragen", EXPORT_COLUMNS)
        for a in queryset:
            sheet.append(_row(a))
        out = io.BytesIO()
        writer.save(out)
        response = HttpResponse(out.getvalue(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = 'attachment; filename="beoordeling-aanvragen.xlsx"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="beoordeling-aanvragen.csv"'
    writer = CsvWriter(response)
    writer.writerow([c[0] for c in EXPORT_COLUMNS])
    writer.writerows(_row(a) for a in queryset)
    return response


@require_GET
@require_that(permissions.can_view_review_queue)
def review_queue(request):
    form = QueueFilterForm(request.GET)
    d = form.cleaned_data if form.is_valid() else {}
    sort = d.get("sort") or selectors.DEFAULT_SORT
    queryset, counts = selectors.review_queue(
        request.user, q=d.get("q", ""), regulation=d.get("regulation", ""), state=d.get("state", ""),
        province=d.get("province", ""), region=d.get("region", ""), mine=d.get("mine", False),
        unassigned=d.get("unassigned", False), overdue=d.get("overdue", False), waiting=d.get("waiting", False),
        sort=sort)
    if request.GET.get("export") in ("csv", "xlsx"):
        return _export(queryset, request.GET["export"])
    paginator = Paginator(queryset.only(*ROW_FIELDS), PAGE_SIZE)
    # The rows these filters give are counted per state already: no second COUNT query for the pages.
    paginator.count = counts.get(d["state"], 0) if d.get("state") else sum(counts.values())
    page = paginator.get_page(request.GET.get("pagina"))
    per_state = selectors.state_counts(counts)
    return render(request, "applications/review/queue.html", {
        "form": form, "page": page, "columns": _sort_columns(request, sort),
        "counts": [{**c, "current": c["code"] == d.get("state")} for c in per_state],
        "total": sum(counts.values()),
        "csv_query": query_with(request, export="csv", pagina=None),
        "xlsx_query": query_with(request, export="xlsx", pagina=None),
        "rows": queue_rows(page, timezone.localdate()),
        "state_queries": {c["code"]: query_with(request, state=c["code"], pagina=None) for c in per_state},
    })


# --- assignment (the review panel on the application page) ------------------------------------------

def _app(pk):
    try:
        return application_for_view(pk)
    except Application.DoesNotExist:
        raise Http404("Deze aanvraag bestaat niet.") from None


def _done(request, application, message=None, error=None):
    if error:
        messages.error(request, error)
    elif message:
        messages.success(request, message)
    return redirect("applications:detail", application.pk)


def _message(exc):
    return " ".join(exc.messages)


@require_POST
def review_take(request, pk):
    application = _app(pk)
    require(permissions.can_see_review(request.user, application))
    try:
        application = services.application_transition(actor=request.user, application=application,
                                                      transition="in_beoordeling_nemen")
    except (ValidationError, PermissionDenied) as exc:
        return _done(request, application, error=_message(exc) if isinstance(exc, ValidationError) else str(exc))
    return _done(request, application, "U heeft de aanvraag in behandeling genomen als eerste beoordelaar.")


@require_POST
def review_second_take(request, pk):
    application = _app(pk)
    require(permissions.can_see_review(request.user, application))
    try:
        application = review.second_reviewer_take(actor=request.user, application=application)
    except ValidationError as exc:
        return _done(request, application, error=_message(exc))
    review.notify_reviewers(application=application, users=[application.first_reviewer], event="beoordeling.tweede",
                            subject=f"Tweede beoordelaar voor {application.reference or application.applicant.name}",
                            body=f"{request.user.get_full_name() or request.user.get_username()} is tweede "
                                 f"beoordelaar van de aanvraag van {application.applicant.name}.")
    return _done(request, application, "U bent tweede beoordelaar van deze aanvraag.")


@require_POST
def review_assign(request, pk):
    application = _app(pk)
    require(permissions.can_assign_reviewers(request.user))
    require(permissions.can_see_review(request.user, application))
    form = ReviewersAssignForm(request.POST, reviewers=selectors.reviewers_queryset(get_user_model()))
    if not form.is_valid():
        return _done(request, application, error=" ".join(e for errs in form.errors.values() for e in errs))
    before = (application.first_reviewer_id, application.second_reviewer_id)
    try:
        application = review.reviewers_assign(actor=request.user, application=application,
                                              first=form.cleaned_data["first"], second=form.cleaned_data["second"])
    except ValidationError as exc:
        return _done(request, application, error=_message(exc))
    new = [u for u, old in ((application.first_reviewer, before[0]), (application.second_reviewer, before[1]))
           if u is not None and u.pk != old]
    review.notify_reviewers(application=application, users=new, event="beoordeling.toegewezen",
                            subject=f"Aanvraag toegewezen: {application.reference or application.applicant.name}",
                            body=f"De voorzitter van de kerngroep heeft u de aanvraag van {application.applicant.name} "
                                 "toegewezen om te beoordelen.")
    return _done(request, application, "De beoordelaars zijn toegewezen.")


# --- the assessment ----------------------------------------------------------------------------------

def _assessment_context(request, application, **extra):
    assessment = review.current_assessment(application)
    version = assessment.version if assessment else review.latest_version(application)
    previous = selectors.version_before(application, version.number) if version else None
    user = request.user
    editable = bool(review_flow.check(user, application, assessment, "voorleggen"))
    agreeable = bool(review_flow.check(user, application, assessment, "akkoord"))
    items = list(assessment.items.all()) if assessment else []
    return {"application": application, "state": application.state_info, "assessment": assessment,
            "assessment_state": review_flow.STATES[assessment.status] if assessment else None,
            "may_request_additions": bool(workflow.check(user, application, "aanvulling_vragen")),
            "items": items, "version": version,
            "element_texts": application.definition.element_texts(version.snapshot, items) if version else {},
            "previous": previous, "snapshot": version.snapshot if version else None,
            "totals": snapshot_totals(version.snapshot) if version else {},
            "editable": editable, "agreeable": agreeable, "page_title": "Beoordeling",
            "requests": selectors.addition_requests(application),
            **extra}


@require_http_methods(["GET", "POST"])
def assessment(request, pk):
    application = _app(pk)
    require(permissions.can_see_review(request.user, application))
    context = _assessment_context(request, application)
    status = 200
    if context["editable"]:
        a = context["assessment"]
        form = AssessmentForm(request.POST if request.method == "POST" else None, items=context["items"],
                              initial={"version": a.edit_version, "advice": a.advice, "reasons": a.reasons})
        if request.method == "POST":
            propose = "voorleggen" in request.POST
            if form.is_valid():
                try:
                    review.assessment_save(
                        actor=request.user, application=application, base_version=form.cleaned_data["version"],
                        items=form.item_data(), advice=form.cleaned_data["advice"],
                        reasons=form.cleaned_data["reasons"], propose=propose)
                except EditConflict as exc:
                    context["conflict"] = exc.message
                    status = 409
                except ValidationError as exc:
                    form.add_service_errors(exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages})
                    status = 422
                else:
                    if propose:  # the second reviewer is told by the transition's notice
                        messages.success(request, "Het advies is voorgelegd aan de tweede beoordelaar.")
                    else:
                        messages.success(request, "De beoordeling is als concept opgeslagen.")
                    return redirect("applications:assessment", application.pk)
            else:
                status = 422
        context["form"] = form
    elif request.method == "POST":
        raise PermissionDenied("U kunt deze beoordeling nu niet wijzigen.")
    if context["agreeable"]:
        context["agree_form"] = NoteForm(prefix="akkoord")
        context["return_form"] = ReturnForm(prefix="terug")
    return render(request, "applications/review/assessment.html", context, status=status)


@require_POST
def assessment_agree(request, pk):
    application = _app(pk)
    require(permissions.can_see_review(request.user, application))
    a = review.current_assessment(application)
    form = NoteForm(request.POST, prefix="akkoord")
    form.is_valid()
    transition = review_flow.ADVICE_TRANSITION.get(a.advice if a else "", "positief_adviseren")
    if request.POST.get("akkoord-confirmed") != "1" and _assessment_context(request, application)["agreeable"]:
        return render(request, "applications/review/agree_confirm.html", {
            "application": application, "assessment": a, "form": form, "page_title": "Advies bevestigen",
            "final_state": workflow.STATES[workflow.TRANSITIONS[transition].target],
            "requested": (requested := _requested_per_year(application)), "requested_total": sum(requested.values())})
    try:
        application = services.application_transition(
            actor=request.user, application=application, transition=transition,
            data={"comment": form.cleaned_data.get("comment", "")})
    except ValidationError as exc:
        messages.error(request, _message(exc))
        return redirect("applications:assessment", application.pk)
    messages.success(request, f"U bent akkoord; de aanvraag heeft nu de status ‘{application.state_info.label}’.")
    return redirect("applications:detail", application.pk)


def _requested_per_year(application) -> dict:
    """{year: amount} that the applicant requested in the submitted version, for the confirmation step."""
    per_year = {}
    for line in requested_lines(application):
        per_year[line["year"]] = per_year.get(line["year"], 0) + line["amount"]
    return dict(sorted(per_year.items()))


@require_POST
def assessment_send_back(request, pk):
    application = _app(pk)
    require(permissions.can_see_review(request.user, application))
    form = ReturnForm(request.POST, prefix="terug")
    if form.is_valid():
        try:
            review.assessment_return(actor=request.user, application=application,
                                     comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            form.add_error("comment", exc.message_dict.get("comment") if hasattr(exc, "error_dict") else exc.messages)
        else:
            messages.success(request, "Het advies is teruggestuurd naar de eerste beoordelaar.")
            return redirect("applications:assessment", application.pk)
    context = _assessment_context(request, application, agree_form=NoteForm(prefix="akkoord"), return_form=form)
    return render(request, "applications/review/assessment.html", context, status=422)


# --- request for additions -----------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def additions_request(request, pk):
    application = _app(pk)
    require(permissions.acts_as_first_reviewer(request.user, application))
    points = request.POST.getlist("points") if request.method == "POST" else ["", ""]
    if request.method == "POST" and "meer" in request.POST:
        points.append("")
    error = None
    if request.method == "POST" and "meer" not in request.POST:
        try:
            application = services.application_transition(actor=request.user, application=application,
                                                          transition="aanvulling_vragen", data={"points": points})
        except ValidationError as exc:
            error = _message(exc)
        else:
            # the gemeente is told by the notice of the transition
            messages.success(request, "De aanvulling is gevraagd; de gemeente ziet de punten op haar aanvraag.")
            return redirect("applications:detail", application.pk)
    return render(request, "applications/review/additions_request.html", {
        "application": application, "state": application.state_info, "page_title": "Aanvulling vragen",
        "points": points or [""], "error": error, "max_chars": review.bounds.MAX_NOTE_CHARS},
        status=422 if error else 200)


# --- answers of the gemeente and comments (posted from the application page) -------------------------

@require_POST
def additions_answer(request, pk):
    application = _app(pk)
    require(permissions.acts_as_applicant(request.user, application))
    request_obj = review.open_addition_request(application)
    answers = {}
    if request_obj:
        for point in request_obj.points.all():
            key = f"point_{point.pk}"
            if key in request.POST:
                answers[point.pk] = request.POST[key]
    try:
        review.addition_answers_save(actor=request.user, application=application, answers=answers)
    except ValidationError as exc:
        return _done(request, application, error=_message(exc))
    return _done(request, application, "Uw antwoorden zijn opgeslagen. Dien de aanvraag opnieuw in als alles klaar is.")


@require_POST
def comment_add(request, pk):
    application = _app(pk)
    if not (permissions.can_see_review(request.user, application)
            or permissions.acts_as_applicant(request.user, application)):
        raise PermissionDenied("U kunt hier geen opmerking plaatsen.")
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _done(request, application, error=" ".join(e for errs in form.errors.values() for e in errs))
    try:
        review.comment_add(actor=request.user, application=application, text=form.cleaned_data["text"],
                           audience=form.cleaned_data["audience"] or "intern")
    except ValidationError as exc:
        return _done(request, application, error=_message(exc))
    return _done(request, application, "Uw opmerking is geplaatst.")
