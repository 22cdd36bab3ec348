"""Processor time and queries per page of the load benchmark's journeys, in one process, with a profile.

Every page of benchmarks/load/locustfile.py is requested as the role that uses it (logged in through the login
form and, for the staff roles, the 2FA code, as the locustfile does), with the production settings and the
national-volume database of bench_load.py. Per page: the mean processor time of the request in Django
(time.process_time, so waiting for PostgreSQL or for a busy processor is not in it), the queries and the size
of the response (gzip, as a browser asks for it). With --profile the requests run under cProfile and the
functions that cost the most are printed (all pages together, or one page with --page).

Usage:  .venv/bin/python benchmarks/profile_pages.py [--reuse [--accounts FILE]] [--repeat 20] [--profile] [--page TEXT] [--top 30]
        LOAD_DATABASE_URL=postgres://…/name (default postgres://postgres@127.0.0.1:5432/spukportal_load)
        PROFILE_CALLERS=name (with --profile): also print which functions call the functions matching name
"""

import argparse
import cProfile
import gzip
import json
import os
import pstats
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_load  # noqa: E402

CPU_TARGET_MS = bench_load.CPU_TARGET_MS
HREF_VERSION = re.compile(r'href="(/budgetten/begrotingen/\d+/)"')


def pages(accounts, client_for):
    """(role, page name, path) for every page of the journeys, in the locustfile's names."""
    officer, run = accounts["officer"][0], accounts["run"]
    assess = accounts["assess"][0]
    response = client_for("ministry").get("/budgetten/begrotingen/")
    versions = (gzip.decompress(response.content) if response.get("Content-Encoding") == "gzip"
                else response.content).decode()
    version = (HREF_VERSION.findall(versions) or ["/budgetten/begrotingen/"])[0]
    return [
        ("officer", "gemeente: startpagina", "/"),
        ("officer", "gemeente: aanvragen", "/aanvragen/"),
        ("officer", "gemeente: aanvraag (ingediend)", f"/aanvragen/{officer['application']}/"),
        ("officer", "gemeente: aanvraag (concept)", f"/aanvragen/{officer['draft']}/"),
        ("officer", "gemeente: plan van aanpak", f"/aanvragen/{officer['draft']}/plan/"),
        ("officer", "gemeente: onderdelen en bedragen", f"/aanvragen/{officer['draft']}/onderdelen/"),
        ("officer", "gemeente: meldingen", "/meldingen/"),
        ("reviewer", "kerngroep: startpagina", "/"),
        ("reviewer", "kerngroep: wachtrij (alles)", "/aanvragen/beoordeling/"),
        ("reviewer", "kerngroep: wachtrij (filter)", "/aanvragen/beoordeling/?state=in_beoordeling"),
        ("reviewer", "kerngroep: wachtrij (zoeken)", "/aanvragen/beoordeling/?q=Den"),
        ("reviewer", "kerngroep: aanvraag", f"/aanvragen/{assess}/"),
        ("reviewer", "kerngroep: beoordeling", f"/aanvragen/{assess}/beoordeling/"),
        ("ministry", "ministerie: startpagina", "/"),
        ("ministry", "ministerie: beschikkingen", "/aanvragen/beschikkingen/"),
        ("ministry", "ministerie: berekeningen", "/budgetten/berekeningen/"),
        ("ministry", "ministerie: berekening", f"/budgetten/berekeningen/{run}/"),
        ("ministry", "ministerie: toelichting gemeente", f"/budgetten/berekeningen/{run}/gemeenten/GM0363/"),
        ("ministry", "ministerie: landelijk dashboard met kaart", "/monitoring/landelijk/?kaart=kaart-verdeling"),
        ("ministry", "ministerie: begrotingen", "/budgetten/begrotingen/"),
        ("ministry", "ministerie: begroting", version),
    ]


def logged_in_client(account):
    """A test client logged in through the forms, as the locustfile's users (TOTP code for staff)."""
    from django.test import Client
    from django_otp.oath import totp

    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_ENCODING="gzip, deflate", HTTP_HOST="127.0.0.1")
    response = client.post("/inloggen/", {"username": account["username"], "next": "/",
                                          "password": bench_load.PASSWORD})
    assert response.status_code == 302, f"inloggen {account['username']}: {response.status_code}"
    if "totp_key" in account:
        response = client.post("/inloggen/code/", {"next": "/", "code": f"{totp(bytes.fromhex(account['totp_key'])):06d}"})
        assert response.status_code == 302 and "/inloggen/" not in response["Location"], "inlogcode"
    return client


class QueryCounter:
    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reuse", action="store_true", help="keep the load database when it exists")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page (after two warm-up requests)")
    parser.add_argument("--profile", action="store_true", help="print the costliest functions (cProfile)")
    parser.add_argument("--accounts", type=Path, default=None,
                        help="with --reuse: the accounts file of an earlier run (skips making the accounts again)")
    parser.add_argument("--page", default="", help="only the pages whose name contains this text")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key (cumulative, tottime)")
    args = parser.parse_args()

    database_url = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/spukportal_load")
    # With --accounts the static files are collected beside that file, once.
    work_dir = args.accounts.parent if args.accounts else Path(tempfile.mkdtemp(prefix="spuk-profile-"))
    env = bench_load.production_env(database_url, work_dir)
    if not (args.reuse and (work_dir / "static" / "staticfiles.json").exists()):
        subprocess.run([bench_load.VENV_BIN / "python", "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                       env=env, check=True)
    bench_load.prepare_database(database_url, args.reuse)
    os.environ.update(env)
    accounts_file = args.accounts or work_dir / "accounts.json"
    if not (args.reuse and accounts_file.exists()):
        bench_load.setup_data(accounts_file)
    else:
        import django

        django.setup()
    accounts = json.loads(accounts_file.read_text())

    from django.db import connection

    clients = {}

    def client_for(role):
        if role not in clients:
            # Any staff account: its TOTP code is accepted once per 30 s (replay guard), so a rerun takes another.
            pool = accounts[role]
            clients[role] = logged_in_client(pool[0] if role == "officer" else random.choice(pool))
        return clients[role]

    counter = QueryCounter()
    connection.execute_wrappers.append(counter)
    profile = cProfile.Profile(time.process_time) if args.profile else None  # processor time, as the figures
    rows = []
    for role, name, path in pages(accounts, client_for):
        if args.page and args.page not in name:
            continue
        client = client_for(role)
        for _ in range(2):  # warm-up: templates compiled, per-process caches filled
            response = client.get(path)
            assert response.status_code == 200, f"{name}: {response.status_code} {response.get('Location', '')}"
        counter.n = 0
        start = time.process_time()
        if profile:
            profile.enable()
        for _ in range(args.repeat):
            response = client.get(path)
        if profile:
            profile.disable()
        cpu_ms = (time.process_time() - start) * 1000 / args.repeat
        rows.append((name, cpu_ms, counter.n / args.repeat, len(response.content),
                     response.get("Content-Encoding", "")))
    print(f"\n{'pagina':<44} {'cpu ms':>7} {'queries':>7} {'kB':>6}  (doel ≤ {CPU_TARGET_MS} ms gemiddeld)")
    for name, cpu_ms, queries, size, encoding in rows:
        print(f"{name[:44]:<44} {cpu_ms:>7.1f} {queries:>7.1f} {size / 1024:>6.0f}{' gzip' if encoding else ''}")
    if rows:
        print(f"{'gemiddeld (elke pagina even vaak)':<44} {sum(r[1] for r in rows) / len(rows):>7.1f} "
              f"{sum(r[2] for r in rows) / len(rows):>7.1f}")
    print(f"belasting (uptime): {' '.join(open('/proc/loadavg').read().split()[:3])}; {args.repeat} verzoeken per pagina")
    print(bench_load.interpreter_line())
    if profile:
        pstats.Stats(profile).strip_dirs().sort_stats(args.sort).print_stats(args.top)
        if os.environ.get("PROFILE_CALLERS"):
            pstats.Stats(profile).sort_stats(args.sort).print_callers(os.environ["PROFILE_CALLERS"])


if __name__ == "__main__":
    main()
