"""The national SiSa set of one year: every current (submitted) report's PDF in a ZIP, and a national XLSX.
One job row per year (database-level); re-running finishes the same job: finished PDFs are reused, the ZIP
and XLSX are written again under the same names. Progress (`done` of `total`) is saved as it goes."""

import io
import logging
import time
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from budgets.models import Component
from spukportal import audit, bounds
from spukportal.exports import EURO_FORMAT, XlsxWriter
from spukportal.jobs import enqueue_after_commit
from spukportal.models import JobStatus

from . import permissions
from . import pdf as sisa_pdf, services as sisa_services
from ..models import SisaBatch, SpendingReport

log = logging.getLogger(__name__)
BATCH_TASK = "monitoring.tasks.run_sisa_batch"
PROGRESS_EVERY = 5


def _require(decision):
    if not decision:
        raise PermissionDenied(decision.reason)


def restartable(batch) -> bool:
    return batch.status in (JobStatus.FAILED, JobStatus.FINISHED) or batch.is_stale


def batch_start(*, actor, year: int) -> SisaBatch:
    """The year's job row (made once), started (again). A running job is not started twice."""
    _require(permissions.can_manage_sisa(actor))
    problem = bounds.year_problem(year)
    if problem:
        raise ValidationError({"year": problem})
    with transaction.atomic():
        batch, created = SisaBatch.objects.select_for_update().get_or_create(year=year, defaults={"created_by": actor})
        if not created:
            if batch.status in (JobStatus.PENDING, JobStatus.RUNNING) and not batch.is_stale:
                raise ValidationError({"year": f"De landelijke SiSa-set {year} wordt al gemaakt."})
            SisaBatch.objects.filter(pk=batch.pk).update(status=JobStatus.PENDING, task_id="", error="",
                                                         started_at=None, finished_at=None, done=0,
                                                         created_at=timezone.now())
        audit.record(actor=actor, action="sisa.reeks_gestart" if created else "sisa.reeks_opnieuw", obj=batch,
                     details={"jaar": year})
        enqueue_after_commit(BATCH_TASK, batch)
    batch.refresh_from_db()
    return batch


def xlsx_bytes(reports, components) -> bytes:
    writer = XlsxWriter()
    sheet = writer.add_sheet("SiSa", [(h, w, f) for h, w, f in zip(
        sisa_pdf.CSV_HEADER, [30, 8, 40, 22, 10, 6, 7, 40, 16, 12, 16, 16, 12, 40],
        [None] * 8 + [EURO_FORMAT, None, EURO_FORMAT, EURO_FORMAT, None, None])])
    for report in reports:
        for row in sisa_pdf.rows(report, components):
            sheet.append(sisa_pdf.csv_row_values(report, row))
    out = io.BytesIO()
    writer.save(out)
    return out.getvalue()


def batch_run(*, batch_id, task_id="") -> SisaBatch:
    batch = SisaBatch.objects.get(pk=batch_id)
    if batch.status == JobStatus.FINISHED:
        return batch
    started = time.monotonic()
    reports = list(SpendingReport.objects.filter(year=batch.year, status=SpendingReport.Status.SUBMITTED)
                   .select_related("municipality", "region", "appendix").prefetch_related("lines", "transfers__recipient")
                   .order_by("municipality__name", "regulation"))
    SisaBatch.objects.filter(pk=batch_id).update(status=JobStatus.RUNNING, started_at=timezone.now(), error="",
                                                 total=len(reports), done=0, **({"task_id": task_id} if task_id else {}))
    components = {c.pk: c for c in Component.objects.all()}
    private = storages["private"]
    failures, done, seen = [], 0, 0
    zip_buffer = io.BytesIO()
    with zipfile.ZipFile(zip_buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for report in reports:
            try:
                appendix = getattr(report, "appendix", None)
                if not (appendix is not None and appendix.is_ready and private.exists(appendix.file)):
                    appendix = sisa_services.appendix_render(report_id=report.pk).appendix
                    if not appendix.is_finished:
                        raise ValidationError(appendix.error)
                with private.open(appendix.file, "rb") as handle:
                    content = handle.read()
                archive.writestr(sisa_pdf.filename(report), content)
                done += 1
            except ValidationError as exc:
                failures.append(f"{report.municipality.name}: {' '.join(exc.messages)}")
            except Exception as exc:  # one report's failure does not stop the others
                log.exception("SiSa-set %s: verantwoording %s mislukt", batch_id, report.pk)
                failures.append(f"{report.municipality.name}: {exc.__class__.__name__}: {exc}")
            seen += 1
            if seen % PROGRESS_EVERY == 0:
                SisaBatch.objects.filter(pk=batch_id).update(done=done)
    zip_name = f"sisa/landelijk/sisa-{batch.year}.zip"
    xlsx_name = f"sisa/landelijk/sisa-{batch.year}.xlsx"
    for name in (zip_name, xlsx_name):  # the same names on a re-run: no duplicates
        if private.exists(name):
            private.delete(name)
    private.save(zip_name, ContentFile(zip_buffer.getvalue()))
    private.save(xlsx_name, ContentFile(xlsx_bytes(reports, components)))
    status = JobStatus.FAILED if failures else JobStatus.FINISHED
    error = (f"{len(failures)} van {len(reports)} niet gelukt: " + "; ".join(failures))[:5000] if failures else ""
    with transaction.atomic():
        SisaBatch.objects.filter(pk=batch_id).update(status=status, error=error, done=done, finished_at=timezone.now(),
                                                     zip_file=zip_name, xlsx_file=xlsx_name,
                                                     seconds=time.monotonic() - started)
        audit.record(actor=None, action="sisa.reeks_klaar", obj=batch,
                     message=f"Landelijke SiSa-set {batch.year}: {done} van {len(reports)} bijlagen")
    batch.refresh_from_db()
    return batch
