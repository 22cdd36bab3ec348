"""Deadline day: every gemeente (342) finishes and submits its brede SPUK application in the last hour, while
the ministry's batch jobs run on the worker.

Database (DEADLINE_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/spukportal_deadline): reference and
demo data, a period that closes today, and per gemeente an officer account and a draft with its components,
amounts, signatory and all plan sections filled in (bulk inserts, as tests/applications/factories.py does for
batches) — only the signed PDF is missing. benchmarks/load/deadline.py then walks every gemeente's last step
(log in, open the plan, autosave sections every 2–5 s, upload the signed PDF of 1–5 MB, submit, fetch the
receipt) against gunicorn with production settings, while a real Celery worker (Redis from BENCH_REDIS_URL,
default redis://127.0.0.1:6379/12) computes two allocation runs and the national spending overview.

Bounded: one journey per gemeente, DEADLINE_AUTOSAVES autosaves each, at most --max-minutes; loopback only.
Checks afterwards in the database: every application submitted, and every autosave that was answered as saved
is the section's text (0 lost autosaves). Prints p50/p95 per request kind, errors, CPU time per request
(the gunicorn hooks of bench_load), the batch jobs' outcome and the machine's load.
Targets: 0 errors, 0 lost autosaves, p95 of autosave ≤ 200 ms.

Usage: .venv/bin/python benchmarks/bench_deadline.py [--reuse] [--gemeenten 342] [--workers 3] [--max-minutes 15]
"""

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_load import (PASSWORD, VENV_BIN, cpu_in_window, free_port, prepare_database,  # noqa: E402
                        production_env, wait_until_up)

MARKER_PERIOD = "Deadlinedag: laatste uur"
AUTOSAVE_TARGET_MS = 200
SECTIONS_PER_USER = 3


def make_pdfs(work_dir, sizes_mb=(1, 2, 3, 4, 5)):
    """Real PDFs of 1–5 MB as a scanner makes them: one page with a scanned image (random grey pixels, JPEG),
    which the portal's PDF check accepts (no embedded files or active content)."""
    from PIL import Image

    paths = []
    for mb in sizes_mb:
        side = 1000
        while True:
            path = work_dir / f"ondertekend-{mb}mb.pdf"
            Image.frombytes("L", (side, side), os.urandom(side * side)).save(path, "PDF", resolution=150)
            if path.stat().st_size >= mb * 1024 * 1024 * 0.95:
                break
            side = int(side * (mb * 1024 * 1024 / path.stat().st_size) ** 0.5) + 50
        paths.append(str(path))
    return paths


def setup_data(accounts_file, count):
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from applications.models import ApplicationPeriod

    if not ApplicationPeriod.objects.filter(name=MARKER_PERIOD).exists():
        from budgets.demo import DEMO_RUN_NAME
        from budgets.models import AllocationRun

        if not AllocationRun.objects.filter(name=DEMO_RUN_NAME, status="klaar").exists():
            call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))
            call_command("load_demo_data", verbosity=0, stdout=open(os.devnull, "w"))
        drafts_in_bulk(count)
    accounts = accounts_of_drafts()
    Path(accounts_file).write_text(json.dumps(accounts))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"database klaar: {len(accounts['officer'])} concepten, elk met een eigen account", flush=True)


def drafts_in_bulk(count):
    """Per gemeente (the first `count` by CBS code) an officer and a complete draft without its signed PDF."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from applications.intake import selectors
    from applications.models import (Application, ApplicationComponent, ApplicationPeriod, PlanSection,
                                     RequestedAmount)
    from budgets.demo import DEMO_RUN_NAME
    from budgets.models import Allocation, AllocationRun, Regulation
    from budgets.selectors import selectable_components
    from regions.models import Municipality
    from spukportal.models import Role, RoleAssignment

    run = AllocationRun.objects.get(name=DEMO_RUN_NAME)
    today = timezone.localdate()
    years = (2024, 2025, 2026)
    period = ApplicationPeriod.objects.create(
        name=MARKER_PERIOD, regulation=Regulation.BREDE_SPUK, first_year=years[0], last_year=years[-1],
        opens_on=today - datetime.timedelta(days=60), closes_on=today, plan_required=True, allocation_run=run)
    User = get_user_model()
    password = make_password(PASSWORD)
    municipalities = list(Municipality.objects.order_by("cbs_code")[:count])
    users = User.objects.bulk_create([User(username=f"deadline-{m.cbs_code}", password=password, first_name="Deadline",
                                           last_name=m.name) for m in municipalities])
    role = Role.objects.get(code="gemeente")
    RoleAssignment.objects.bulk_create([RoleAssignment(user=u, role=role, municipality=m)
                                        for u, m in zip(users, municipalities)])
    components = list(selectable_components(Regulation.BREDE_SPUK).order_by("number"))
    caps = {(a.municipality_id, a.component_id, a.year): a.amount
            for a in Allocation.objects.filter(run=run, year__in=years)}
    apps = Application.objects.bulk_create([
        Application(municipality=m, period=period, regulation=Regulation.BREDE_SPUK, state="concept", created_by=u,
                    signatory_name="A. de Wethouder", signatory_role="wethouder", signed_on=today,
                    monitoring_consent=True)
        for u, m in zip(users, municipalities)])
    choices = ApplicationComponent.objects.bulk_create([
        ApplicationComponent(application=a, component=c, applied=True) for a in apps for c in components])
    RequestedAmount.objects.bulk_create([
        RequestedAmount(choice=ch, year=y, amount=caps.get((ch.application.municipality_id, ch.component_id, y), 0) // 2)
        for ch in choices for y in years])
    sections = []
    now = timezone.now()
    for a, u in zip(apps, users):
        for definition, _ in selectors.sections_of(a):
            sections.append(PlanSection(application=a, key=definition.key, version=1, updated_by=u, updated_at=now,
                                        text=f"Eerste versie van {definition.title}."))
    PlanSection.objects.bulk_create(sections)


def accounts_of_drafts():
    from applications.models import Application, PlanSection

    apps = list(Application.objects.filter(period__name=MARKER_PERIOD, state="concept")
                .select_related("created_by").order_by("pk"))
    sections = {}
    for app_id, key, version in PlanSection.objects.filter(application__in=apps).order_by("key").values_list(
            "application_id", "key", "version"):
        sections.setdefault(app_id, []).append((key, version))
    return {"officer": [{"username": a.created_by.username, "password": PASSWORD, "draft": a.pk,
                         "sections": sections[a.pk][:SECTIONS_PER_USER]} for a in apps]}


def start_batch_jobs():
    """The ministry's batch jobs, queued for the worker: two allocation runs and the national spending overview."""
    from budgets import services as budget_services
    from budgets.demo import DEMO_RUN_NAME
    from budgets.models import AllocationRun
    from monitoring.dashboards import exports as dashboard_exports
    from spukportal.models import RoleAssignment

    ministry = RoleAssignment.objects.filter(role__code="ministerie").select_related("user").first().user
    demo = AllocationRun.objects.get(name=DEMO_RUN_NAME)
    jobs = []
    for i in (1, 2):
        jobs.append(budget_services.allocation_run_start(
            actor=ministry, regulation=demo.regulation, years=demo.years, budget_version=demo.budget_version,
            distribution_key=demo.distribution_key, name=f"Deadlinedag: herberekening {i} {time.time():.0f}"))
    jobs.append(dashboard_exports.export_request(actor=ministry, parameters={"year": 2024}))
    return jobs


def batch_outcome(jobs):
    lines = []
    for job in jobs:
        job.refresh_from_db()
        took = (job.finished_at - job.started_at).total_seconds() if job.finished_at and job.started_at else None
        lines.append(f"  {job._meta.verbose_name} {job.pk}: {job.status}"
                     + (f" in {took:.1f} s" if took is not None else "") + (f" ({job.error[:100]})" if job.error else ""))
    return lines


def lost_autosaves(sent_file):
    from applications.models import Application, PlanSection

    data = json.loads(Path(sent_file).read_text())
    stored = {(a, k): t for a, k, t in PlanSection.objects.filter(
        application__period__name=MARKER_PERIOD).values_list("application_id", "key", "text")}
    # Lost: the section holds neither the last text answered as saved nor one sent after it (a request that the
    # end of the run cut off may have been saved without its answer arriving).
    lost = [(a, k) for a, k, text, later in data["sent"] if stored.get((a, k)) not in (text, *later)]
    submitted = Application.objects.filter(period__name=MARKER_PERIOD).exclude(state="concept").count()
    return data, lost, submitted


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reuse", action="store_true", help="keep the database (its drafts must still be drafts)")
    parser.add_argument("--gemeenten", type=int, default=342)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    # One gemeente starting per second: all 342 start within six minutes, ten times the even pace of the last
    # hour. At 6 per second all of them log in within one minute (a deliberately slow password hash of ~350 ms
    # each) and the two cores are saturated for minutes: then autosave waits seconds.
    parser.add_argument("--spawn-rate", type=float, default=1, help="gemeenten starting per second")
    parser.add_argument("--max-minutes", type=float, default=15)
    args = parser.parse_args()
    if not (VENV_BIN / "locust").exists():
        print("locust ontbreekt: installeer de extra 'bench'; overgeslagen.")
        return
    database_url = os.environ.get("DEADLINE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/spukportal_deadline")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
    work_dir = Path(tempfile.mkdtemp(prefix="spuk-deadline-"))
    env = {**production_env(database_url, work_dir), "REDIS_URL": redis_url}
    subprocess.run([VENV_BIN / "python", "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                   check=True)
    prepare_database(database_url, args.reuse)
    os.environ.update(env)
    accounts_file = work_dir / "accounts.json"
    setup_data(accounts_file, args.gemeenten)
    pdfs = make_pdfs(work_dir)

    port, cpu_log = free_port(), work_dir / "cpu.log"
    gunicorn = subprocess.Popen(
        [VENV_BIN / "gunicorn", "spukportal.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers",
         str(args.workers), "--log-level", "warning", "--timeout", "60",
         "-c", str(ROOT / "benchmarks" / "load" / "gunicorn_cpu.py")],
        cwd=ROOT, env={**env, "LOAD_CPU_LOG": str(cpu_log)}, stdout=open(work_dir / "gunicorn.log", "w"),
        stderr=subprocess.STDOUT)
    worker = subprocess.Popen(
        [VENV_BIN / "celery", "-A", "spukportal", "worker", "--concurrency", "1", "--loglevel", "WARNING",
         "-n", f"deadline-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=open(work_dir / "worker.log", "w"), stderr=subprocess.STDOUT)
    try:
        wait_until_up(port, timeout=300)  # /gezondheid/ answers 200 once the Celery worker answers too
        print(f"gunicorn op poort {port} ({args.workers} workers), Celery-worker (1 proces) op {redis_url}; "
              f"belasting vooraf {' '.join(open('/proc/loadavg').read().split()[:3])}", flush=True)
        jobs = start_batch_jobs()
        sent_file, csv_prefix = work_dir / "sent.json", work_dir / "deadline"
        n = len(json.loads(accounts_file.read_text())["officer"])
        start = time.time()
        loads = []
        proc = subprocess.Popen(
            [VENV_BIN / "locust", "-f", ROOT / "benchmarks" / "load" / "deadline.py", "--headless",
             "--host", f"http://127.0.0.1:{port}", "--users", str(n), "--spawn-rate", str(args.spawn_rate),
             "--run-time", f"{int(args.max_minutes * 60)}s", "--csv", csv_prefix, "--only-summary",
             "--loglevel", "WARNING", "--stop-timeout", "10"],
            cwd=ROOT, stdout=open(work_dir / "locust.log", "w"), stderr=subprocess.STDOUT,
            env={**env, "LOAD_ACCOUNTS": str(accounts_file), "DEADLINE_PDFS": json.dumps(pdfs),
                 "DEADLINE_SENT": str(sent_file)})
        while proc.poll() is None:
            loads.append(float(open("/proc/loadavg").read().split()[0]))
            time.sleep(2)
        end = time.time()
        rows = list(csv.DictReader(open(f"{csv_prefix}_stats.csv", encoding="utf-8")))
        print(f"\n{n} gemeenten in {end - start:.0f} s\n{'verzoek':<34} {'aantal':>6} {'fout':>5} {'p50':>6} {'p95':>6} "
              f"{'max':>6} {'cpu ms':>7} {'queries':>7}")
        cpu = cpu_in_window(cpu_log, start, end)
        autosave_p95 = None
        for row in rows:
            name = row["Name"] if row["Name"] != "Aggregated" else "TOTAAL"
            c = cpu.get(name, (0, 0.0, 0.0))
            print(f"{name[:34]:<34} {row['Request Count']:>6} {row['Failure Count']:>5} {row['50%']:>6} "
                  f"{row['95%']:>6} {float(row['Max Response Time']):>6.0f} {c[1]:>7.1f} {c[2]:>7.1f}")
            if name == "autosave plansectie":
                autosave_p95 = float(row["95%"])
        errors = int(rows[-1]["Failure Count"])
        failures = Path(f"{csv_prefix}_failures.csv")
        if errors and failures.exists():
            print(failures.read_text()[:3000])
        data, lost, submitted = lost_autosaves(sent_file)
        print(f"\nrondes afgemaakt (tot en met het ontvangstbewijs): {data.get('journeys_done', 0)} van {n}")
        print(f"ingediend: {submitted} van {n}; autosaves opgeslagen volgens het antwoord: {len(data['sent'])} "
              f"laatste teksten gecontroleerd, {len(lost)} verloren; geweigerd (conflict of fout): "
              f"{data['autosave_refused']}")
        print("achtergrondtaken op de worker:\n" + "\n".join(batch_outcome(jobs)))
        print(f"belasting tijdens de run (1-min load average): gemiddeld {sum(loads) / max(len(loads), 1):.2f}, "
              f"hoogste {max(loads or [0]):.2f}")
        ok = not errors and not lost and submitted == n and autosave_p95 is not None and autosave_p95 <= AUTOSAVE_TARGET_MS
        print(f"doel (0 fouten, 0 verloren autosaves, alle {n} ingediend, p95 autosave ≤ {AUTOSAVE_TARGET_MS} ms): "
              + ("gehaald" if ok else "NIET gehaald"))
        print(f"logboeken: {work_dir}")
    finally:
        for p in (gunicorn, worker):
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    main()
