"""SiSa spending reports: list and start, the report (read, edit, submit, correct), the appendix downloads,
and for ministry staff the national list with exports, the prior-grant import and the national batch.
Thin: permission, form, service, render."""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST, require_http_methods

from applications.regulations import definition
from regions.models import Municipality
from spukportal.csv_import import ImportFailed
from spukportal.exports import EURO_FORMAT, XlsxWriter, csv_bytes
from spukportal.job_views import restart_job
from spukportal.jobs import QueueUnavailable
from spukportal.models import JobStatus
from spukportal.permissions import is_ministry, officer_municipality_ids, require, require_that

from .. import grants
from . import permissions
from ..models import PriorGrant, SisaAppendix, SisaBatch, SpendingReport
from . import batch as sisa_batch
from . import flow as sisa_flow
from . import pdf as sisa_pdf
from . import rules as sisa_rules
from . import selectors as sisa_selectors
from . import services as sisa_services
from ..determination import permissions as determination_permissions
from ..determination import selectors as determination_selectors
from .forms import (BatchStartForm, CorrectionForm, PriorGrantImportForm, ReportFilterForm, ReportForm,
                    StartForm, SubmitForm)
from .import_ import PriorGrantImporter


def _post(request):
    return request.POST if request.method == "POST" else None


def _report(request, pk, check=permissions.can_read_report):
    report = get_object_or_404(SpendingReport.objects.select_related("municipality", "region", "submitted_by")
                               .prefetch_related("lines", "transfers__recipient"), pk=pk)
    require(check(request.user, report))
    return report


def _granted_overview(municipality_ids):
    """[{municipality, regulation, year, total, references, report}] for the officer's gemeenten."""
    rows = grants.grant_rows(municipality_ids=set(municipality_ids))
    grouped = {}
    for row in rows:
        entry = grouped.setdefault((row.municipality_id, row.regulation, row.year),
                                   {"total": 0, "refs": [], "region_id": row.region_id})
        entry["total"] += row.amount
        if (row.reference, row.prior) not in entry["refs"]:
            entry["refs"].append((row.reference, row.prior))
    reports = {(r.municipality_id, r.regulation, r.year): r for r in SpendingReport.objects.filter(
        municipality_id__in=municipality_ids).exclude(status=SpendingReport.Status.REPLACED).order_by("status")}
    names = {m.pk: m for m in Municipality.objects.filter(pk__in=municipality_ids)}
    out = []
    for (muni_id, reg, year), entry in sorted(grouped.items(), key=lambda kv: (-kv[0][2], kv[0][1])):
        out.append({"municipality": names[muni_id], "regulation": definition(reg), "year": year,
                    "total": entry["total"], "references": entry["refs"], "report": reports.get((muni_id, reg, year)),
                    "deadline": sisa_selectors.deadline(year)})
    return out


@require_http_methods(["GET"])
@require_that(permissions.can_view_reports)
def report_list(request):
    user = request.user
    reports = permissions.visible_reports(user)
    context = {"ministry": is_ministry(user)}
    if is_ministry(user):
        filters = ReportFilterForm(request.GET or None)
        if filters.is_valid():
            cd = filters.cleaned_data
            if cd.get("year"):
                reports = reports.filter(year=cd["year"])
            if cd.get("regulation"):
                reports = reports.filter(regulation=cd["regulation"])
            if cd.get("status"):
                reports = reports.filter(status=cd["status"])
        context.update(filters=filters, query=request.GET.urlencode(), batches=SisaBatch.objects.all()[:5])
    else:
        ids = officer_municipality_ids(user)
        context.update(overview=_granted_overview(ids),
                       start_form=StartForm(municipalities=Municipality.objects.filter(pk__in=ids)))
    context["reports"] = reports.order_by("-year", "municipality__name", "regulation", "-version")[:500]
    return render(request, "monitoring/sisa/list.html", context)


@require_POST
@require_that(permissions.can_start_reports)
def report_start(request):
    ids = officer_municipality_ids(request.user)
    form = StartForm(request.POST, municipalities=Municipality.objects.filter(pk__in=ids))
    if form.is_valid():
        cd = form.cleaned_data
        try:
            report = sisa_services.report_start(actor=request.user, municipality=cd["municipality"],
                                                regulation=cd["regulation"], year=cd["year"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "De verantwoording is aangemaakt als concept.")
            return redirect("monitoring:sisa_edit", pk=report.pk)
    return render(request, "monitoring/sisa/list.html", {
        "ministry": False, "start_form": form, "overview": _granted_overview(ids),
        "reports": permissions.visible_reports(request.user).order_by("-year", "-version")[:500]}, status=422)


def _detail_context(request, report):
    frame = sisa_services.frame_of(report)
    determination = determination_selectors.for_report(report)
    versions = SpendingReport.objects.filter(municipality_id=report.municipality_id, regulation=report.regulation,
                                             year=report.year).order_by("-version")
    return {"report": report, "rows": sisa_pdf.rows(report), "frame": frame,
            "appendix": SisaAppendix.objects.filter(report=report).first(),
            "warnings": sisa_services.warnings_of(report), "reclaim": sisa_services.reclaim_of(report),
            "determination": determination, "determination_readable": determination is not None
            and bool(determination_permissions.can_read_determination(request.user, determination)),
            "deadline": sisa_selectors.deadline(report.year), "versions": versions,
            "prior_refs": frame.granted.prior_references, "granted_total": frame.granted_total(),
            "code": report.definition.sisa_code, "legal": report.definition.legal_name,
            "can_edit": bool(permissions.can_edit_report(request.user, report)),
            "can_correct": bool(permissions.can_correct_report(request.user, report)),
            "late": sisa_flow.STATES[report.status].editable
            and timezone.localdate() > sisa_selectors.deadline(report.year)}


@require_GET
def report_detail(request, pk):
    report = _report(request, pk)
    return render(request, "monitoring/sisa/detail.html", {**_detail_context(request, report),
                                                           "correction_form": CorrectionForm()})


@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    report = _report(request, pk, permissions.can_edit_report)
    frame = sisa_services.frame_of(report)
    form = ReportForm(_post(request), report=report, frame=frame)
    warnings = sisa_services.warnings_of(report)
    if request.method == "POST" and form.is_valid():
        try:
            report, warnings = sisa_services.report_save(actor=request.user, report=report,
                                                         data=form.data_for_service(),
                                                         base_version=form.cleaned_data["version"])
        except ValidationError as exc:
            form.add_error(None, exc)
        except sisa_services.EditConflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "De verantwoording is opgeslagen.")
            for warning in warnings:
                messages.warning(request, warning)
            if request.POST.get("next") == "indienen":
                return redirect("monitoring:sisa_submit", pk=report.pk)
            return redirect("monitoring:sisa_edit", pk=report.pk)
    return render(request, "monitoring/sisa/edit.html", {
        "report": report, "form": form, "frame": frame, "warnings": warnings,
        "deadline": sisa_selectors.deadline(report.year), "prior_refs": frame.granted.prior_references,
        "code": report.definition.sisa_code, "granted_total": frame.granted_total(),
        "carry_over_cap": frame.granted_total() * sisa_rules.CARRY_OVER_PERCENT // 100,
    }, status=422 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def report_submit(request, pk):
    report = _report(request, pk, permissions.can_edit_report)
    form = SubmitForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            sisa_services.report_submit(actor=request.user, report=report)
        except ValidationError as exc:
            form.add_error(None, exc)
        except QueueUnavailable as exc:
            messages.warning(request, f"De verantwoording is ingediend, maar de SiSa-bijlage is niet gemaakt: "
                                      f"{exc.message}")
            return redirect("monitoring:sisa_detail", pk=report.pk)
        else:
            messages.success(request, "De verantwoording is ingediend en vergrendeld. De SiSa-bijlage (pdf) wordt "
                                      "gemaakt.")
            return redirect("monitoring:sisa_detail", pk=report.pk)
    return render(request, "monitoring/sisa/submit.html", {**_detail_context(request, report), "form": form},
                  status=422 if request.method == "POST" else 200)


@require_POST
def report_correct(request, pk):
    report = _report(request, pk, permissions.can_correct_report)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            new = sisa_services.report_correct(actor=request.user, report=report, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Versie {new.version} is aangemaakt als concept; versie {report.version} blijft "
                                      "geldig tot u de correctie indient.")
            return redirect("monitoring:sisa_edit", pk=new.pk)
    return render(request, "monitoring/sisa/detail.html", {**_detail_context(request, report),
                                                           "correction_form": form}, status=422)


@require_GET
def report_pdf(request, pk):
    report = _report(request, pk)
    appendix = getattr(report, "appendix", None)
    if appendix is None or not appendix.is_ready or not storages["private"].exists(appendix.file):
        raise Http404("De SiSa-bijlage van deze verantwoording is er (nog) niet.")
    return FileResponse(storages["private"].open(appendix.file, "rb"), as_attachment=True,
                        filename=sisa_pdf.filename(report), content_type="application/pdf")


@require_GET
def report_csv(request, pk):
    report = _report(request, pk)
    response = HttpResponse(sisa_pdf.csv_bytes(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{sisa_pdf.filename(report, "csv")}"'
    return response


@require_POST
def report_pdf_retry(request, pk):
    report = _report(request, pk)
    return restart_job(request, lambda: sisa_services.appendix_retry(actor=request.user, report=report),
                       started="De SiSa-bijlage wordt opnieuw gemaakt.", to="monitoring:sisa_detail", pk=report.pk)


# --- ministry ------------------------------------------------------------------------------------------

EXPORT_HEADER = [("Gemeente", 24, None), ("CBS-code", 10, None), ("IZA-regio", 22, None), ("Regeling", 14, None),
                 ("Jaar", 6, None), ("Versie", 7, None), ("Status", 11, None), ("Toegekend", 16, EURO_FORMAT),
                 ("/01 Besteding", 16, EURO_FORMAT), ("/04 Cumulatief", 16, EURO_FORMAT),
                 ("Eindverantwoording", 12, None), ("Ingediend op", 18, None)]


@require_GET
@require_that(permissions.can_manage_sisa)
def report_export(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404()
    reports = permissions.visible_reports(request.user).prefetch_related("lines")
    filters = ReportFilterForm(request.GET or None)
    if filters.is_valid():
        cd = filters.cleaned_data
        reports = reports.filter(**{k: v for k, v in (("year", cd.get("year")), ("regulation", cd.get("regulation")),
                                                      ("status", cd.get("status"))) if v})
    reports = list(reports.order_by("-year", "municipality__name", "regulation", "-version")[:20000])
    granted = {}
    for row in grants.grant_rows():
        key = (row.municipality_id, row.regulation, row.year)
        granted[key] = granted.get(key, 0) + row.amount
    rows = [[r.municipality.name, r.municipality.cbs_code, r.region.name if r.region else "", r.get_regulation_display(),
             r.year, r.version, r.get_status_display(), granted.get((r.municipality_id, r.regulation, r.year), 0),
             sum(x.expenditure for x in r.lines.all()), sum(x.cumulative for x in r.lines.all()),
             "Ja" if r.is_final else "Nee",
             timezone.localtime(r.submitted_at).strftime("%d-%m-%Y %H:%M") if r.submitted_at else ""] for r in reports]
    if fmt == "csv":
        response = HttpResponse(csv_bytes([[h for h, _, _ in EXPORT_HEADER], *rows]),
                                content_type="text/csv; charset=utf-8")
    else:
        writer = XlsxWriter()
        sheet = writer.add_sheet("Verantwoordingen", EXPORT_HEADER)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        writer.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument."
                                                                "spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="verantwoordingen.{fmt}"'
    return response


@require_http_methods(["GET", "POST"])
@require_that(permissions.can_manage_sisa)
def prior_grant_import(request):
    form = PriorGrantImportForm(_post(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = PriorGrantImporter(actor=request.user).run(form.cleaned_data["file"], actor=request.user,
                                                                dry_run=form.cleaned_data["dry_run"])
        except ImportFailed as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, str(result))
            return redirect("monitoring:sisa_prior_grants")
    return render(request, "monitoring/sisa/prior_grants.html", {
        "form": form, "grants": PriorGrant.objects.select_related("municipality", "region", "component",
                                                                  "imported_by")[:300],
    }, status=422 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@require_that(permissions.can_manage_sisa)
def batch_list(request):
    form = BatchStartForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            batch = sisa_batch.batch_start(actor=request.user, year=form.cleaned_data["year"])
        except ValidationError as exc:
            form.add_error(None, exc)
        except QueueUnavailable as exc:
            messages.error(request, exc.message)
            return redirect("monitoring:sisa_batches")
        else:
            return redirect("monitoring:sisa_batch", pk=batch.pk)
    return render(request, "monitoring/sisa/batch_list.html", {
        "form": form, "batches": SisaBatch.objects.select_related("created_by"),
    }, status=422 if request.method == "POST" else 200)


def _batch(request, pk):
    require(permissions.can_manage_sisa(request.user))
    return get_object_or_404(SisaBatch.objects.select_related("created_by"), pk=pk)


def _batch_context(batch):
    percent = round(100 * batch.done / batch.total) if batch.total else (100 if batch.is_done else 0)
    return {"batch": batch, "percent": percent, "restartable": sisa_batch.restartable(batch)}


@require_GET
def batch_detail(request, pk):
    return render(request, "monitoring/sisa/batch_detail.html", _batch_context(_batch(request, pk)))


@require_GET
def batch_progress(request, pk):
    return render(request, "monitoring/sisa/_batch_status.html", _batch_context(_batch(request, pk)))


@require_POST
def batch_restart(request, pk):
    batch = _batch(request, pk)
    return restart_job(request, lambda: sisa_batch.batch_start(actor=request.user, year=batch.year),
                       started="De landelijke set wordt opnieuw gemaakt; klare bijlagen worden hergebruikt.",
                       to="monitoring:sisa_batch", pk=batch.pk)


@require_GET
def batch_download(request, pk, kind):
    batch = _batch(request, pk)
    name = {"zip": batch.zip_file, "xlsx": batch.xlsx_file}.get(kind)
    if kind not in ("zip", "xlsx"):
        raise Http404()
    if not name or batch.status not in (JobStatus.FINISHED, JobStatus.FAILED) \
            or not storages["private"].exists(name):
        raise Http404("De landelijke set is nog niet klaar.")
    content_type = "application/zip" if kind == "zip" else ("application/vnd.openxmlformats-officedocument."
                                                            "spreadsheetml.sheet")
    return FileResponse(storages["private"].open(name, "rb"), as_attachment=True,
                        filename=f"sisa-{batch.year}.{kind}", content_type=content_type)
