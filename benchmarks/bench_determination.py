"""Benchmark of the ministry's "Vaststellen" batch: every gemeente (342) with a brede SPUK grant 2025–2026 in the
ledger and a final accounting (SiSa 2026, with 2025 underspent), determined in one batch (BackgroundJob) in this
process: the seconds for the batch (figures, ledger postings, audit, notices; the letters are jobs of their own)
and the seconds per letter PDF over a sample. Target: the batch for 342 gemeenten under 2 minutes on one worker.
Usage: DATABASE_URL=postgres://…/spuk_bench_x .venv/bin/python benchmarks/bench_determination.py"""

import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spukportal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/spukportal_bench")
os.environ.pop("REDIS_URL", None)  # tasks eager, in this process
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(ROOT / "var" / "bench-private"))

TOTAL_TARGET, LETTER_SAMPLE = 120.0, 20
GRANT = {2025: 1_000_000, 2026: 900_000}
SPENT = {2025: 850_000, 2026: 930_000}  # 2025: 150k unspent, 100k carried (cap), 50k reclaimed; 2026 overspent


def prepare():
    from bench_allocation import setup

    setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from budgets.ledger import services as ledger
    from budgets.ledger import sources
    from budgets.models import Regulation
    from monitoring.models import PriorGrant, SpendingReport
    from regions.models import Municipality

    User = get_user_model()
    if not User.objects.filter(username="ministerie").exists():
        call_command("load_demo_data", verbosity=0, stdout=open(os.devnull, "w"))
    ministry, officer = User.objects.get(username="ministerie"), User.objects.get(username="gemeente")
    start = time.perf_counter()
    done = set(SpendingReport.objects.filter(regulation=Regulation.BREDE_SPUK, year=2026, is_final=True)
               .values_list("municipality_id", flat=True))
    today, made = timezone.localdate(), 0
    for m in Municipality.objects.exclude(pk__in=done):
        if ledger.live_grants(m, Regulation.BREDE_SPUK):  # granted already (the demo's decisions): left as it is
            continue
        with transaction.atomic():
            grant = PriorGrant.objects.create(municipality=m, regulation=Regulation.BREDE_SPUK, year=2025,
                                              amount=GRANT[2025], reference=f"BENCH-{m.cbs_code}")
            PriorGrant.objects.create(municipality=m, regulation=Regulation.BREDE_SPUK, year=2026,
                                      amount=GRANT[2026], reference=f"BENCH-{m.cbs_code}")
            ledger.post_grant(recipient=m, regulation=Regulation.BREDE_SPUK,
                              lines={(y, ""): a for y, a in GRANT.items()}, source=(sources.PRIOR_GRANT, grant.pk),
                              booked_on=today)
            cumulative = 0
            for year in (2025, 2026):
                cumulative += SPENT[year]
                report = SpendingReport.objects.create(
                    municipality=m, regulation=Regulation.BREDE_SPUK, year=year, status="ingediend",
                    is_final=year == 2026, carry_over=100_000 if year == 2025 else 0, created_by=officer,
                    submitted_by=officer, submitted_at=timezone.now())
                report.lines.create(component=None, expenditure=SPENT[year], cumulative=cumulative)
                ledger.post_spent(recipient=m, regulation=Regulation.BREDE_SPUK, year=year, line="",
                                  amount=SPENT[year], source=(sources.SISA, report.pk), booked_on=today)
        made += 1
    print(f"{made} gemeenten met toekenning en eindverantwoording gemaakt in {time.perf_counter() - start:.1f} s")
    return ministry


def main():
    ministry = prepare()
    from budgets.models import Regulation
    from monitoring.determination import services
    from monitoring.determination.models import Determination

    preview_start = time.perf_counter()
    preview = services.batch_preview(Regulation.BREDE_SPUK)
    preview_seconds = time.perf_counter() - preview_start
    print(f"Bevestigingspagina (totalen van {preview['count']} ontvangers): {preview_seconds:.1f} s; "
          f"terug te vorderen samen € {preview['reclaim']:,}".replace(",", "."))
    batch = services.batch_start(actor=ministry, regulation=Regulation.BREDE_SPUK, letter_date=datetime.date(2027, 3, 1),
                                 expected_count=preview["count"], enqueue=False)
    start = time.perf_counter()
    batch = services.batch_run(batch_id=batch.pk, letters=False)
    seconds = time.perf_counter() - start
    print(f"Reeks vaststellingen: {batch.done} van {batch.total} in {seconds:.1f} s "
          f"({seconds / max(batch.done, 1) * 1000:.0f} ms per ontvanger); status {batch.status}; "
          f"doel < {TOTAL_TARGET:.0f} s: {'gehaald' if seconds < TOTAL_TARGET else 'NIET gehaald'}")
    sample = list(Determination.objects.filter(batch=batch).values_list("pk", flat=True)[:LETTER_SAMPLE])
    start = time.perf_counter()
    for pk in sample:
        services.letter_render(determination_id=pk)
    per_letter = (time.perf_counter() - start) / max(len(sample), 1)
    print(f"Brief (pdf): {per_letter:.2f} s per brief over {len(sample)}; alle {batch.done} brieven als losse "
          f"taken ≈ {per_letter * batch.done:.0f} s op één verwerker")


if __name__ == "__main__":
    main()
