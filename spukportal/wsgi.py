import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spukportal.settings")
application = get_wsgi_application()

# Python's cyclic garbage collector, tuned for a web worker (portal policy). In benchmarks/profile_pages.py its
# collections took 7.5 % of the processor time of the load benchmark's pages, 2 % after this; that runs the pages
# through Django's test client, which makes garbage of its own. Under gunicorn (benchmarks/bench_load.py
# --capacity, side by side) the change was within the spread between runs: -3 % and -3 % in two runs, 0 and +5 %
# in two more together with {% frame_url %}.
# A worker's objects are of two kinds: what it loads once (Django, the apps, every view and URL pattern: some
# 170,000 objects that live as long as the process) and what a request makes and drops again.
# - gc.freeze() moves the first kind out of the collector's sight, so a full collection no longer walks them all;
#   the URL configuration is loaded first, which imports every view module.
# - GC_GEN0_THRESHOLD: the youngest generation is collected after this many new objects instead of 700 (Python's
#   default), so a request's objects have mostly been dropped before a collection looks at them.
# A request's objects are still freed as soon as nothing refers to them (reference counting does not wait for the
# collector); only objects in reference cycles wait for the next collection.
GC_GEN0_THRESHOLD = 5000


def settle_heap():
    """Load every view, freeze what is loaded, collect the youngest generation less often (see above)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module before the freeze
    gc.collect()
    gc.freeze()
    _gen0, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GC_GEN0_THRESHOLD, gen1, gen2)


settle_heap()
