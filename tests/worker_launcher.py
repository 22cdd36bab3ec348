"""Test-only Celery worker launcher (never imported by the portal): `python tests/worker_launcher.py ARGS…` runs
`celery worker ARGS…` for the portal's app, with two test knobs read from the environment:

- SPUK_TEST_PAUSE_AFTER_FIRST_COPY=<seconds> and SPUK_TEST_MARKER=<path>: an allocation run writes its first
  table of amounts (inside its transaction, not yet committed), touches the marker file and then pauses, so
  that a test can kill the worker at exactly that moment;
- SPUK_TEST_PAUSE_AFTER_LETTERS=<n> (with SPUK_TEST_MARKER): a batch of decisions renders n letters, touches
  the marker and pauses in the middle of its part, so that a test can kill the worker there;
- SPUK_TEST_VISIBILITY_TIMEOUT=<seconds>: the Redis visibility timeout of this worker (and a restore sweep at
  start-up), so that a message left unacknowledged by a killed worker is delivered again within the test.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spukportal.settings")

import django  # noqa: E402

django.setup()

from budgets import services  # noqa: E402
from spukportal.celery import app  # noqa: E402

pause = float(os.environ.get("SPUK_TEST_PAUSE_AFTER_FIRST_COPY", "0"))
if pause:
    marker = Path(os.environ["SPUK_TEST_MARKER"])
    original_bulk_insert = services.bulk_insert

    def bulk_insert_then_pause(model, columns, rows):
        original_bulk_insert(model, columns, rows)
        marker.write_text(str(os.getpid()))
        time.sleep(pause)

    services.bulk_insert = bulk_insert_then_pause

letters = int(os.environ.get("SPUK_TEST_PAUSE_AFTER_LETTERS", "0"))
if letters:
    from applications.decisions import decide as decisions

    marker, original_render, rendered = Path(os.environ["SPUK_TEST_MARKER"]), decisions.letter_render, []

    def render_then_pause(**kwargs):
        result = original_render(**kwargs)
        rendered.append(result.pk)
        if len(rendered) == letters:
            marker.write_text(str(os.getpid()))
            time.sleep(300)
        return result

    decisions.letter_render = render_then_pause

visibility = os.environ.get("SPUK_TEST_VISIBILITY_TIMEOUT")
if visibility:
    app.conf.broker_transport_options = {**app.conf.broker_transport_options,
                                         "visibility_timeout": int(visibility),
                                         "unacked_restore_interval": 1, "unacked_restore_throttle": 1}

if __name__ == "__main__":
    app.worker_main(["worker", *sys.argv[1:]])
