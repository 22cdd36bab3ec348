"""gunicorn configuration of the load benchmark (benchmarks/bench_load.py): the processor time each request
costs its worker, per page. A sync worker handles one request at a time, so the process's CPU time between
pre_request and post_request is that request's (waiting for the processor or the database is not in it, which
makes the figure hold on a busy machine). One line per request in LOAD_CPU_LOG (appended by every worker):
`<wall time> <page> <cpu ms> <queries>`; the page is the X-Load-Page header the locustfile sends (else the path).
"""

import os
import time
from urllib.parse import unquote

_log = None


def post_fork(server, worker):
    global _log
    path = os.environ.get("LOAD_CPU_LOG")
    _log = open(path, "a", buffering=1) if path else None  # line-buffered: one write per request


def pre_request(worker, req):
    req._cpu_start = time.process_time()
    if _log is not None:
        from django.db import connection

        req._queries_start = _queries(connection)


def post_request(worker, req, environ, resp):
    if _log is None or not hasattr(req, "_cpu_start"):
        return
    from django.db import connection

    cpu_ms = (time.process_time() - req._cpu_start) * 1000
    page = next((unquote(v) for k, v in req.headers if k == "X-LOAD-PAGE"), req.path)
    queries = _queries(connection) - getattr(req, "_queries_start", 0)
    _log.write(f"{time.time():.3f}\t{page}\t{cpu_ms:.2f}\t{queries}\n")


_count = {"n": 0}


def _queries(connection):
    """Queries run so far by this worker, counted by a wrapper installed on first use (no DEBUG needed)."""
    if not getattr(connection, "_load_counter", False):
        def counter(execute, sql, params, many, context):
            _count["n"] += 1
            return execute(sql, params, many, context)

        connection.execute_wrappers.append(counter)
        connection._load_counter = True
    return _count["n"]
