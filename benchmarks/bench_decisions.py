"""Benchmark of the batch of decisions (issue 9): 342 brede SPUK applications with a final positive advice
(made in bulk, one per gemeente, requesting half of their allocation in the demo run), one batch run in
process (as the worker runs it), and the seconds per decision PDF and in total.
Targets: under 0.5 s per PDF, all 342 under 2 minutes on one worker.
Usage: DATABASE_URL=postgres://… .venv/bin/python benchmarks/bench_decisions.py"""

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

PER_PDF_TARGET, TOTAL_TARGET = 0.5, 120.0


def make_applications(count=342):
    """`count` applications with a final positive advice, in a new period linked to the demo run: bulk inserts
    of the rows a submitted, positively advised application has (components, amounts, the frozen version)."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from applications.models import (Application, ApplicationComponent, ApplicationPeriod, ApplicationVersion,
                                     RequestedAmount)
    from budgets.demo import DEMO_RUN_NAME
    from budgets.models import Allocation, AllocationRun, Regulation
    from budgets.selectors import selectable_components
    from regions.models import Municipality

    run = AllocationRun.objects.get(name=DEMO_RUN_NAME)
    years = [2024, 2025, 2026]
    today = timezone.localdate()
    period = ApplicationPeriod.objects.create(
        name=f"Benchmark beschikkingen {timezone.now():%Y-%m-%d %H:%M:%S.%f}", regulation=Regulation.BREDE_SPUK,
        first_year=2024, last_year=2026, opens_on=today - datetime.timedelta(days=60),
        closes_on=today - datetime.timedelta(days=1), allocation_run=run)
    actor = get_user_model().objects.get(username="ministerie")
    components = list(selectable_components(Regulation.BREDE_SPUK).order_by("number"))
    caps = {(a.municipality_id, a.component_id, a.year): a.amount
            for a in Allocation.objects.filter(run=run, year__in=years)}
    municipalities = list(Municipality.objects.order_by("cbs_code")[:count])
    now = timezone.now()
    apps = Application.objects.bulk_create([
        Application(municipality=m, period=period, regulation=Regulation.BREDE_SPUK, state="advies_positief",
                    created_by=actor, submitted_at=now, reference=f"BS-2024.{period.pk}-{m.cbs_code}-01")
        for m in municipalities])
    choices = ApplicationComponent.objects.bulk_create([
        ApplicationComponent(application=a, component=c, applied=True) for a in apps for c in components])
    amounts, snapshots = [], {a.pk: {"years": years, "components": []} for a in apps}
    for choice in choices:
        per_year = {}
        for year in years:
            amount = caps.get((choice.application.municipality_id, choice.component_id, year), 0) // 2
            per_year[str(year)] = amount
            amounts.append(RequestedAmount(choice=choice, year=year, amount=amount))
        snapshots[choice.application_id]["components"].append(
            {"id": choice.component_id, "number": choice.component.number, "name": choice.component.name,
             "applied": True, "reason": "", "amounts": per_year})
    RequestedAmount.objects.bulk_create(amounts)
    ApplicationVersion.objects.bulk_create([
        ApplicationVersion(application=a, number=1, snapshot=snapshots[a.pk], submitted_by=actor, submitted_at=now)
        for a in apps])
    return apps, actor


def main():
    from bench_allocation import setup

    setup()
    from django.core.management import call_command

    from budgets.demo import DEMO_RUN_NAME
    from budgets.models import AllocationRun

    if not AllocationRun.objects.filter(name=DEMO_RUN_NAME, status="klaar").exists():
        call_command("load_demo_data", verbosity=0, stdout=open(os.devnull, "w"))

    import spukportal.tasks  # noqa: F401  (the mail task, looked up by name after each decision)
    from applications import decision_services, decisions
    from applications.models import GrantDecision

    start = time.perf_counter()
    apps, actor = make_applications()
    print(f"{len(apps)} aanvragen met positief advies gemaakt in {time.perf_counter() - start:.1f} s")

    pdf_times = []
    real_render = decisions.letter_render

    def timed(**kwargs):
        t = time.perf_counter()
        result = real_render(**kwargs)
        pdf_times.append(time.perf_counter() - t)
        return result

    decisions.letter_render = timed
    decision_services.decisions.letter_render = timed
    import datetime

    start, start_cpu = time.perf_counter(), time.process_time()
    batch = decision_services.decision_batch_start(actor=actor, applications=apps,
                                                   decided_on=datetime.date.today())  # eager: runs on commit
    total = time.perf_counter() - start
    cpu = time.process_time() - start_cpu
    batch.refresh_from_db()
    made = GrantDecision.objects.filter(batch=batch, status="klaar").count()
    per_decision = total / max(made, 1)
    per_pdf = sum(pdf_times) / max(len(pdf_times), 1)
    pdf_sorted = sorted(pdf_times)
    print(f"reeks: {batch.get_status_display()}, {batch.done} van {batch.total}, {made} brieven klaar"
          + (f"; fout: {batch.error[:300]}" if batch.error else ""))
    print(f"pdf per beschikking: {per_pdf:.3f} s gemiddeld (mediaan {pdf_sorted[len(pdf_sorted) // 2]:.3f} s, "
          f"langzaamste {pdf_sorted[-1]:.3f} s)  (doel < {PER_PDF_TARGET} s: "
          f"{'gehaald' if per_pdf < PER_PDF_TARGET else 'NIET gehaald'})")
    print(f"per beschikking (besluit + pdf): {per_decision:.3f} s")
    print(f"totaal {made} beschikkingen: {total:.1f} s (processortijd {cpu:.1f} s)  (doel < {TOTAL_TARGET:.0f} s: "
          f"{'gehaald' if total < TOTAL_TARGET else 'NIET gehaald'})")


if __name__ == "__main__":
    main()
