"""A web worker (gunicorn, or `make run`'s server, through spukportal.wsgi) freezes what it loads at start-up and
collects the youngest generation less often: the cyclic garbage collector then no longer walks Django, the apps and
every view on each full collection. On the load benchmark's pages its share of the processor time fell from 7.5 %
to 2 % (benchmarks/profile_pages.py). Checked in a fresh process, as a worker starts."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, json, sys
import spukportal.wsgi as wsgi
views_loaded = "monitoring.dashboards.views" in sys.modules
from django.urls import get_resolver
patterns = get_resolver().url_patterns
tracked = {id(o) for o in gc.get_objects()}
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "threshold": gc.get_threshold(),
    "patterns_frozen": id(patterns) not in tracked,
    "views_loaded": views_loaded,
    "policy": wsgi.GC_GEN0_THRESHOLD,
}))
"""


def _start_worker_process():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "spukportal.settings"}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_worker_freezes_its_start_up_objects_after_loading_every_view():
    state = _start_worker_process()
    assert state["views_loaded"], "the URL configuration (and so every view module) is loaded before the freeze"
    assert state["patterns_frozen"], "the URL patterns are out of the collector's sight"
    assert state["frozen"] > 50_000, state["frozen"]


def test_a_worker_collects_the_youngest_generation_after_its_own_threshold():
    state = _start_worker_process()
    assert state["threshold"][0] == state["policy"] == 5000
    assert state["threshold"][1:] == [10, 10], "the older generations keep Python's defaults"
