"""Benchmark of a full allocation run on PostgreSQL (figures for the issue's performance target).

A run of 342 gemeenten × 16 budget lines (the 15 brede SPUK components and the IZA line) × 4 years, plus
the IZA-regio sums, computed from its frozen snapshot and stored. Prints the median wall time (of REPEAT
runs) of:
  compute      the pure computation (budgets.verdeelsleutel) of all amounts and region sums
  whole run    freezing the inputs, creating the run row, computing, checking and storing every row
  bare insert  inserting the same rows (precomputed) into the same tables with COPY, nothing else
and the ratio whole run / bare insert. Usage: DATABASE_URL=postgres://… .venv/bin/python benchmarks/bench_allocation.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spukportal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/spukportal_bench")

REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
YEARS = [2023, 2024, 2025, 2026]
VERSION_NAME = "Benchmark: 16 begrotingsregels × 4 jaar"


def ensure_database():
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        return
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup():
    import django

    ensure_database()
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from regions.models import Municipality

    if not Municipality.objects.exists():
        call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))


def benchmark_version():
    from budgets.importers import GalaBudgetImporter
    from budgets.models import BudgetLine, BudgetVersion, Component

    version = BudgetVersion.objects.filter(name=VERSION_NAME).first()
    if version is None:
        base = BudgetVersion.objects.get(name=GalaBudgetImporter.version_name)
        version = BudgetVersion.objects.create(name=VERSION_NAME, kind="wijziging", based_on=base,
                                               source="benchmark", source_date=base.source_date)
        existing = {(l.component_id, l.year): l.amount for l in base.lines.all()}
        BudgetLine.objects.bulk_create(
            BudgetLine(version=version, component=c, year=y, amount=existing.get((c.pk, y)) or 10_000_000)
            for c in Component.objects.filter(is_total=False) for y in YEARS
        )
    return version


def snapshot_16_lines(version, key):
    """The brede SPUK snapshot with the IZA lines added: 16 lines per year over the same key and statistics."""
    import datetime

    from budgets.services import freeze_run_inputs

    reference_date = datetime.date(YEARS[0], 1, 1)
    brede = freeze_run_inputs(regulation="brede_spuk", years=YEARS, budget_version=version, distribution_key=key,
                           reference_date=reference_date)
    iza = freeze_run_inputs(regulation="spuk_iza", years=YEARS, budget_version=version, distribution_key=key,
                         reference_date=reference_date)
    brede["lines"] += iza["lines"]
    return brede


def whole_run(version, key):
    """What allocation_run_start(run_now=True) does, with the 16-line snapshot."""
    from django.db import transaction

    from budgets import run_inputs
    from budgets.models import AllocationRun
    from budgets.services import allocation_run_execute

    started = time.perf_counter()
    snapshot = snapshot_16_lines(version, key)
    with transaction.atomic():
        run = AllocationRun.objects.create(name="Benchmark", regulation="brede_spuk", years=YEARS,
                                           budget_version=version, distribution_key=key, input_snapshot=snapshot,
                                           input_fingerprint=run_inputs.fingerprint(snapshot))
    run = allocation_run_execute(run_id=run.pk)
    elapsed = time.perf_counter() - started
    assert run.status == "klaar", run.error
    return elapsed, run


def bare_insert(run, result):
    from django.db import transaction

    from budgets.models import Allocation, AllocationRun, RegionAllocation
    from budgets.services import bulk_insert

    ids = run.input_snapshot["municipality_ids"]
    target = AllocationRun.objects.create(name="Benchmark (kaal)", regulation="brede_spuk", status="klaar")
    rows = [(target.pk, ids[c], cid, y, a) for (cid, y), per in result.amounts.items() for c, a in per.items()]
    region_rows = [(target.pk, r, cid, y, a) for (cid, y), per in result.regions.items() for r, a in per.items()]
    started = time.perf_counter()
    with transaction.atomic():
        bulk_insert(Allocation, ("run_id", "municipality_id", "component_id", "year", "amount"), rows)
        bulk_insert(RegionAllocation, ("run_id", "region_id", "component_id", "year", "amount"), region_rows)
    elapsed = time.perf_counter() - started
    target.delete()
    return elapsed, len(rows), len(region_rows)


def main():
    setup()
    from django.db import connection

    from budgets import run_inputs
    from budgets.models import AllocationRun, DistributionKey

    key = DistributionKey.objects.get(is_default=True)
    version = benchmark_version()
    snapshot = snapshot_16_lines(version, key)
    compute, whole, bare = [], [], []
    for _ in range(REPEAT):
        started = time.perf_counter()
        result = run_inputs.compute(snapshot)
        compute.append(time.perf_counter() - started)
        elapsed, run = whole_run(version, key)
        whole.append(elapsed)
        elapsed, n_rows, n_region_rows = bare_insert(run, result)
        bare.append(elapsed)
        run.delete()
    AllocationRun.objects.filter(name__startswith="Benchmark").delete()
    c, w, b = (statistics.median(x) for x in (compute, whole, bare))
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}); median of {REPEAT} runs")
    print(f"rows: {n_rows} amounts (342 gemeenten × {len(snapshot['lines']) // len(YEARS)} lines × {len(YEARS)} "
          f"years) + {n_region_rows} region sums")
    print(f"compute:     {c:.3f} s")
    print(f"whole run:   {w:.3f} s  (target < 2 s)")
    print(f"bare insert: {b:.3f} s  (COPY of the same rows)")
    print(f"ratio whole run / bare insert: {w / b:.2f}  (target ≤ 2)")


if __name__ == "__main__":
    main()
