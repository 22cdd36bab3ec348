"""Benchmark of the national SiSa batch: a submitted brede SPUK 2024 report for every one of the
342 gemeenten (made in bulk, 15 component lines each, as the demo's Almere report), then one national batch
run in process (as the worker runs it: every PDF made, the ZIP and the national XLSX written), with the
seconds per SiSa PDF and in total. Targets: all 342 under 2 minutes on one worker.
Usage: DATABASE_URL=postgres://… .venv/bin/python benchmarks/bench_sisa.py"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spukportal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/spukportal_bench")
os.environ.pop("REDIS_URL", None)  # in process: tasks run eagerly, as one worker would run them
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(ROOT / "var" / "bench-private"))

YEAR = 2024
TOTAL_TARGET = 120.0


def make_reports():
    """A submitted 2024 report with 15 lines for every gemeente that has none (idempotent across runs)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from budgets.models import Component, Regulation
    from monitoring.models import SpendingLine, SpendingReport
    from regions.models import Municipality

    actor = get_user_model().objects.get(username="ministerie")
    have = set(SpendingReport.objects.filter(year=YEAR, regulation=Regulation.BREDE_SPUK)
               .values_list("municipality_id", flat=True))
    components = list(Component.objects.filter(regulation=Regulation.BREDE_SPUK, is_total=False).order_by("number"))
    now = timezone.now()
    reports = SpendingReport.objects.bulk_create([
        SpendingReport(municipality=m, regulation=Regulation.BREDE_SPUK, year=YEAR, status="ingediend",
                       submitted_at=now, submitted_by=actor, created_by=actor,
                       explanation="Benchmark: enkele activiteiten zijn later gestart dan gepland.")
        for m in Municipality.objects.exclude(pk__in=have)])
    SpendingLine.objects.bulk_create([
        SpendingLine(report=r, component=c, expenditure=10_000 * c.number, cumulative=10_000 * c.number)
        for r in reports for c in components])
    return SpendingReport.objects.filter(year=YEAR, status="ingediend").count()


def main():
    from bench_allocation import setup

    setup()
    from django.core.management import call_command

    from monitoring.models import SisaAppendix, SpendingReport

    if not SpendingReport.objects.exists():
        call_command("load_demo_data", verbosity=0, stdout=open(os.devnull, "w"))

    from django.contrib.auth import get_user_model

    from monitoring.accountability import batch as sisa_batch, pdf as sisa_pdf
    from monitoring.models import SisaBatch

    start = time.perf_counter()
    count = make_reports()
    print(f"{count} ingediende verantwoordingen {YEAR} klaar in {time.perf_counter() - start:.1f} s")
    # Every PDF made again (a run reuses finished PDFs: that is the re-run, not what is measured here).
    SisaAppendix.objects.filter(report__year=YEAR, report__status="ingediend").update(status="wachtrij", file="")

    pdf_times = []
    real_render = sisa_pdf.render

    def timed(*args, **kwargs):
        t = time.perf_counter()
        result = real_render(*args, **kwargs)
        pdf_times.append(time.perf_counter() - t)
        return result

    sisa_pdf.render = timed
    actor = get_user_model().objects.get(username="ministerie")
    start, start_cpu = time.perf_counter(), time.process_time()
    batch = sisa_batch.batch_start(actor=actor, year=YEAR)  # eager: runs on commit
    total = time.perf_counter() - start
    cpu = time.process_time() - start_cpu
    batch = SisaBatch.objects.get(pk=batch.pk)
    per_pdf = sum(pdf_times) / max(len(pdf_times), 1)
    ordered = sorted(pdf_times) or [0.0]
    print(f"set: {batch.get_status_display()}, {batch.done} van {batch.total} bijlagen"
          + (f"; fout: {batch.error[:300]}" if batch.error else ""))
    print(f"pdf per verantwoording: {per_pdf:.3f} s gemiddeld (mediaan {ordered[len(ordered) // 2]:.3f} s, "
          f"langzaamste {ordered[-1]:.3f} s)")
    print(f"totaal {batch.done} bijlagen + ZIP + XLSX: {total:.1f} s (processortijd {cpu:.1f} s)  "
          f"(doel < {TOTAL_TARGET:.0f} s: {'gehaald' if total < TOTAL_TARGET else 'NIET gehaald'})")
    start = time.perf_counter()
    again = sisa_batch.batch_start(actor=actor, year=YEAR)
    again = SisaBatch.objects.get(pk=again.pk)
    print(f"opnieuw (zelfde set, klare pdf's hergebruikt): {time.perf_counter() - start:.1f} s, "
          f"{again.done} van {again.total}, sets voor {YEAR}: {SisaBatch.objects.filter(year=YEAR).count()}")


if __name__ == "__main__":
    main()
