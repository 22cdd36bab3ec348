"""Benchmark of the dashboards at national volume: 342 gemeenten with ketenaanpak states (with
history), valpreventie figures 2023–2026, a brede SPUK application each, and a spending report per gemeente per
year 2023–2026 (tests/monitoring/factories_dashboards.py), on top of the reference and demo data. Each page is
requested REPEAT times through Django's test client (the whole request: middleware, session, selectors,
template, SVG); prints p50/p95 wall time in milliseconds, the p95 of the web process's own processor time (less
sensitive to other work on a shared machine; database time is not in it), the number of queries per page and
the machine's load. Target: p95 < 300 ms.
Everything it makes is rolled back at the end.
Usage: DATABASE_URL=postgres://… .venv/bin/python benchmarks/bench_dashboards.py"""

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

REPEAT = int(os.environ.get("BENCH_REPEAT", "40"))
TARGET_MS = 300
PAGES = [
    ("landelijk dashboard", "ministerie", "/monitoring/landelijk/", {"jaar": "2025"}),
    ("landelijk, provincie Limburg", "ministerie", "/monitoring/landelijk/", {"jaar": "2025", "provincie": "Limburg"}),
    ("landelijk, alleen SPUK IZA", "kerngroep", "/monitoring/landelijk/", {"jaar": "2024", "regeling": "spuk_iza"}),
    ("landelijk, kaart verklaringen", "ministerie", "/monitoring/landelijk/",
     {"jaar": "2025", "kaart": "kaart-regio-verklaringen"}),
    ("kaart verdeling (SVG)", "ministerie", "/monitoring/landelijk/kaart-verdeling.svg", {"jaar": "2025"}),
    ("regiodashboard Flevoland", "gemeente", "/monitoring/regio/flevoland/", {"jaar": "2025"}),
    ("monitoring gemeente Almere", "gemeente", "/monitoring/gemeente/GM0034/", {}),
    ("tabel per IZA-regio (XLSX)", "ministerie", "/monitoring/landelijk/besteding-regio.xlsx", {"jaar": "2025"}),
    ("grafiek ketenaanpak (SVG)", "ministerie", "/monitoring/landelijk/ketenaanpak.svg", {"jaar": "2025"}),
]


def main():
    from bench_allocation import setup

    setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    if not get_user_model().objects.filter(username="ministerie").exists():
        call_command("load_demo_data", verbosity=0, stdout=open(os.devnull, "w"))
    from tests.monitoring.factories_dashboards import national_volume

    with transaction.atomic():
        start = time.perf_counter()
        municipalities = national_volume()
        print(f"Landelijk volume gemaakt voor {len(municipalities)} gemeenten in {time.perf_counter() - start:.1f} s")
        clients = {}
        for label, role, url, params in PAGES:
            client = clients.get(role)
            if client is None:
                client = clients[role] = Client()
                client.force_login(get_user_model().objects.get(username=role))
            for _ in range(3):  # warm up
                assert client.get(url, params).status_code == 200, label
            queries = []
            with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
                size = len(client.get(url, params).content)
            sent = len(client.get(url, params, HTTP_ACCEPT_ENCODING="gzip").content)  # what a browser receives
            times, cpu = [], []
            for _ in range(REPEAT):
                t, c = time.perf_counter(), time.process_time()
                client.get(url, params)
                times.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
            times.sort()
            cpu.sort()
            p50 = statistics.median(times)
            p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
            cpu95 = cpu[max(0, int(round(0.95 * len(cpu))) - 1)]
            print(f"{label:30s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  (processortijd web p95 {cpu95:5.1f} ms)  "
                  f"{len(queries):3d} queries  {size / 1024:6.0f} kB ({sent / 1024:4.0f} kB gzip)  "
                  f"(doel p95 < {TARGET_MS} ms: {'gehaald' if p95 < TARGET_MS else 'NIET gehaald'})")
        print(f"belasting van de machine (load average 1 min): {os.getloadavg()[0]:.1f} op {os.cpu_count()} kernen")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
