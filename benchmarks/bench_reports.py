"""Benchmark of the national allocation report: wall time of the PDF (target < 2 s)
and of the XLSX for the demo run (342 gemeenten × 16 lines × 4 years), median of REPEAT renders.
Usage: DATABASE_URL=postgres://… .venv/bin/python benchmarks/bench_reports.py"""

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

REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
PDF_TARGET = 2.0


def main():
    from bench_allocation import setup

    setup()
    from django.core.management import call_command

    from budgets.demo import DEMO_RUN_NAME
    from budgets.models import AllocationRun

    if not AllocationRun.objects.filter(name=DEMO_RUN_NAME, status="klaar").exists():
        call_command("load_demo_data", verbosity=0, stdout=open(os.devnull, "w"))
    run = AllocationRun.objects.get(name=DEMO_RUN_NAME)
    from budgets.reports import render_pdf_report, render_xlsx

    for label, render in (("pdf", render_pdf_report), ("xlsx", render_xlsx)):
        times, cpu, size = [], [], 0
        for _ in range(REPEAT):
            start, start_cpu = time.perf_counter(), time.process_time()
            size = len(render(run))
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        median = statistics.median(times)
        note = f"  (doel < {PDF_TARGET:.0f} s: {'gehaald' if median < PDF_TARGET else 'NIET gehaald'})" if label == "pdf" else ""
        print(f"{label:5} landelijk rapport: {median:.2f} s mediaan van {REPEAT} (processortijd {statistics.median(cpu):.2f} s; "
              f"op een gedeelde machine zegt die meer), {size / 1024:.0f} kB{note}")


if __name__ == "__main__":
    main()
