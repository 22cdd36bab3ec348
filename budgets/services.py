"""Every write of the budgets app. Keyword-only, atomic, with the audit event in the same transaction;
Celery work is enqueued only after commit."""

from dataclasses import dataclass
import datetime
from decimal import Decimal
import logging
import time
import traceback

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection, transaction
from django.utils import timezone

from regions.models import Municipality, MunicipalityStatistics
from regions.selectors import memberships_on
from spukportal import audit
from spukportal.dates import year_span
from spukportal.jobs import enqueue_after_commit

from . import reports, rules, run_inputs, verdeelsleutel
from .importers import OfficialAllocationParser, total_component
from .models import (Allocation, AllocationReport, AllocationRun, BudgetLine, BudgetMutation, BudgetVersion,
                     DEFAULT_REGULATION, DistributionKey, Factor, FixedAmount, KeyFactor, RegionAllocation,
                     Regulation)

log = logging.getLogger(__name__)
Status = AllocationRun.Status
COMPUTE_TASK = "budgets.tasks.compute_allocation_run"
REPORT_TASK = "budgets.tasks.generate_allocation_report"
BATCH = 5000


# --- allocation runs -------------------------------------------------------------------------------

@dataclass(frozen=True)
class KeyInputs:
    """What a run takes from a verdeelsleutel: a stored key (`KeyInputs.of`) or a draft in the simulation.
    `weights`: {factor: Decimal}; `fixed`: [{"cbs_code", "component_id", "year", "amount"}]."""

    name: str
    reference_year: int
    weights: dict
    fixed: list
    id: int | None = None
    rounding: str = DistributionKey.Rounding.LARGEST_REMAINDER

    @classmethod
    def of(cls, key, *, regulation, years) -> "KeyInputs":
        return cls(name=key.name, id=key.pk, reference_year=key.reference_year, rounding=key.rounding,
                   weights={f.factor: f.weight for f in key.factors.all()},
                   fixed=[{"cbs_code": f.municipality.cbs_code, "component_id": f.component_id, "year": f.year,
                           "amount": f.amount}
                          for f in key.fixed_amounts.filter(component__regulation=regulation, year__in=years)
                          .select_related("municipality").order_by("year", "municipality__cbs_code")])


def freeze_run_inputs(*, regulation, years, budget_version, distribution_key, reference_date) -> dict:
    """Freeze every input of a run as plain JSON. Raises ValidationError (Dutch) when inputs are missing."""
    years = sorted(set(int(y) for y in years))
    return build_run_inputs(regulation=regulation, years=years, budget_version=budget_version,
                            key=KeyInputs.of(distribution_key, regulation=regulation, years=years),
                            reference_date=reference_date)


def build_run_inputs(*, regulation, years, budget_version, key: KeyInputs, reference_date,
                     line_amounts=None) -> dict:
    """The input snapshot of a run, and of a simulation (a draft key and budget changes that are not stored):
    both are computed from it by the same `run_inputs.compute`. `line_amounts`: {(component_id, year): euros}
    replacing the budget version's amounts. Raises ValidationError (Dutch) when inputs are missing."""
    years = sorted(set(int(y) for y in years))
    line_amounts = line_amounts or {}
    lines = list(
        BudgetLine.objects.filter(version=budget_version, component__regulation=regulation, year__in=years)
        .select_related("component").order_by("year", "component__number")
    )
    errors = []
    for year in years:
        in_year = [line for line in lines if line.year == year]
        if not in_year:
            errors.append(f"Begrotingsversie '{budget_version}' heeft geen budget voor deze regeling in {year}.")
        elif any(line.component.is_total for line in in_year) and len(in_year) > 1:
            errors.append(f"Begrotingsversie '{budget_version}' heeft in {year} zowel één totaalregel als regels "
                          "per onderdeel; dat zou dubbel verdelen.")
    stats = {
        s.municipality.cbs_code: s for s in MunicipalityStatistics.objects.filter(
            reference_year=key.reference_year).select_related("municipality")
    }
    municipalities = dict(Municipality.objects.values_list("cbs_code", "pk"))
    missing = sorted(set(municipalities) - set(stats))
    if missing:
        errors.append(f"Er ontbreken statistieken (peiljaar {key.reference_year}) voor "
                      f"{len(missing)} gemeente(n), o.a. {', '.join(missing[:5])}.")
    weights = dict(key.weights)
    if not weights:
        errors.append(f"Verdeelsleutel '{key.name}' heeft geen factoren.")
    if errors:
        raise ValidationError(errors)
    memberships = memberships_on(reference_date).select_related("region", "municipality")
    regions = {}
    for m in memberships.order_by("region__name", "municipality__cbs_code"):
        regions.setdefault(str(m.region_id), {"name": m.region.name, "members": []})["members"].append(
            m.municipality.cbs_code)
    labels = dict(Factor.choices)
    return {
        "regulation": regulation,
        "years": years,
        "reference_date": reference_date.isoformat(),
        "budget_version": {"id": budget_version.pk, "name": budget_version.name, "source": budget_version.source,
                           "source_date": budget_version.source_date.isoformat()},
        "key": {"id": key.id, "name": key.name, "reference_year": key.reference_year, "rounding": key.rounding},
        "weights": {factor: str(weight) for factor, weight in weights.items()},
        "factor_labels": {factor: labels.get(factor, factor) for factor in weights},
        "lines": [{"component_id": line.component_id, "component": str(line.component), "year": line.year,
                   "amount": line_amounts.get((line.component_id, line.year), line.amount)} for line in lines],
        "fixed": sorted(key.fixed, key=lambda f: (f["year"], f["cbs_code"], f["component_id"])),
        "statistics": {code: {name: getattr(s, name) for name in weights} for code, s in sorted(stats.items())
                       if code in municipalities},
        "sources": {code: {"population": s.source_population, "disadvantage": s.source_health_disadvantage}
                    for code, s in sorted(stats.items()) if code in municipalities},
        "municipality_ids": municipalities,
        "regions": regions,
    }


def allocation_run_start(*, actor, regulation, years, budget_version, distribution_key, name="",
                         reference_date=None, run_now=False) -> AllocationRun:
    """Freeze the inputs, create the run row and compute it: on the worker after commit, or (`run_now`) here."""
    years = sorted(set(int(y) for y in years))
    reference_date = reference_date or datetime.date(years[0], 1, 1)
    snapshot = freeze_run_inputs(regulation=regulation, years=years, budget_version=budget_version,
                              distribution_key=distribution_key, reference_date=reference_date)
    try:
        run_inputs.shares_of(snapshot)
    except verdeelsleutel.AllocationError as exc:
        raise ValidationError(str(exc)) from exc
    with transaction.atomic():
        run = AllocationRun.objects.create(
            name=name or f"{Regulation(regulation).label} "
                         f"{year_span(years)}, {budget_version}, "
                         f"{distribution_key}"[:200],
            regulation=regulation, kind=AllocationRun.Kind.COMPUTED, years=years, budget_version=budget_version,
            distribution_key=distribution_key, reference_date=reference_date, input_snapshot=snapshot,
            input_fingerprint=run_inputs.fingerprint(snapshot), created_by=_user(actor),
        )
        audit.record(actor=actor, action="verdeling.gestart", obj=run, message=f"Berekening '{run}' gestart.",
                     details={"regeling": regulation, "jaren": years, "begrotingsversie": budget_version.name,
                              "verdeelsleutel": distribution_key.name, "vingerafdruk": run.input_fingerprint})
        if not run_now:
            enqueue_after_commit(COMPUTE_TASK, run)
    if run_now:
        allocation_run_execute(run_id=run.pk)
        run.refresh_from_db()
    return run


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _progress(run_id, percent, message):
    AllocationRun.objects.filter(pk=run_id).update(progress=percent, progress_message=message[:255])


def allocation_run_execute(*, run_id, task_id="") -> AllocationRun:
    """The job: compute the run from its snapshot and store every amount in one transaction. Idempotent: a
    finished run is left alone; a pending, running or failed one is (re)computed from scratch, replacing any
    rows of an earlier attempt in the same transaction, so there is never half a result."""
    run = AllocationRun.objects.get(pk=run_id)
    if run.status == Status.FINISHED or run.kind != AllocationRun.Kind.COMPUTED:
        return run
    AllocationRun.objects.filter(pk=run_id).update(
        status=Status.RUNNING, started_at=timezone.now(), finished_at=None, error="", progress=1,
        progress_message="Invoer wordt gelezen…", attempts=run.attempts + 1, **({"task_id": task_id} if task_id else {}),
    )
    try:
        def progress(done, total):
            if done == total or done % 8 == 0:
                _progress(run_id, 5 + int(60 * done / total), f"Begrotingsregel {done} van {total} verdeeld")

        started = time.perf_counter()
        result = run_inputs.compute(run.input_snapshot, progress=progress)
        compute_seconds = time.perf_counter() - started
        _check_invariants(run.input_snapshot, result)
        _progress(run_id, 70, "Bedragen worden opgeslagen…")
        with transaction.atomic():
            run = AllocationRun.objects.select_for_update().get(pk=run_id)
            if run.status == Status.FINISHED:  # another attempt finished meanwhile
                return run
            write_result(run, result)
            run.status, run.progress, run.progress_message = Status.FINISHED, 100, "Klaar"
            run.finished_at, run.compute_seconds = timezone.now(), compute_seconds
            run.save(update_fields=["status", "progress", "progress_message", "finished_at", "compute_seconds"])
            audit.record(actor=None, action="verdeling.klaar", obj=run, message=f"Berekening '{run}' is klaar.",
                         details={"regels": sum(len(v) for v in result.amounts.values()),
                                  "rekentijd_s": round(compute_seconds, 3)})
        return run
    except Exception as exc:  # the row must say why; the task may be retried
        log.exception("Verdeelberekening %s mislukt", run_id)
        reason = str(exc) if isinstance(exc, (verdeelsleutel.AllocationError, ValidationError)) else (
            f"Onverwachte fout: {exc.__class__.__name__}: {exc}")
        with transaction.atomic():
            AllocationRun.objects.filter(pk=run_id).update(
                status=Status.FAILED, finished_at=timezone.now(), error=reason[:2000],
                progress_message="Mislukt",
            )
            audit.record(actor=None, action="verdeling.mislukt", object_type="budgets.allocationrun",
                         object_id=run_id, message=f"Berekening {run_id} mislukt: {reason}"[:500],
                         details={"trace": traceback.format_exc()[-2000:]})
        return AllocationRun.objects.get(pk=run_id)


def _check_invariants(snapshot, result):
    for line in snapshot["lines"]:
        amounts = result.amounts[(line["component_id"], line["year"])]
        if sum(amounts.values()) != line["amount"] or min(amounts.values(), default=0) < 0:
            raise verdeelsleutel.AllocationError(f"{line['component']} {line['year']} telt niet op tot het budget.")


def write_result(run, result):
    """Replace the run's rows by the result (inside the caller's transaction)."""
    ids = run.input_snapshot["municipality_ids"]
    Allocation.objects.filter(run=run).delete()
    RegionAllocation.objects.filter(run=run).delete()
    rows = [(run.pk, ids[code], component_id, year, amount)
            for (component_id, year), amounts in result.amounts.items() for code, amount in amounts.items()]
    region_rows = [(run.pk, region_id, component_id, year, amount)
                   for (component_id, year), sums in result.regions.items() for region_id, amount in sums.items()]
    columns = ("run_id", "municipality_id", "component_id", "year", "amount")
    columns_region = ("run_id", "region_id", "component_id", "year", "amount")
    bulk_insert(Allocation, columns, rows)
    bulk_insert(RegionAllocation, columns_region, region_rows)


def bulk_insert(model, columns, rows):
    """COPY on PostgreSQL (fast); bulk_create in batches elsewhere (SQLite for `make run`)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        return
    model.objects.bulk_create((model(**dict(zip(columns, row))) for row in rows), batch_size=BATCH)


def allocation_run_retry(*, actor, run) -> AllocationRun:
    """Start a failed run again, or one that stands still (`AllocationRun.is_stale`: its worker is gone)."""
    with transaction.atomic():
        run = AllocationRun.objects.select_for_update().get(pk=run.pk)
        if run.status != Status.FAILED and not run.is_stale:
            raise ValidationError("Alleen een mislukte of stilstaande berekening kan opnieuw worden gestart.")
        run.status, run.progress, run.progress_message, run.error, run.task_id = Status.PENDING, 0, "", "", ""
        run.save(update_fields=["status", "progress", "progress_message", "error", "task_id"])
        audit.record(actor=actor, action="verdeling.opnieuw", obj=run, message=f"Berekening '{run}' opnieuw gestart.")
        enqueue_after_commit(COMPUTE_TASK, run)
    return run


def allocation_run_publish(*, actor, run) -> AllocationRun:
    with transaction.atomic():
        run = AllocationRun.objects.select_for_update().get(pk=run.pk)
        if run.status != Status.FINISHED:
            raise ValidationError("Alleen een afgeronde berekening kan zichtbaar worden gemaakt voor gemeenten.")
        if not run.is_published:
            run.is_published = True
            run.save(update_fields=["is_published"])
            audit.record(actor=actor, action="verdeling.gepubliceerd", obj=run,
                         message=f"Berekening '{run}' zichtbaar gemaakt voor gemeenten.")
    return run


def _finish_established_run(*, run, actor):
    """After an official table is stored: the region sums and the finished state (same transaction)."""
    reference_date = datetime.date(min(run.years), 1, 1)
    members = {}
    for region_id, code in memberships_on(reference_date).values_list(
            "region_id", "municipality__cbs_code"):
        members.setdefault(region_id, []).append(code)
    codes = dict(Municipality.objects.values_list("pk", "cbs_code"))
    per_line = {}
    for municipality_id, component_id, year, amount in run.allocations.values_list(
            "municipality_id", "component_id", "year", "amount"):
        per_line.setdefault((component_id, year), {})[codes[municipality_id]] = amount
    RegionAllocation.objects.bulk_create(
        RegionAllocation(run=run, region_id=region_id, component_id=cid, year=year, amount=amount)
        for (cid, year), amounts in per_line.items()
        for region_id, amount in verdeelsleutel.region_sums(amounts, members).items()
    )
    run.reference_date = reference_date
    run.status, run.progress, run.progress_message = Status.FINISHED, 100, "Geïmporteerd"
    run.started_at = run.finished_at = timezone.now()
    run.save()


def official_allocation_import(*, actor, file, name, regulation=DEFAULT_REGULATION, source="", publish=False,
                               dry_run=False, file_name=None):
    """Store a published table of amounts per gemeente (`file`: a path or an open binary file) as a finished
    run of kind "vastgesteld" on the regulation's one budget line. All or nothing; returns (summary, run), the
    run None for a dry run. Raises `ImportFailed` with the file and line of the first problem."""
    parser = OfficialAllocationParser()
    parsed = parser.read(file, name=file_name)
    years = sorted(parsed[0][1]["amounts"])
    total_line = total_component(regulation)
    with transaction.atomic():
        run = AllocationRun.objects.create(
            name=name, regulation=regulation, kind=AllocationRun.Kind.ESTABLISHED, status=Status.RUNNING,
            years=years, source=source, created_by=_user(actor), is_published=publish)
        Allocation.objects.bulk_create(
            Allocation(run=run, municipality=value["municipality"], component=total_line, year=year, amount=amount)
            for _, value in parsed for year, amount in value["amounts"].items())
        _finish_established_run(run=run, actor=actor)
        summary = f"{'Proefimport (niets opgeslagen)' if dry_run else 'Import'} officiële toekenningen: " \
                  f"{len(parsed)} gemeenten, {len(years)} jaar."
        audit.record(actor=actor, action="verdeling.vastgesteld_geimporteerd", obj=run,
                     message=f"Officiële tabel '{run}' geïmporteerd.",
                     details={"bron": source, "jaren": years, "bestand": parser.path.name, "gemeenten": len(parsed)})
        if dry_run:
            transaction.set_rollback(True)
    return summary, None if dry_run else run


# --- distribution keys -----------------------------------------------------------------------------

def distribution_key_create(*, actor, name, reference_year, weights: dict, description="",
                            copy_fixed_from=None, fixed=None) -> DistributionKey:
    """A new key version. `weights`: {Factor value: Decimal}; they must add up to 1. Fixed amounts: copied from
    the key `copy_fixed_from`, or `fixed` ([{cbs_code, component_id, year, amount}], from the simulation)."""
    weights = {f: Decimal(w) for f, w in weights.items() if Decimal(w) != 0}
    problem = rules.weights_problem(weights.values())
    if problem:
        raise ValidationError(problem)
    if not MunicipalityStatistics.objects.filter(reference_year=reference_year).exists():
        raise ValidationError(f"Er zijn geen statistieken met peiljaar {reference_year}.")
    with transaction.atomic():
        key = DistributionKey.objects.create(name=name, description=description, reference_year=reference_year,
                                             created_by=_user(actor))
        KeyFactor.objects.bulk_create(KeyFactor(key=key, factor=f, weight=w) for f, w in weights.items()
                                      if f in Factor.values)
        if copy_fixed_from is not None:
            FixedAmount.objects.bulk_create(
                FixedAmount(key=key, municipality_id=f.municipality_id, component_id=f.component_id, year=f.year,
                            amount=f.amount, source=f.source or f"overgenomen uit '{copy_fixed_from}'")
                for f in copy_fixed_from.fixed_amounts.all()
            )
        if fixed:
            ids = dict(Municipality.objects.values_list("cbs_code", "pk"))
            FixedAmount.objects.bulk_create(
                FixedAmount(key=key, municipality_id=ids[f["cbs_code"]], component_id=f["component_id"],
                            year=f["year"], amount=f["amount"], source="vastgelegd vanuit de simulatie")
                for f in fixed)
        audit.record(actor=actor, action="verdeelsleutel.vastgelegd", obj=key, message=f"Verdeelsleutel '{key}'.",
                     details={"gewichten": {f: str(w) for f, w in weights.items()}, "peiljaar": reference_year,
                              "vaste_bedragen_van": str(copy_fixed_from or "")})
    return key


def budget_version_amend(*, actor, based_on, name, amounts: dict, source="Simulatie ministerie",
                         description="") -> BudgetVersion:
    """A new budget version amending `based_on`: all its lines, with `amounts` ({(component_id, year): euros})
    replacing some; each change kept as a mutation."""
    if BudgetVersion.objects.filter(name=name).exists():
        raise ValidationError("Er bestaat al een begrotingsversie met deze naam.")
    with transaction.atomic():
        version = BudgetVersion.objects.create(name=name, kind=BudgetVersion.Kind.AMENDMENT, based_on=based_on,
                                               source=source, source_date=timezone.localdate(),
                                               description=description)
        lines = list(based_on.lines.select_related("component"))
        BudgetLine.objects.bulk_create(
            BudgetLine(version=version, component_id=line.component_id, year=line.year,
                       amount=amounts.get((line.component_id, line.year), line.amount)) for line in lines)
        BudgetMutation.objects.bulk_create(
            BudgetMutation(version=version, regulation=line.component.regulation, year=line.year,
                           subject=line.component.label, source=source,
                           amount=amounts[(line.component_id, line.year)] - line.amount)
            for line in lines if (line.component_id, line.year) in amounts)
        audit.record(actor=actor, action="begroting.versie_vastgelegd", obj=version,
                     message=f"Begrotingsversie '{version}' (wijzigt '{based_on}').",
                     details={"wijzigingen": {f"{c}/{y}": a for (c, y), a in amounts.items()}})
    return version


def simulation_save(*, actor, draft, key_name, budget_name="", run_name="") -> AllocationRun:
    """Store a simulated draft: a new key version (its weights, reference year and fixed amounts), a new budget
    version when amounts were changed, and start the run of exactly those inputs. All or nothing."""
    with transaction.atomic():
        budget_version = draft.budget_version
        if draft.line_amounts:
            budget_version = budget_version_amend(actor=actor, based_on=budget_version, name=budget_name,
                                                  amounts=draft.line_amounts)
        key = distribution_key_create(actor=actor, name=key_name, reference_year=draft.key.reference_year,
                                      weights=draft.key.weights, fixed=draft.key.fixed,
                                      description=f"Vastgelegd vanuit de simulatie ({draft.key.name}).")
        return allocation_run_start(actor=actor, regulation=draft.regulation, years=draft.years,
                                    budget_version=budget_version, distribution_key=key, name=run_name,
                                    reference_date=draft.reference_date)


# --- reports ---------------------------------------------------------------------------------------

def report_request(*, actor, run, format) -> AllocationReport:
    if run.status != Status.FINISHED:
        raise ValidationError("Een rapport kan alleen van een afgeronde berekening worden gemaakt.")
    if format not in AllocationReport.Format.values:
        raise ValidationError(f"Onbekend formaat '{format}'.")
    with transaction.atomic():
        # A finished run never changes: its report of a format is made once and then downloaded as stored; a
        # second request while it is being made waits for the same one. Only a failed report is made again.
        AllocationRun.objects.select_for_update().filter(pk=run.pk).first()  # two requests at once: one report
        existing = (AllocationReport.objects.filter(run=run, format=format).exclude(status=Status.FAILED)
                    .order_by("-created_at", "-id").first())
        if existing is not None and (existing.status != Status.FINISHED
                                     or (existing.file and storages["private"].exists(existing.file))):
            return existing
        report = AllocationReport.objects.create(run=run, format=format, created_by=_user(actor))
        audit.record(actor=actor, action="rapport.aangevraagd", obj=run,
                     message=f"Rapport ({report.get_format_display()}) van '{run}' aangevraagd.")
        enqueue_after_commit(REPORT_TASK, report)
    return report


def report_generate(*, report_id) -> AllocationReport:
    """The job: render the report and store it privately. Idempotent (a finished report is left alone)."""
    report = AllocationReport.objects.select_related("run").get(pk=report_id)
    if report.status == Status.FINISHED:
        return report
    AllocationReport.objects.filter(pk=report_id).update(status=Status.RUNNING, started_at=timezone.now(),
                                                         progress=5, error="")

    def progress(percent):
        AllocationReport.objects.filter(pk=report_id).update(progress=percent)

    try:
        content = reports.render(report.run, report.format, progress=progress)
        storage = storages["private"]
        name = storage.save(f"rapporten/{report.run_id}/{report.filename}", ContentFile(content))
        with transaction.atomic():
            AllocationReport.objects.filter(pk=report_id).update(
                status=Status.FINISHED, progress=100, file=name, finished_at=timezone.now())
            audit.record(actor=None, action="rapport.klaar", obj=report.run,
                         message=f"Rapport ({report.get_format_display()}) van '{report.run}' is klaar.")
    except Exception as exc:
        log.exception("Rapport %s mislukt", report_id)
        AllocationReport.objects.filter(pk=report_id).update(
            status=Status.FAILED, finished_at=timezone.now(), error=f"{exc.__class__.__name__}: {exc}"[:2000])
    report.refresh_from_db()
    return report
