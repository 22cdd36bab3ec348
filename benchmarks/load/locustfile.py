"""Locust scenario: the officer's, the reviewer's and the ministry's journeys through the portal.

Run by benchmarks/bench_load.py, which prepares the database at national volume, the accounts (file named by
LOAD_ACCOUNTS: officers with their application, kerngroep and ministry staff with their TOTP key) and gunicorn.
Every virtual user logs in once with its own account (password, then the 2FA code for the staff roles, as
production requires), then walks its journey with 3–10 s of reading time between pages.
Requests carry `X-Forwarded-Proto: https` (gunicorn sits behind a TLS-terminating proxy) and, for POSTs,
a same-origin Referer as a browser sends it over HTTPS.
"""

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from urllib.parse import quote

import gevent
from locust import FastHttpUser, LoadTestShape, between, events, task

ACCOUNTS = json.load(open(os.environ["LOAD_ACCOUNTS"], encoding="utf-8"))
_next = {kind: itertools.count() for kind in ("officer", "reviewer", "ministry")}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HREF = re.compile(r'href="(/[^"#?]*)"')
PROXY = {"X-Forwarded-Proto": "https"}


def totp(key_hex, at=None, step=30, digits=6):
    """The code an authenticator app shows now (RFC 6238, SHA-1, as django-otp's TOTPDevice defaults)."""
    counter = int((at or time.time()) // step)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 10 ** digits
    return f"{code:0{digits}d}"


_logged_in = itertools.count(1)


SETTLE_SECONDS = 10


def _logged_in_one(environment):
    if STEPS:
        _step["logged_in"] += 1
        return
    _logged_in_ramp(environment)


def _logged_in_ramp(environment):
    """SETTLE_SECONDS after the last virtual user has logged in (the queue of the 50 logins drained), the
    ramp-up's figures (logins included) are printed to the log and reset: the page figures are those of all
    users on their journeys."""
    if next(_logged_in) == environment.parsed_options.num_users:
        gevent.spawn_later(SETTLE_SECONDS, _reset, environment)


def _reset(environment):
    stats = environment.stats
    lines = [f"Aanloop (tot {SETTLE_SECONDS} s na de laatste login), per verzoek: aantal, fouten, p50, p95, max (ms):"]
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        lines.append(f"  {entry.name}: {entry.num_requests}, {entry.num_failures}, "
                     f"{entry.get_response_time_percentile(0.5):.0f}, "
                     f"{entry.get_response_time_percentile(0.95):.0f}, {entry.max_response_time:.0f}")
    print("\n".join(lines), flush=True)
    stats.reset_all()


class PortalUser(FastHttpUser):
    """FastHttpUser (geventhttpclient) rather than HttpUser (requests): locust shares the two cores with the
    workers and PostgreSQL, and this client takes a fraction of the processor time per request (the locust
    documentation's advice for load generators). It asks for gzip as a browser does."""

    abstract = True
    default_headers = PROXY
    # A user reads a page before the next click: 3–10 s between pages (every page of a task too). LOAD_THINK
    # ("1,3") makes the users impatient, to find the point where the two workers saturate.
    wait_time = between(*[float(x) for x in os.environ.get("LOAD_THINK", "3,10").split(",")])
    kind = ""

    def on_start(self):
        pool = ACCOUNTS[self.kind]
        self.account = pool[next(_next[self.kind]) % len(pool)]
        self.login()
        _logged_in_one(self.environment)

    def _referer(self, path):
        return {"Referer": f"https://{self.host.split('://', 1)[1]}{path}"}

    def _csrf(self, response):
        match = CSRF.search(response.text)
        return match.group(1) if match else ""

    def login(self):
        page = self.client.get("/inloggen/", name="inloggen (formulier)")
        with self.client.post("/inloggen/", name="inloggen", catch_response=True, allow_redirects=False,
                              headers=self._referer("/inloggen/"),
                              data={"csrfmiddlewaretoken": self._csrf(page), "next": "/",
                                    "username": self.account["username"],
                                    "password": "belasting-test-wachtwoord-2026"}) as r:
            if r.status_code != 302:
                r.failure(f"inloggen: {r.status_code}")
                return
        if "totp_key" in self.account:
            page = self.client.get("/inloggen/code/?next=/", name="inlogcode (formulier)")
            with self.client.post("/inloggen/code/", name="inlogcode", catch_response=True, allow_redirects=False,
                                  headers=self._referer("/inloggen/code/"),
                                  data={"csrfmiddlewaretoken": self._csrf(page), "next": "/",
                                        "code": totp(self.account["totp_key"])}) as r:
                if r.status_code != 302 or "/inloggen/" in r.headers.get("Location", ""):
                    r.failure(f"inlogcode: {r.status_code} {r.headers.get('Location', '')}")

    def page(self, path, name):
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False,
                             headers={"X-Load-Page": quote(name)}) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} {r.headers.get('Location', '')}")
            return r


class Officer(PortalUser):
    """A municipal officer: start page, own applications, the application, plan, components, notifications."""

    kind = "officer"
    weight = 3

    @task(3)
    def start_page(self):
        self.page("/", "gemeente: startpagina")

    @task(3)
    def applications(self):
        self.page("/aanvragen/", "gemeente: aanvragen")

    @task(2)
    def application(self):
        self.page(f"/aanvragen/{self.account['application']}/", "gemeente: aanvraag (ingediend)")

    @task(4)
    def draft(self):
        pk = self.account["draft"]
        self.page(f"/aanvragen/{pk}/", "gemeente: aanvraag (concept)")
        self.wait()
        self.page(f"/aanvragen/{pk}/plan/", "gemeente: plan van aanpak")
        self.wait()
        self.page(f"/aanvragen/{pk}/onderdelen/", "gemeente: onderdelen en bedragen")

    @task(1)
    def notifications(self):
        self.page("/meldingen/", "gemeente: meldingen")


QUEUE_FILTERS = ["", "?state=ingediend", "?state=in_beoordeling", "?unassigned=on", "?mine=on",
                 "?province=Gelderland", "?regulation=brede_spuk&sort=-submitted", "?pagina=3",
                 "?q=Den", "?q=GM0034", "?q=berg&state=advies_positief"]


class Reviewer(PortalUser):
    """A kerngroep member: start page, the queue with filters and search, an application's assessment."""

    kind = "reviewer"
    weight = 1

    @task(2)
    def start_page(self):
        self.page("/", "kerngroep: startpagina")

    @task(4)
    def queue(self):
        query = random.choice(QUEUE_FILTERS)
        label = "zoeken" if "q=" in query else ("filter" if query else "alles")
        self.page(f"/aanvragen/beoordeling/{query}", f"kerngroep: wachtrij ({label})")

    @task(3)
    def assessment(self):
        pk = random.choice(ACCOUNTS["assess"])
        self.page(f"/aanvragen/{pk}/", "kerngroep: aanvraag")
        self.wait()
        self.page(f"/aanvragen/{pk}/beoordeling/", "kerngroep: beoordeling")


class Ministry(PortalUser):
    """Ministry staff: start page, decision batches, allocation runs (list, run, a gemeente's explanation),
    budgets."""

    kind = "ministry"
    weight = 1

    @task(2)
    def start_page(self):
        self.page("/", "ministerie: startpagina")

    @task(2)
    def decisions(self):
        self.page("/aanvragen/beschikkingen/", "ministerie: beschikkingen")

    @task(3)
    def allocation(self):
        self.page("/budgetten/berekeningen/", "ministerie: berekeningen")
        self.wait()
        run = f"/budgetten/berekeningen/{ACCOUNTS['run']}/"  # the demo run: 342 gemeenten × 16 lines × 4 years
        self.page(run, "ministerie: berekening")
        self.wait()
        code = random.choice(["GM0034", "GM0363", "GM0518", "GM0599", "GM0928", "GM0995", "GM1680", "GM0014"])
        self.page(f"{run}gemeenten/{code}/", "ministerie: toelichting gemeente")

    @task(2)
    def national_map(self):
        """The national dashboard with its map of the 342 gemeenten (one of the maps, chosen at random)."""
        choice = random.choice(["kaart-verdeling", "kaart-besteding", "kaart-regio-verklaringen"])
        self.page(f"/monitoring/landelijk/?kaart={choice}", "ministerie: landelijk dashboard met kaart")

    @task(2)
    def budgets(self):
        versions = self.page("/budgetten/begrotingen/", "ministerie: begrotingen")
        paths = [p for p in HREF.findall(versions.text) if re.fullmatch(r"/budgetten/begrotingen/\d+/", p)]
        if paths:
            self.wait()
            self.page(random.choice(paths), "ministerie: begroting")


# --- Capacity steps (LOAD_STEPS="20,40,80"): raise the number of users step by step, in one locust run (users
# log in once). Each step: the new users log in, SETTLE_SECONDS pass, then LOAD_STEP_SECONDS of measuring. A step
# whose p95 passes LOAD_STOP_P95 ms (or that has errors) is the last one. The figures per step (requests per page,
# failures, p50/p95, throughput, the window's start and end) go to LOAD_STEPS_OUT as JSON.

STEPS = [int(x) for x in os.environ.get("LOAD_STEPS", "").split(",") if x.strip()]
STEP_SECONDS = float(os.environ.get("LOAD_STEP_SECONDS", "30"))
STOP_P95 = float(os.environ.get("LOAD_STOP_P95", "300"))
_step = {"logged_in": 0, "index": 0, "phase": "ramp", "since": None, "samples": [], "results": [], "done": False}


def _percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else 0.0


def _summary(samples, seconds):
    pages = {}
    for name, ms, failed in samples:
        pages.setdefault(name, []).append((ms, failed))
    rows = {name: {"requests": len(v), "failures": sum(f for _, f in v), "p50": _percentile([m for m, _ in v], .5),
                   "p95": _percentile([m for m, _ in v], .95)} for name, v in sorted(pages.items())}
    times = [ms for _, ms, _ in samples]
    return {"pages": rows, "requests": len(samples), "failures": sum(f for _, _, f in samples),
            "p50": _percentile(times, .5), "p95": _percentile(times, .95), "p99": _percentile(times, .99),
            "throughput": len(samples) / seconds if seconds else 0.0}


if STEPS:
    @events.request.add_listener
    def _record(request_type, name, response_time, response_length, exception=None, **kwargs):
        if _step["phase"] == "measure" and not name.startswith("inlog"):
            _step["samples"].append((name, response_time, 1 if exception else 0))

    @events.quitting.add_listener
    def _write(environment, **kwargs):
        with open(os.environ["LOAD_STEPS_OUT"], "w", encoding="utf-8") as handle:
            json.dump(_step["results"], handle, indent=1)

    class CapacitySteps(LoadTestShape):
        def tick(self):
            if _step["done"] or _step["index"] >= len(STEPS):
                return None
            users = STEPS[_step["index"]]
            now = time.time()
            if _step["phase"] == "ramp":
                if _step["logged_in"] >= users:
                    _step.update(phase="settle", since=now)
            elif _step["phase"] == "settle":
                if now - _step["since"] >= SETTLE_SECONDS:
                    _step.update(phase="measure", since=now, samples=[])
            elif now - _step["since"] >= STEP_SECONDS:
                result = {"users": users, "start": _step["since"], "end": now,
                          "load": " ".join(open("/proc/loadavg").read().split()[:3]),
                          **_summary(_step["samples"], now - _step["since"])}
                _step["results"].append(result)
                print(f"stap {users} gebruikers: {result['throughput']:.1f} verz./s, p50 {result['p50']:.0f} ms, "
                      f"p95 {result['p95']:.0f} ms, fouten {result['failures']}", flush=True)
                if result["p95"] > STOP_P95 or result["failures"]:
                    _step["done"] = True
                    return None
                _step.update(index=_step["index"] + 1, phase="ramp")
                users = STEPS[_step["index"]] if _step["index"] < len(STEPS) else users
                if _step["index"] >= len(STEPS):
                    return None
            return users, 20
