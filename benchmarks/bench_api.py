"""Benchmark of the open API's allocation endpoint (/api/v1/verdelingen/<id>/bedragen/) for all 342 gemeenten:
one year of the official table (VWS, 342 rows), one year of the demo computation in one page (342 rows × its
components), the same as CSV, a default page of 100 rows, and a conditional GET answered with 304. Each request
goes through Django's test client (the whole request: middleware, authentication, throttling, filter,
serializer, renderer, ETag) REPEAT times; prints p50/p95 wall time in milliseconds, the number of queries, the
rows per answer, the p95 of the process's own processor time (less sensitive to other work on a shared machine;
database time is not in it) and the machine's load. Target: p95 < 100 ms.
Usage: DATABASE_URL=postgres://… .venv/bin/python benchmarks/bench_api.py"""

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

REPEAT = int(os.environ.get("BENCH_REPEAT", "60"))
TARGET_MS = 100


def _p95(values):
    values = sorted(values)
    return values[max(0, int(round(0.95 * len(values))) - 1)]


def main():
    from bench_allocation import setup

    setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from budgets.demo import DEMO_RUN_NAME, OFFICIAL_RUN_NAME
    from budgets.models import AllocationRun

    settings.ALLOWED_HOSTS = ["*"]
    settings.API_THROTTLE_RATES = {"token": "1000000/min", "anoniem": "1000000/min"}  # measure, not throttle
    if not get_user_model().objects.filter(username="ministerie").exists():
        call_command("load_demo_data", verbosity=0, stdout=open(os.devnull, "w"))
    official = AllocationRun.objects.get(name=OFFICIAL_RUN_NAME)
    demo = AllocationRun.objects.get(name=DEMO_RUN_NAME)
    requests = [
        ("officiële tabel 2025, 342 gemeenten (JSON)", f"/api/v1/verdelingen/{official.pk}/bedragen/",
         {"jaar": 2025, "per_pagina": 1000}, {}),
        ("officiële tabel 2025, 342 gemeenten (CSV)", f"/api/v1/verdelingen/{official.pk}/bedragen/",
         {"jaar": 2025, "per_pagina": 1000}, {"HTTP_ACCEPT": "text/csv"}),
        ("berekening 2025, 342 gemeenten (JSON)", f"/api/v1/verdelingen/{demo.pk}/bedragen/",
         {"jaar": 2025, "per_pagina": 5000}, {}),
        ("berekening, eerste pagina (100 rijen)", f"/api/v1/verdelingen/{demo.pk}/bedragen/", {}, {}),
        ("één gemeente, alle jaren", f"/api/v1/verdelingen/{demo.pk}/bedragen/", {"gemeente": "GM0034"}, {}),
    ]
    client = Client()
    for label, url, params, headers in requests:
        first = client.get(url, params, **headers)
        assert first.status_code == 200, (label, first.status_code)
        rows = int(first["X-Total-Count"]) if "X-Total-Count" in first else "?"
        for _ in range(3):  # warm up
            client.get(url, params, **headers)
        queries = []
        with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
            client.get(url, params, **headers)
        times, cpu = [], []
        for _ in range(REPEAT):
            t, c = time.perf_counter(), time.process_time()
            client.get(url, params, **headers)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        p50, p95 = statistics.median(times), _p95(times)
        print(f"{label:45s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  (processortijd p95 {_p95(cpu):5.1f} ms)  "
              f"{len(queries):2d} queries  {rows} rijen  "
              f"{len(first.content) // 1024} kB  (doel p95 < {TARGET_MS} ms: "
              f"{'gehaald' if p95 < TARGET_MS else 'NIET gehaald'})")
        if label.startswith("officiële tabel 2025, 342 gemeenten (JSON)"):
            times = []
            for _ in range(REPEAT):
                t = time.perf_counter()
                assert client.get(url, params, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
                times.append((time.perf_counter() - t) * 1000)
            print(f"{'  dezelfde, voorwaardelijk (304)':45s} p50 {statistics.median(times):6.1f} ms  "
                  f"p95 {_p95(times):6.1f} ms")
    print(f"belasting van de machine (load average 1 min): {os.getloadavg()[0]:.1f} op {os.cpu_count()} kernen")


if __name__ == "__main__":
    main()
