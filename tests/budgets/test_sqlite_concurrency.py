"""SQLite, the embedded default of `make run`: two allocation runs at the same time both
finish instead of failing with "database is locked".

The services write in transactions that first read (lock the run row) and then write. On SQLite such a
transaction, started the default (deferred) way, cannot wait for another writer: one of two at the same time
failed at once with "database is locked". Started IMMEDIATE, the second waits (busy timeout) and both finish.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import io, threading, time
from django.core.management import call_command
from django.db import connection, transaction
from budgets.models import AllocationRun
from budgets.services import allocation_run_execute, allocation_run_start
from budgets.models import BudgetVersion, DistributionKey

for command in ("migrate", "load_reference_data"):  # in this process: each process of its own took 2-3 s to start
    call_command(command, verbosity=0, stdout=io.StringIO())
connection.close()
version = BudgetVersion.objects.order_by("-source_date", "-id").first()
key = DistributionKey.objects.get(is_default=True)
runs = [allocation_run_start(actor=None, regulation="brede_spuk", years=[2025, 2026], budget_version=version,
                             distribution_key=key, name=f"Gelijktijdig {n}") for n in (1, 2)]
barrier = threading.Barrier(2)
errors = []

def work(run):
    try:
        # What a service does: lock the row (read), then write, in one transaction; both at the same moment.
        barrier.wait(5)
        with transaction.atomic():
            AllocationRun.objects.select_for_update().get(pk=run.pk)
            time.sleep(0.3)
            AllocationRun.objects.filter(pk=run.pk).update(progress_message="Gelijktijdig")
        allocation_run_execute(run_id=run.pk)
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=work, args=(run,)) for run in runs]
for t in threads: t.start()
for t in threads: t.join(120)
print("FOUTEN", errors)
print("STATUS", sorted(AllocationRun.objects.filter(name__startswith="Gelijktijdig").values_list("status", flat=True)))
"""


def test_two_simultaneous_runs_on_sqlite_both_finish(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'spuk.sqlite3'}", SPUK_VAR_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", SCRIPT], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert "FOUTEN []" in result.stdout, result.stdout + result.stderr
    assert "STATUS ['klaar', 'klaar']" in result.stdout, result.stdout + result.stderr
