"""Benchmark of the national allocation report: wall time of the PDF (target < 1 s for its one render: a finished
run's report is stored and served afterwards) and of the XLSX for the demo run (342 gemeenten × 16 lines ×
4 years), median of REPEAT renders, with the first render and the garbage collection after each render shown
apart; and a receipt's first (rendered, stored) and second (stored) download, target < 0.5 s.
On an idle 2-core machine the PDF took 2.06 s and took 1.25 s since spukportal/pdf.py pauses the collector and
renders in a fresh frame-stack chunk, and 8-15 % less since the CBS code is in the gemeente's cell (about 2,200
cells instead of 2,600). Since the report has user-agent defaults of its own (static/css/report-ua.css) and pydyf
compresses at zlib's default level instead of 9, 15 % fewer instructions (valgrind): 0.96-1.08 s over four runs on
Debian's Python 3.11 (from 1.19-1.20 s): at the target, on one side of it or the other from run to run; 0.88 s on a
faster machine (ijkgetal 50 ms). Nearly all of what is left is WeasyPrint's work per table cell.
Usage: DATABASE_URL=postgres://… .venv/bin/python benchmarks/bench_reports.py"""

import gc
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

from bench_load import interpreter_line  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
PDF_TARGET = 1.0  # the national report's first render; every other PDF < OTHER_TARGET
OTHER_TARGET = 0.5


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
        times, cpu, cleanup, size = [], [], [], 0
        for _ in range(REPEAT):
            start, start_cpu = time.perf_counter(), time.process_time()
            size = len(render(run))
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            # The garbage collector's pass over what the render left (spukportal.pdf pauses it during a PDF):
            # measured on its own instead of landing in the next render's time.
            start_cpu = time.process_time()
            gc.collect()
            cleanup.append(time.process_time() - start_cpu)
        median = statistics.median(times)
        note = f"  (doel < {PDF_TARGET:.0f} s: {'gehaald' if median < PDF_TARGET else 'NIET gehaald'})" if label == "pdf" else ""
        print(f"{label:5} landelijk rapport: {median:.2f} s mediaan van {REPEAT} "
              f"(processortijd {statistics.median(cpu):.2f} s; op een gedeelde machine zegt die meer; "
              f"eerste keer {times[0]:.2f} s, processortijd {cpu[0]:.2f} s; "
              f"opruimen daarna {statistics.median(cleanup):.2f} s), {size / 1024:.0f} kB{note}")
    receipts()
    print(f"belasting (uptime): {' '.join(open('/proc/loadavg').read().split()[:3])}")
    print(interpreter_line())


def receipts():
    """The receipt of a submitted version: its first download renders and stores it, later ones read the
    stored file (applications/intake/receipt.py)."""
    import shutil
    import tempfile

    from django.conf import settings
    from django.test import override_settings

    from applications.models import ApplicationVersion
    from applications.intake.receipt import receipt_file

    version = ApplicationVersion.objects.select_related("application", "submitted_by").order_by("pk").first()
    if version is None:
        print("ontvangstbewijs: geen ingediende versie in deze database; overgeslagen")
        return
    # An empty private storage of its own, so that the first download renders: override_settings also drops
    # the storages Django has cached (assigning settings.STORAGES did not: the receipt went to var/private,
    # and every later run read it from there instead of rendering it).
    location = tempfile.mkdtemp()
    private = {**settings.STORAGES["private"], "OPTIONS": {"location": location}}
    try:
        with override_settings(STORAGES={**settings.STORAGES, "private": private}):
            for label in ("eerste download (maken en opslaan)", "tweede download (uit de opslag)"):
                start, start_cpu = time.perf_counter(), time.process_time()
                receipt_file(version.application, version)
                took = time.perf_counter() - start
                cpu = time.process_time() - start_cpu
                print(f"ontvangstbewijs, {label}: {took:.3f} s (processortijd {cpu:.3f} s)"
                      f"  (doel < {OTHER_TARGET} s: {'gehaald' if took < OTHER_TARGET else 'NIET gehaald'})")
    finally:
        shutil.rmtree(location, ignore_errors=True)


if __name__ == "__main__":
    main()
