"""Load test: 50 concurrent users on the officer, reviewer and ministry journeys (benchmarks/load/
locustfile.py) against gunicorn (2 workers, production settings, static files by whitenoise) and PostgreSQL
at national volume: reference data, demo data and 342 submitted applications (one per gemeente).
Prints throughput, p50/p95/p99 and failures per page, and the RSS of the gunicorn workers.
Target: p95 ≤ 300 ms for every page, 0 errors.

Accounts: every virtual user has its own account (officers of 30 different gemeenten, 10 kerngroep members,
10 ministry staff), so that nobody shares a session. Two-factor authentication stays required as in
production: the kerngroep and ministry accounts get a confirmed TOTP device whose key is written to the
accounts file, and the locustfile computes the code as an authenticator app would (one login per account,
so django-otp's replay guard is never hit). Nothing in the portal is switched off for the test.

The test talks plain HTTP to gunicorn on 127.0.0.1 as a TLS-terminating proxy would: BEHIND_PROXY=true and
every request carries `X-Forwarded-Proto: https`. Only the Secure flag of the cookies is off
(SECURE_COOKIES=false), because an HTTP client does not send Secure cookies back over http://.

Ramp-up (50 logins, each a deliberately slow password hash, and the 2FA step) is left out of the page figures:
the locustfile resets the statistics when the last user has logged in, and prints the login figures of the
ramp-up separately (they are in the locust log).

Usage:  .venv/bin/python benchmarks/bench_load.py [--reuse] [--users 50] [--run-time 120s] [--headers-only]
        (scripts/run-benchmarks runs it too; LOAD_THINK=1,3 for impatient users)
        LOAD_DATABASE_URL=postgres://…/name (default postgres://postgres@127.0.0.1:5432/spukportal_load)
"""

import argparse
import csv
import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
VENV_BIN = Path(sys.executable).parent
TARGET_P95_MS = 300
MARKER_PERIOD = "Belastingstest: 342 ingediende aanvragen"
PASSWORD = "belasting-test-wachtwoord-2026"
OFFICERS, REVIEWERS, MINISTRY = 120, 40, 40  # enough for the capacity steps (3 : 1 : 1, every user its own account)
DEFAULT_USERS = 50
# Capacity (--capacity): per mix of reading times, the steps of users (the last step is where p95 passes 300 ms).
MIXES = {"ongeduldig": ("0.05,0.2", "25,50,100,150,200,250"), "zonder leestijd": ("0,0", "4,8,16,32,48,64")}
CPU_TARGET_MS = 7
THROUGHPUT_TARGET = 150


def production_env(database_url, work_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SPUK_", "OIDC_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "spukportal.settings",
        "DATABASE_URL": database_url,
        "SPUK_PRODUCTION": "true",  # DEBUG off, 2FA required, HSTS, SSL redirect, CSP
        "DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BEHIND_PROXY": "true",
        "SECURE_COOKIES": "false",
        "STATIC_ROOT": str(work_dir / "static"),
        "PRIVATE_MEDIA_ROOT": str(work_dir / "private"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    })
    env.pop("REDIS_URL", None)  # tasks (notification mails) run eagerly; no journey starts one
    return env


def prepare_database(database_url, reuse):
    """Create (or, with --reuse, keep) the load database at national volume; returns nothing."""
    import psycopg

    base, _, name = database_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not reuse:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = False
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_data(accounts_file):
    """In this process (Django set up with the production environment): migrate, reference and demo data,
    342 submitted applications, the load-test accounts. Writes the accounts (with TOTP keys) to accounts_file."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from applications.models import Application, ApplicationPeriod

    if not ApplicationPeriod.objects.filter(name=MARKER_PERIOD).exists():
        from budgets.demo import DEMO_RUN_NAME
        from budgets.models import AllocationRun

        start = time.perf_counter()
        if not AllocationRun.objects.filter(name=DEMO_RUN_NAME, status="klaar").exists():
            call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))
            call_command("load_demo_data", verbosity=0, stdout=open(os.devnull, "w"))
        print(f"referentie- en demogegevens: {time.perf_counter() - start:.0f} s", flush=True)
        from tests.applications.factories import positively_advised_in_bulk

        apps = positively_advised_in_bulk(342)
        ApplicationPeriod.objects.filter(pk=apps[0].period_id).update(name=MARKER_PERIOD)
        # A realistic queue: a third just submitted, a third in review, a third with a positive advice.
        pks = [a.pk for a in apps]
        Application.objects.filter(pk__in=pks[0::3]).update(state="ingediend")
        Application.objects.filter(pk__in=pks[1::3]).update(state="in_beoordeling")
    accounts = make_accounts()
    Path(accounts_file).write_text(json.dumps(accounts, indent=1))
    # Planner statistics for the bulk-loaded tables, as autovacuum keeps them in production: without them
    # PostgreSQL scans every requested amount for each application's total (an application list took 10×).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    n = Application.objects.exclude(state="concept").count()
    print(f"database klaar: {n} ingediende aanvragen (alle staten na indienen), "
          f"{sum(len(accounts[k]) for k in ('officer', 'reviewer', 'ministry'))} test-accounts", flush=True)


def make_accounts():
    """Officers of OFFICERS gemeenten that have an application in the load period, REVIEWERS kerngroep members
    and MINISTRY ministry staff, each with the same password; staff with a confirmed TOTP device."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from django.db import transaction

    from applications import demo
    from applications.intake import services
    from applications.models import Application, ApplicationPeriod
    from regions.models import Municipality
    from spukportal.models import Role, RoleAssignment

    User = get_user_model()
    password = make_password(PASSWORD)  # hashed once, the same for every account
    roles = {r.code: r for r in Role.objects.all()}
    apps = list(Application.objects.filter(period__name=MARKER_PERIOD).order_by("municipality__cbs_code")
                .values_list("pk", "municipality_id", "state"))
    from budgets.demo import DEMO_RUN_NAME
    from budgets.models import AllocationRun

    accounts = {"officer": [], "reviewer": [], "ministry": [], "run": AllocationRun.objects.get(name=DEMO_RUN_NAME).pk,
                "assess": [pk for pk, _, state in apps if state in ("in_beoordeling", "advies_positief")]}
    # Officers of gemeenten without a demo application: each has its submitted application in the load period
    # and a draft (components and part of the plan filled in, as the demo's Almere) in the open period 2024–2026.
    open_period = ApplicationPeriod.objects.get(regulation="brede_spuk", name="2024–2026")
    taken = set(Application.objects.filter(period=open_period).exclude(created_by__username__startswith="last-")
                .values_list("municipality_id", flat=True))  # the demo's (a rerun finds the same gemeenten)
    apps = [a for a in apps if a[1] not in taken]
    step = max(len(apps) // OFFICERS, 1)
    for i, (pk, municipality_id, _) in enumerate(apps[::step][:OFFICERS]):
        user, _ = User.objects.update_or_create(username=f"last-gemeente-{i:02d}",
                                                defaults={"password": password, "first_name": "Last",
                                                          "last_name": f"Gemeente {i:02d}"})
        RoleAssignment.objects.filter(user=user).exclude(municipality_id=municipality_id).delete()
        RoleAssignment.objects.get_or_create(user=user, role=roles["gemeente"], municipality_id=municipality_id)
        draft = Application.objects.filter(period=open_period, municipality_id=municipality_id).first()
        if draft is None:
            with transaction.atomic():
                draft = services.application_create(actor=user, period=open_period,
                                                     municipality=Municipality.objects.get(pk=municipality_id))
                draft = demo._fill(draft, user, complete=False)
        accounts["officer"].append({"username": user.username, "application": pk, "draft": draft.pk})
    for kind, role_code, count in (("reviewer", "kerngroep", REVIEWERS), ("ministry", "ministerie", MINISTRY)):
        for i in range(count):
            user, _ = User.objects.update_or_create(username=f"last-{role_code}-{i:02d}",
                                                    defaults={"password": password, "first_name": "Last",
                                                              "last_name": f"{role_code} {i:02d}"})
            RoleAssignment.objects.get_or_create(user=user, role=roles[role_code], municipality=None)
            TOTPDevice.objects.filter(user=user).delete()
            device = TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=True)
            accounts[kind].append({"username": user.username, "totp_key": device.key})
    return accounts


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker_rss_mb(master_pid):
    """RSS in MB of each gunicorn worker (children of the master), from /proc."""
    result = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master_pid):
            result.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(result)


def worker_cpu_seconds(master_pid):
    """User + system CPU seconds used so far by the gunicorn workers (children of the master), from /proc."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == str(master_pid):  # fields after the name: state, ppid, …, utime (12), stime (13)
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def wait_until_up(port, timeout=60):
    import urllib.request

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            req = urllib.request.Request(f"http://127.0.0.1:{port}/gezondheid/",
                                         headers={"X-Forwarded-Proto": "https"})
            with urllib.request.urlopen(req, timeout=2) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.5)
    raise SystemExit("gunicorn kwam niet op")


def print_headers(port, officer):
    """The security headers as a browser behind the TLS proxy gets them: `curl -sI` of the login page, then,
    logged in, a GET of a private page (`curl -s -D - -o /dev/null`: the portal's pages answer GET only, a
    HEAD gets 405). Run with production cookies (Secure): curl does not return Secure cookies over http, so
    the session and CSRF cookies are passed on explicitly, as the browser would over https."""
    import re
    import shlex

    base, proxy = f"http://127.0.0.1:{port}", ["-H", "X-Forwarded-Proto: https"]

    def curl(*extra, show=True):
        cmd = ["curl", "-s", *proxy, *extra]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        if show:
            print("$ " + shlex.join(cmd) + "\n" + out.split("\r\n\r\n")[0].replace("\r", "") + "\n")
        return out

    curl("-I", f"{base}/inloggen/")
    page = curl("-D", "-", f"{base}/inloggen/", show=False)
    csrf = re.search(r"csrftoken=([^;]+)", page).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    login = curl("-D", "-", "-o", "/dev/null", "-H", f"Referer: https://127.0.0.1:{port}/inloggen/",
                 "-H", f"Cookie: csrftoken={csrf}", "--data-urlencode", f"csrfmiddlewaretoken={token}",
                 "--data-urlencode", f"username={officer['username']}", "--data-urlencode", f"password={PASSWORD}",
                 f"{base}/inloggen/", show=False)
    print("(het antwoord op het inloggen, alleen de cookies):")
    print("\n".join(line for line in login.replace("\r", "").splitlines() if line.lower().startswith("set-cookie"))
          + "\n")
    session = re.search(r"sessionid=([^;]+)", login).group(1)
    print(f"(ingelogd als {officer['username']}; sessie-cookie meegegeven)")
    curl("-D", "-", "-o", "/dev/null", "-H", f"Cookie: sessionid={session}; csrftoken={csrf}",
         f"{base}/aanvragen/{officer['application']}/")
    print("(zonder X-Forwarded-Proto, dus gewoon http: doorverwijzing naar https)")
    print(subprocess.run(["curl", "-sI", f"{base}/aanvragen/"], capture_output=True, text=True).stdout.replace("\r", ""))


def print_table(csv_prefix):
    rows = list(csv.DictReader(open(f"{csv_prefix}_stats.csv", encoding="utf-8")))
    print(f"\n{'pagina':<44} {'verz.':>6} {'fout':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>6}  doel p95≤{TARGET_P95_MS}")
    missed = []
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "TOTAAL"
        p95 = float(row["95%"]) if row["95%"] not in ("", "N/A") else 0.0
        ok = p95 <= TARGET_P95_MS and int(row["Failure Count"]) == 0
        if not ok and name != "TOTAAL":
            missed.append(name)
        print(f"{name[:44]:<44} {row['Request Count']:>6} {row['Failure Count']:>5} {row['50%']:>6} {row['95%']:>6} "
              f"{row['99%']:>6} {float(row['Max Response Time']):>6.0f}  {'gehaald' if ok else 'NIET'}")
    total = rows[-1]
    print(f"\ndoorvoer: {float(total['Requests/s']):.1f} verzoeken/s, fouten: {total['Failure Count']}")
    failures = Path(f"{csv_prefix}_failures.csv")
    if failures.exists() and int(total["Failure Count"]):
        print(failures.read_text()[:3000])
    return missed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reuse", action="store_true", help="keep the load database when it exists")
    parser.add_argument("--users", type=int, default=DEFAULT_USERS)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--run-time", default="120s", help="from the first spawn; the ramp-up is not counted")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep-running", action="store_true", help="leave gunicorn running (prints its port)")
    parser.add_argument("--headers-only", action="store_true",
                        help="only print the response headers (curl -sI) of the login page and a private page")
    parser.add_argument("--capacity", action="store_true",
                        help="raise the users step by step (per mix of reading times) until p95 passes 300 ms")
    parser.add_argument("--mix", action="append", choices=sorted(MIXES), help="with --capacity (default: both)")
    parser.add_argument("--step-seconds", type=float, default=30, help="with --capacity: measuring time per step")
    parser.add_argument("--workers-list", default="", help="with --capacity: e.g. 2,3,4 (default: --workers)")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="with --capacity: a checkout of the code to compare with (e.g. `git archive main`), "
                             "measured in the same run against the same database, mix by mix beside this code")
    args = parser.parse_args()
    if not (VENV_BIN / "locust").exists():
        print("locust ontbreekt: installeer de extra 'bench' (.venv/bin/pip install -e '.[bench]'); overgeslagen.")
        return
    database_url = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/spukportal_load")
    work_dir = Path(tempfile.mkdtemp(prefix="spuk-load-"))
    env = production_env(database_url, work_dir)
    if args.headers_only:
        env.pop("SECURE_COOKIES")  # production cookies (Secure) for the header check
    accounts_file = work_dir / "accounts.json"

    subprocess.run([VENV_BIN / "python", "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                   check=True)  # first: the pages (and the demo's notifications) link the hashed names
    prepare_database(database_url, args.reuse)
    os.environ.update(env)
    setup_data(accounts_file)
    if args.capacity:
        capacity(args, env, work_dir, accounts_file)
        return

    port = free_port()
    gunicorn = subprocess.Popen(
        [VENV_BIN / "gunicorn", "spukportal.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--log-level", "warning",
         "--access-logfile", str(work_dir / "access.log"), "--access-logformat", "%(m)s %(U)s %(s)s %(D)s"],
        cwd=ROOT, env=env, stdout=open(work_dir / "gunicorn.log", "w"), stderr=subprocess.STDOUT)
    try:
        wait_until_up(port)
        print(f"gunicorn op poort {port} ({args.workers} workers), RSS per worker na start: "
              f"{', '.join(f'{r:.0f}' for r in worker_rss_mb(gunicorn.pid))} MB", flush=True)
        print(f"belasting (uptime): {open('/proc/loadavg').read().split()[:3]}", flush=True)
        if args.headers_only:
            print_headers(port, json.loads(accounts_file.read_text())["officer"][0])
            return
        csv_prefix = work_dir / "locust"
        locust_env = {**env, "LOAD_ACCOUNTS": str(accounts_file)}
        peak = []
        proc = subprocess.Popen(
            [VENV_BIN / "locust", "-f", ROOT / "benchmarks" / "load" / "locustfile.py", "--headless",
             "--host", f"http://127.0.0.1:{port}", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
             "--run-time", args.run_time, "--csv", csv_prefix, "--only-summary",
             "--loglevel", "WARNING", "--stop-timeout", "5"],
            cwd=ROOT, env=locust_env, stdout=open(work_dir / "locust.log", "w"), stderr=subprocess.STDOUT)
        loads, window = [], None  # window: (worker CPU s, requests served) when the statistics were reset
        access_log = work_dir / "access.log"
        while proc.poll() is None:
            peak.append(sum(worker_rss_mb(gunicorn.pid)))
            if window is None and "Aanloop" in (work_dir / "locust.log").read_text(errors="replace"):
                window = (worker_cpu_seconds(gunicorn.pid), len(access_log.read_text().splitlines()))
            if window is not None:
                loads.append(float(open("/proc/loadavg").read().split()[0]))
            time.sleep(2)
        cpu_end, served_end = worker_cpu_seconds(gunicorn.pid), len(access_log.read_text().splitlines())
        log = (work_dir / "locust.log").read_text(errors="replace")
        ramp = log[log.find("Aanloop"):].split("\nType ")[0].strip() if "Aanloop" in log else ""
        print(ramp or "LET OP: niet alle gebruikers waren ingelogd voor het einde; de cijfers bevatten de aanloop.")
        missed = print_table(csv_prefix)
        rss = worker_rss_mb(gunicorn.pid)
        print(f"RSS gunicorn-workers na de test: {', '.join(f'{r:.0f}' for r in rss)} MB "
              f"(hoogste som tijdens de test {max(peak or [0]):.0f} MB)")
        print(f"belasting tijdens de meting (1-min load average): gemiddeld {sum(loads) / max(len(loads), 1):.2f}, "
              f"hoogste {max(loads or [0]):.2f}, na afloop {open('/proc/loadavg').read().split()[:3]}")
        if window is not None and served_end > window[1]:
            cpu_ms = (cpu_end - window[0]) * 1000 / (served_end - window[1])
            print(f"processortijd van de workers per verzoek tijdens de meting: {cpu_ms:.0f} ms "
                  f"({served_end - window[1]} verzoeken; los van wachten op de processor, dus niet afhankelijk "
                  f"van andere belasting van de machine)")
        print("doel (p95 ≤ 300 ms per pagina, 0 fouten): "
              + ("gehaald" if not missed else f"NIET gehaald voor: {', '.join(missed)}"))
        print(f"csv en logboeken: {work_dir}")
        if args.keep_running:
            print(f"gunicorn blijft draaien: pid {gunicorn.pid}, poort {port}", flush=True)
            return
    finally:
        if not args.keep_running:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(timeout=30)


def start_gunicorn(root, env, work_dir, workers, label):
    """gunicorn from the code in `root` with the CPU-per-request hooks; returns (process, port, cpu log)."""
    port, cpu_log = free_port(), work_dir / f"cpu-{label}-{workers}w.log"
    env = {**env, "LOAD_CPU_LOG": str(cpu_log)}
    proc = subprocess.Popen(
        [VENV_BIN / "gunicorn", "spukportal.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning", "-c", str(ROOT / "benchmarks" / "load" / "gunicorn_cpu.py")],
        cwd=root, env=env, stdout=open(work_dir / f"gunicorn-{label}.log", "w"), stderr=subprocess.STDOUT)
    wait_until_up(port)
    return proc, port, cpu_log


def cpu_in_window(cpu_log, start, end):
    """Per page: (requests, mean CPU ms, mean queries) of the requests the workers finished in [start, end]."""
    pages = {}
    for line in cpu_log.read_text().splitlines():
        at, page, cpu, queries = line.split("\t")
        if start <= float(at) <= end:
            pages.setdefault(page, []).append((float(cpu), int(queries)))
    return {page: (len(v), sum(c for c, _ in v) / len(v), sum(q for _, q in v) / len(v)) for page, v in pages.items()}


def run_steps(port, env, work_dir, accounts_file, mix, label, step_seconds):
    think, steps = MIXES[mix]
    out = work_dir / f"steps-{label}-{mix.replace(' ', '-')}.json"
    locust_env = {**env, "LOAD_ACCOUNTS": str(accounts_file), "LOAD_THINK": think, "LOAD_STEPS": steps,
                  "LOAD_STEP_SECONDS": str(step_seconds), "LOAD_STOP_P95": str(TARGET_P95_MS),
                  "LOAD_STEPS_OUT": str(out)}
    log = work_dir / f"locust-{label}-{mix.replace(' ', '-')}.log"
    subprocess.run(
        [VENV_BIN / "locust", "-f", ROOT / "benchmarks" / "load" / "locustfile.py", "--headless",
         "--host", f"http://127.0.0.1:{port}", "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5"],
        cwd=ROOT, env=locust_env, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    return json.loads(out.read_text()) if out.exists() else []


def _calibration_work():
    table = {}
    for i in range(300_000):
        table[i % 997] = f"{i:x}-{len(table)}"
    return sum(len(v) for v in sorted(table.values()))


def interpreter_line() -> str:
    """Which Python the workers run and how fast it runs Python here: the processor time of a fixed pure-Python
    workload (dicts, strings, sorting; the best of five). The same code gives other figures on another
    interpreter: the production image's CPython (python:3.11-slim) is built with profile-guided optimisation and
    link-time optimisation, as Debian's python3.11 is; a CPython built by pyenv without
    PYTHON_CONFIGURE_OPTS="--enable-optimizations --with-lto" is not, and ran this portal's pages a quarter slower
    on the same machine (README, Benchmarks). Compare figures only with the same interpreter and ijkgetal."""
    best = min(_timed(_calibration_work) for _ in range(5))
    shared = "libpython" in Path("/proc/self/maps").read_text() if Path("/proc/self/maps").exists() else False
    return (f"python: {os.path.realpath(sys.executable)} ({platform.python_implementation()} "
            f"{platform.python_version()}{', libpython als gedeelde bibliotheek' if shared else ''}); "
            f"ijkgetal {best * 1000:.0f} ms processortijd (vaste rekenlus, lager is sneller)")


def _timed(work):
    start = time.process_time()
    work()
    return time.process_time() - start


def capacity(args, env, work_dir, accounts_file):
    """The capacity figure: per mix, users are raised until p95 passes 300 ms; the highest throughput of a step
    with p95 ≤ 300 ms and 0 errors is the capacity, with the workers' CPU time and queries per request."""
    sides = [("na", ROOT)]
    if args.baseline:
        base_static = work_dir / "static-voor"
        subprocess.run([VENV_BIN / "python", "manage.py", "collectstatic", "--noinput", "-v0"], cwd=args.baseline,
                       env={**env, "STATIC_ROOT": str(base_static)}, check=True)
        sides.insert(0, ("voor", args.baseline))
    workers_list = [int(w) for w in (args.workers_list or str(args.workers)).split(",")]
    summary = []
    for workers in workers_list:
        servers = {}
        try:
            for label, root in sides:
                side_env = {**env, "STATIC_ROOT": str(work_dir / "static-voor")} if label == "voor" else env
                servers[label] = start_gunicorn(root, side_env, work_dir, workers, label)
            for mix in args.mix or list(MIXES):
                for label, _ in sides:  # side by side: the same mix on both, one after the other
                    proc, port, cpu_log = servers[label]
                    loads = open("/proc/loadavg").read().split()[:3]
                    print(f"\n== {label}: {workers} workers, mix '{mix}' (leestijd {MIXES[mix][0]} s), "
                          f"belasting vooraf {' '.join(loads)}", flush=True)
                    results = run_steps(port, env, work_dir, accounts_file, mix, f"{label}-{workers}w", args.step_seconds)
                    summary.append(report_steps(label, workers, mix, results, cpu_log))
        finally:
            for proc, _, _ in servers.values():
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
    print(f"\n== capaciteit (hoogste doorvoer met p95 ≤ {TARGET_P95_MS} ms en 0 fouten; "
          f"doel ≥ {THROUGHPUT_TARGET} verz./s en ≤ {CPU_TARGET_MS} ms processortijd per verzoek)")
    print(f"{'code':<5} {'workers':>7} {'mix':<16} {'gebr.':>5} {'verz./s':>8} {'p95':>5} {'cpu ms':>7} {'queries':>7}  belasting")
    for row in summary:
        print(row)
    print(interpreter_line())
    print(f"csv en logboeken: {work_dir}")


def report_steps(label, workers, mix, results, cpu_log):
    print(f"{'gebr.':>5} {'verz./s':>8} {'p50':>5} {'p95':>5} {'fout':>5} {'cpu ms/verz.':>12} {'queries/verz.':>13}  "
          f"belasting (1 min)")
    best = None
    for step in results:
        cpu = cpu_in_window(cpu_log, step["start"], step["end"])
        n = sum(c[0] for c in cpu.values())
        step["cpu_ms"] = sum(c[0] * c[1] for c in cpu.values()) / n if n else 0.0
        step["queries"] = sum(c[0] * c[2] for c in cpu.values()) / n if n else 0.0
        step["cpu_pages"] = cpu
        print(f"{step['users']:>5} {step['throughput']:>8.1f} {step['p50']:>5.0f} {step['p95']:>5.0f} "
              f"{step['failures']:>5} {step['cpu_ms']:>12.1f} {step['queries']:>13.1f}  {step.get('load', '')}")
        if step["p95"] <= TARGET_P95_MS and not step["failures"] and (best is None or
                                                                       step["throughput"] > best["throughput"]):
            best = step
    shown = best or (results[0] if results else None)
    if shown is not None:
        print(f"per pagina bij {shown['users']} gebruikers: verzoeken, p95 (ms), processortijd (ms), queries")
        for page, row in shown["pages"].items():
            requests, cpu_ms, queries = shown["cpu_pages"].get(page, (0, 0.0, 0.0))
            print(f"  {page[:44]:<44} {row['requests']:>6} {row['p95']:>6.0f} {cpu_ms:>7.1f} {queries:>6.1f}")
    if best is None:
        return (f"{label:<5} {workers:>7} {mix:<16} geen stap onder {TARGET_P95_MS} ms zonder fouten"
                + (f" (bij {shown['users']} gebruikers: {shown['cpu_ms']:.1f} ms processortijd per verzoek)"
                   if shown else ""))
    return (f"{label:<5} {workers:>7} {mix:<16} {best['users']:>5} {best['throughput']:>8.1f} {best['p95']:>5.0f} "
            f"{best['cpu_ms']:>7.1f} {best['queries']:>7.1f}  {best.get('load', '')}")


if __name__ == "__main__":
    main()
