"""Benchmark of the grant ledger on PostgreSQL: 342 gemeenten, each with a grant 2024–2026 (2024 per component,
15 lines; 2025 and 2026 one line), three advances and a year of spending — about 7,500 entries — then:
  position       `selectors.position` of every gemeente (342 calls), total and per call
  totals         `selectors.totals_by_recipient` (granted, one year; and spent)
  overlap check  `services.grant_conflict` of every gemeente (what each decision asks before it books)
Each figure the median of REPEAT runs, in ms. The entries are booked inside a transaction that is rolled back
(the ledger is append-only, also for a benchmark). Usage:
DATABASE_URL=postgres://… .venv/bin/python benchmarks/bench_ledger.py
"""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spukportal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/spukportal_bench")

REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
DAY = datetime.date(2024, 3, 1)
SOURCE_BASE = 900_000_000  # far above any real id: the benchmark's sources never meet real ones


def ensure_database():
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        return
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup():
    import django

    ensure_database()
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from regions.models import Municipality

    if not Municipality.objects.exists():
        call_command("load_reference_data", verbosity=0)


def median_ms(fn) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    setup()
    from django.db import transaction

    import applications.regulations  # noqa: F401  (the definitions tell the ledger its line keys)
    from budgets import ledger
    from budgets.ledger import selectors, services, sources
    from budgets.ledger.models import LedgerEntry
    from budgets.models import Component
    from regions.models import Municipality

    regulation = "brede_spuk"
    municipalities = list(Municipality.objects.order_by("pk"))
    components = list(Component.objects.filter(regulation=regulation, is_total=False).order_by("number"))
    with transaction.atomic():
        start = time.perf_counter()
        for i, m in enumerate(municipalities):
            lines = {(2024, ledger.line_key(regulation, 2024, c.pk)): 10_000 + i for c in components}
            lines.update({(2025, ""): 150_000 + i, (2026, ""): 140_000 + i})
            services.post_grant(recipient=m, regulation=regulation, lines=lines,
                                source=(sources.DECISION, SOURCE_BASE + i), booked_on=DAY)
            for year in (2024, 2025, 2026):
                services.post_advance(recipient=m, regulation=regulation, year=year, amount=100_000, due_on=DAY,
                                      source=(sources.ADVANCE, SOURCE_BASE + 3 * i + year - 2024), paid=False)
            services.post_spent(recipient=m, regulation=regulation, year=2024, line="", amount=90_000 + i,
                                source=(sources.SISA, SOURCE_BASE + i), booked_on=DAY)
        booking = (time.perf_counter() - start) * 1000
        entries = LedgerEntry.objects.count()
        print(f"booked {entries} entries for {len(municipalities)} gemeenten in {booking:.0f} ms "
              f"({booking / len(municipalities):.1f} ms per gemeente: grant, 3 advances, spending)")

        def positions():
            for m in municipalities:
                selectors.position(m, regulation)

        def totals():
            selectors.totals_by_recipient(regulation=regulation, year=2025)
            selectors.totals_by_recipient(regulation=regulation, year=2024, kind=LedgerEntry.Kind.SPENT)

        def conflicts():
            for m in municipalities:
                services.grant_conflict(recipient=m, regulation=regulation, years={2025})

        ms = median_ms(positions)
        print(f"position of {len(municipalities)} gemeenten: {ms:.0f} ms ({ms / len(municipalities):.2f} ms each)")
        print(f"totals_by_recipient (granted 2025 + spent 2024, all gemeenten): {median_ms(totals):.1f} ms")
        ms = median_ms(conflicts)
        print(f"overlap check of {len(municipalities)} gemeenten: {ms:.0f} ms ({ms / len(municipalities):.2f} ms each)")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
