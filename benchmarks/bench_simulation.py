"""Benchmark of the ministry's simulation against a run of the same inputs.

The simulation of the default key over the brede SPUK 2023–2026 of the GALA base budget (342 gemeenten × every
budget line of every year, plus the region sums), as the simulation page computes it (inputs read, amounts
computed by the run engine, per gemeente and region compared with a stored run), next to a run of exactly the same
inputs (freeze, compute, check, store every row). Prints the median of REPEAT of each, checks that the run stored
what the simulation showed (euro for euro), and the machine's load. Target: simulation < 1 s.
Usage: DATABASE_URL=postgres://… .venv/bin/python benchmarks/bench_simulation.py"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spukportal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/spukportal_bench")
os.environ.pop("REDIS_URL", None)

REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
YEARS = [2023, 2024, 2025, 2026]
TARGET_S = 1.0


def main():
    from bench_allocation import setup

    setup()
    from django.db import transaction

    from budgets import simulation
    from budgets.importers import GalaBudgetImporter
    from budgets.models import Allocation, AllocationRun, BudgetVersion, DistributionKey
    from budgets.services import KeyInputs, allocation_run_start

    key = DistributionKey.objects.get(is_default=True)
    version = BudgetVersion.objects.get(name=GalaBudgetImporter.version_name)
    draft = simulation.Draft(regulation="brede_spuk", years=YEARS, budget_version=version,
                             key=KeyInputs.of(key, regulation="brede_spuk", years=YEARS))
    with transaction.atomic():
        user = None
        run = allocation_run_start(actor=user, regulation="brede_spuk", years=YEARS, budget_version=version,
                                   distribution_key=key, name="Benchmark simulatie: vergelijking", run_now=True)
        sim_times, run_times = [], []
        for _ in range(REPEAT):
            started = time.perf_counter()
            outcome = simulation.outcome(draft, year=YEARS[-1], compare_run=run)  # computes every year
            sim_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            _snapshot, result = simulation.compute(draft)
            compute_only = time.perf_counter() - started
            started = time.perf_counter()
            stored_run = allocation_run_start(actor=user, regulation="brede_spuk", years=YEARS,
                                              budget_version=version, distribution_key=key,
                                              name=f"Benchmark simulatie {len(run_times)}", run_now=True)
            run_times.append(time.perf_counter() - started)
            assert stored_run.status == AllocationRun.Status.FINISHED, stored_run.error
        stored = {(m, c, y): a for m, c, y, a in Allocation.objects.filter(run=stored_run).values_list(
            "municipality__cbs_code", "component_id", "year", "amount")}
        simulated = {(code, c, y): a for (c, y), amounts in result.amounts.items() for code, a in amounts.items()}
        lines = len(result.amounts)
        print(f"simulatie ({lines} begrotingsregels × 342 gemeenten, 2023–2026, met vergelijking): "
              f"mediaan {statistics.median(sim_times):.3f} s  (alleen de rekenmachine: {compute_only:.3f} s)  "
              f"(doel < {TARGET_S} s: {'gehaald' if statistics.median(sim_times) < TARGET_S else 'NIET gehaald'})")
        print(f"berekening met dezelfde invoer (vastleggen, rekenen, opslaan): mediaan {statistics.median(run_times):.3f} s")
        print(f"opgeslagen bedragen gelijk aan de simulatie: {'ja' if stored == simulated else 'NEE'} "
              f"({len(stored)} bedragen); grootste stijger t.o.v. vergelijking: "
              f"{outcome['winners'][0]['diff'] if outcome['winners'] else 0} euro")
        print(f"belasting van de machine (load average 1 min): {os.getloadavg()[0]:.1f} op {os.cpu_count()} kernen")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
