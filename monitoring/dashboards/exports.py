"""Large exports made by Celery (the national spending overview as XLSX), listed on the downloads page.

`export_request` makes the row and enqueues the task after commit; `export_generate` (the task's body) is
idempotent: a finished export is left alone, a failed or interrupted one is made again into the same row;
`export_retry` puts a failed export back in the queue."""

import io
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from applications import regulations
from regions.models import PROVINCES, Region
from spukportal import audit, bounds
from spukportal.exports import EURO_FORMAT, XlsxWriter
from spukportal.jobs import enqueue_after_commit
from spukportal.permissions import is_ministry, require

from ..models import Export, percent
from .permissions import can_make_exports, can_open_export
from . import selectors as ds

log = logging.getLogger(__name__)
TASK = "monitoring.tasks.generate_export"


def clean_parameters(params: dict) -> dict:
    """The filters an export may carry, checked (the same bounds as the dashboard's form)."""
    year = params.get("year")
    if not isinstance(year, int) or bounds.year_problem(year):
        raise ValidationError({"year": "Kies een geldig jaar."})
    out = {"year": year}
    if params.get("province"):
        if params["province"] not in PROVINCES:
            raise ValidationError({"province": "Kies een provincie uit de lijst."})
        out["province"] = params["province"]
    if params.get("region"):
        if not Region.objects.filter(slug=params["region"]).exists():
            raise ValidationError({"region": "Kies een IZA-regio uit de lijst."})
        out["region"] = params["region"]
    if params.get("regulation"):
        if params["regulation"] not in regulations.codes():
            raise ValidationError({"regulation": "Kies een regeling uit de lijst."})
        out["regulation"] = params["regulation"]
    return out


def filters_of(params: dict) -> ds.Filters:
    region = Region.objects.filter(slug=params["region"]).first() if params.get("region") else None
    return ds.Filters(year=params["year"], province=params.get("province", ""), region=region,
                      regulation=params.get("regulation", ""))


def export_request(*, actor, kind=Export.Kind.SPENDING_OVERVIEW, parameters: dict) -> Export:
    require(can_make_exports(actor))
    if kind not in Export.Kind.values:
        raise ValidationError("Onbekende soort export.")
    parameters = clean_parameters(parameters)
    with transaction.atomic():
        export = Export.objects.create(kind=kind, parameters=parameters, created_by=actor)
        audit.record(actor=actor, action="export.aangevraagd", obj=export,
                     message=f"Export '{export.get_kind_display()}' ({_describe(parameters)}) aangevraagd.",
                     details=parameters)
        enqueue_after_commit(TASK, export)
    return export


def export_retry(*, actor, export) -> Export:
    require(can_open_export(actor, export))
    with transaction.atomic():
        export = Export.objects.select_for_update().get(pk=export.pk)
        if export.status != Export.Status.FAILED and not export.is_stale:
            raise ValidationError("Alleen een mislukte (of vastgelopen) export kan opnieuw worden gestart.")
        export.status, export.progress, export.error, export.task_id = Export.Status.PENDING, 0, "", ""
        export.finished_at = None
        export.save(update_fields=["status", "progress", "error", "task_id", "finished_at"])
        audit.record(actor=actor, action="export.opnieuw", obj=export,
                     message=f"Export '{export.get_kind_display()}' opnieuw gestart.")
        enqueue_after_commit(TASK, export)
    return export


def _describe(parameters):
    parts = [str(parameters["year"])]
    for key in ("province", "region", "regulation"):
        if parameters.get(key):
            parts.append(str(parameters[key]))
    return ", ".join(parts)


def export_generate(*, export_id, task_id="") -> Export:
    """The job. Idempotent: finished → left alone; otherwise (re)made into the same row."""
    with transaction.atomic():
        export = Export.objects.select_for_update().get(pk=export_id)
        if export.status == Export.Status.FINISHED:
            return export
        export.status, export.started_at, export.progress, export.error = (Export.Status.RUNNING, timezone.now(),
                                                                           5, "")
        export.attempts += 1
        if task_id and not export.task_id:
            export.task_id = task_id
        export.save(update_fields=["status", "started_at", "progress", "error", "attempts", "task_id"])

    def progress(p):
        Export.objects.filter(pk=export_id).update(progress=p)

    try:
        content, rows = spending_overview_xlsx(filters_of(export.parameters), progress=progress)
        storage = storages["private"]
        name = storage.save(f"exports/{export.pk}/{export.filename}", ContentFile(content))
        with transaction.atomic():
            Export.objects.filter(pk=export_id).update(status=Export.Status.FINISHED, progress=100, file=name,
                                                       rows=rows, finished_at=timezone.now())
            audit.record(actor=None, action="export.klaar", obj=export,
                         message=f"Export '{export.get_kind_display()}' is klaar ({rows} regels).")
    except Exception as exc:
        log.exception("Export %s mislukt", export_id)
        with transaction.atomic():
            Export.objects.filter(pk=export_id).update(status=Export.Status.FAILED, finished_at=timezone.now(),
                                                       error=f"De export is mislukt ({exc.__class__.__name__}). "
                                                             "Probeer het opnieuw.")
            audit.record(actor=None, action="export.mislukt", obj=export,
                         message=f"Export '{export.get_kind_display()}' is mislukt.",
                         details={"fout": f"{exc.__class__.__name__}: {exc}"[:500]})
    export.refresh_from_db()
    return export


SHEET_COLUMNS = [("Gemeente", 28, None), ("CBS-code", 10, None), ("Provincie", 16, None), ("IZA-regio", 30, None),
                 ("Regeling", 12, None), ("Verdeling", 16, EURO_FORMAT), ("Besteding", 16, EURO_FORMAT),
                 ("Besteed (%)", 12, "0.0")]


def spending_overview_xlsx(filters: ds.Filters, progress=lambda p: None) -> tuple[bytes, int]:
    """The national spending overview: one sheet per gemeente × regulation, then the dashboard's tables per
    component, province and region. A fixed number of queries."""
    geo = ds.Geography()
    selected = geo.selected(filters)
    runs = ds.allocation_runs(filters.year)
    labels = dict(regulations.choices())
    totals = {}
    for regulation in filters.regulations:
        f = ds.Filters(year=filters.year, province=filters.province, region=filters.region, regulation=regulation)
        for m, _c, a in ds.allocations(filters.year, f, runs):
            if m in selected:
                totals.setdefault((m, regulation), [0, 0])[0] += a
        for m, _c, a in ds.spending(filters.year, f):
            if m in selected:
                totals.setdefault((m, regulation), [0, 0])[1] += a
    progress(40)
    writer = XlsxWriter()
    sheet = writer.add_sheet(f"Gemeenten {filters.year}", SHEET_COLUMNS)
    rows = 0
    for (m_id, regulation) in sorted(totals, key=lambda k: (geo.municipalities[k[0]]["name"], k[1])):
        m = geo.municipalities[m_id]
        allocated, spent = totals[(m_id, regulation)]
        share = percent(spent, allocated)
        sheet.append([m["name"], m["cbs_code"], m["province"],
                      geo.regions.get(geo.region_of.get(m_id), {}).get("name", ""), labels[regulation],
                      allocated, spent, float(share) if share is not None else None])
        rows += 1
    progress(70)
    for panel in ds._spending_tables(filters, geo):
        columns = [(c.header, c.width, EURO_FORMAT if c.kind == "euro" else ("0.0" if c.kind == "percent" else None))
                   for c in panel.table.columns]
        s = writer.add_sheet(panel.title.replace("Besteding tegenover verdeling per", "Per")[:31], columns)
        for row in panel.table.rows:
            s.append([float(v) if v is not None and not isinstance(v, (int, str)) else v for v in row])
    out = io.BytesIO()
    writer.save(out)
    progress(95)
    return out.getvalue(), rows


def exports_for(user):
    """The downloads page: one's own exports; ministry staff see their colleagues' too (with who made them)."""
    exports = Export.objects.select_related("created_by")
    if not is_ministry(user):
        exports = exports.filter(created_by=user)
    return exports.order_by("-created_at", "-id")[:200]
