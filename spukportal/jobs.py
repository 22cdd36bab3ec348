"""Starting background jobs: every long job has a row (run, report, …) with a `task_id`; the task is sent
only after the transaction that made the row commits, so a worker never looks for a row that is not there.

Services name the task instead of importing its module, so that a `tasks.py` can import its services
without an import cycle.
"""

from django.db import transaction

from .celery import app


def enqueue_after_commit(task_name: str, row) -> None:
    """After commit: run Celery task `task_name` (its registered name) with `row.pk` and note the task id on
    the row (unless an earlier attempt already did). With eager settings (`make run`) it runs right here."""

    def send():
        app.loader.import_default_modules()  # registers the apps' tasks modules in this (web) process
        result = app.tasks[task_name].delay(row.pk)
        type(row).objects.filter(pk=row.pk, task_id="").update(task_id=result.id or "")

    transaction.on_commit(send)
