"""Benchmark of the batch of decisions: 342 brede SPUK applications with a final positive advice
(made in bulk, one per gemeente, requesting half of their allocation in the demo run).

1. In this process, one application after another (tasks eager): the seconds per decision PDF.
2. On a real Celery worker as docker-compose runs it (`--concurrency=2`, Redis): the batch split into parts that
   the worker's two processes make side by side; the total from the ministry's click to "Klaar".
Targets: under 0.5 s per PDF, all 342 under 2 minutes on one worker.
Usage: DATABASE_URL=postgres://… [BENCH_REDIS_URL=redis://127.0.0.1:6379/12] .venv/bin/python benchmarks/bench_decisions.py"""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
WORKER_PHASE = "--worker" in sys.argv
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spukportal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/spukportal_bench")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
if WORKER_PHASE:
    os.environ["REDIS_URL"] = REDIS
else:
    os.environ.pop("REDIS_URL", None)  # in process: tasks run eagerly, one after another
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(ROOT / "var" / "bench-private"))

PER_PDF_TARGET, TOTAL_TARGET, COUNT = 0.5, 120.0, 342


def verdict(ok):
    return "gehaald" if ok else "NIET gehaald"


def prepare():
    from bench_allocation import setup

    setup()
    from django.core.management import call_command

    from budgets.demo import DEMO_RUN_NAME
    from budgets.models import AllocationRun

    if not AllocationRun.objects.filter(name=DEMO_RUN_NAME, status="klaar").exists():
        call_command("load_demo_data", verbosity=0, stdout=open(os.devnull, "w"))
    import spukportal.tasks  # noqa: F401  (the mail task, looked up by name after each decision)
    from django.contrib.auth import get_user_model

    from tests.applications.factories import positively_advised_in_bulk

    start = time.perf_counter()
    apps = positively_advised_in_bulk(COUNT)
    print(f"{len(apps)} aanvragen met positief advies gemaakt in {time.perf_counter() - start:.1f} s")
    return apps, get_user_model().objects.get(username="ministerie")


def in_process():
    apps, actor = prepare()
    from applications.decisions import services as decision_services, decide as decisions
    from applications.models import GrantDecision

    pdf_times, real_render = [], decisions.letter_render

    def timed(**kwargs):
        t = time.perf_counter()
        result = real_render(**kwargs)
        pdf_times.append(time.perf_counter() - t)
        return result

    decisions.letter_render = timed
    start = time.perf_counter()
    batch = decision_services.decision_batch_start(actor=actor, applications=apps,
                                                   decided_on=datetime.date.today())  # eager: runs on commit
    total = time.perf_counter() - start
    batch.refresh_from_db()
    made = GrantDecision.objects.filter(batch=batch, letter__status="klaar").count()
    per_pdf, pdf_sorted = sum(pdf_times) / max(len(pdf_times), 1), sorted(pdf_times)
    print(f"[in één proces] reeks: {batch.get_status_display()}, {made} van {batch.total} brieven klaar"
          + (f"; fout: {batch.error[:300]}" if batch.error else ""))
    print(f"pdf per beschikking: {per_pdf:.3f} s gemiddeld (mediaan {pdf_sorted[len(pdf_sorted) // 2]:.3f} s, "
          f"langzaamste {pdf_sorted[-1]:.3f} s)  (doel < {PER_PDF_TARGET} s: {verdict(per_pdf < PER_PDF_TARGET)})")
    print(f"per beschikking (besluit + pdf): {total / max(made, 1):.3f} s; {made} na elkaar: {total:.1f} s")


def on_worker():
    apps, actor = prepare()
    from applications.decisions import services as decision_services
    from applications.models import DecisionBatch, GrantDecision
    from spukportal.celery import app

    app.control.purge()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "spukportal", "worker", "--concurrency=2", "--pool=prefork",
         "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--hostname", f"bench-{os.getpid()}@%h"],
        cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=1) and time.monotonic() < deadline:
            pass
        start = time.perf_counter()
        batch = decision_services.decision_batch_start(actor=actor, applications=apps,
                                                       decided_on=datetime.date.today())
        seen = []
        while time.perf_counter() - start < 600:
            batch.refresh_from_db()
            if batch.is_done:
                break
            seen.append(batch.done)
            time.sleep(0.5)
        total = time.perf_counter() - start
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    made = GrantDecision.objects.filter(batch=batch, letter__status="klaar").count()
    print(f"[op de worker, 2 processen] reeks: {batch.get_status_display()}, {made} van {batch.total} brieven klaar, "
          f"{len(set(seen))} tussenstanden van de voortgang gezien" + (f"; fout: {batch.error[:300]}" if batch.error else ""))
    print(f"totaal {made} beschikkingen op één worker: {total:.1f} s ({total / max(made, 1):.3f} s per beschikking)"
          f"  (doel < {TOTAL_TARGET:.0f} s: {verdict(total < TOTAL_TARGET and batch.status == DecisionBatch.Status.FINISHED)})")


if __name__ == "__main__":
    if WORKER_PHASE:
        on_worker()
    else:
        in_process()
        subprocess.run([sys.executable, __file__, "--worker"], check=True)
