"""Locust scenario of the deadline day (benchmarks/bench_deadline.py): the officers of all gemeenten finish and
submit their application in the last hour.

Each virtual user is one gemeente's officer (accounts in LOAD_ACCOUNTS: username, the draft's id, the plan
sections it writes): logs in, opens the plan, autosaves its sections while typing (every DEADLINE_AUTOSAVE
seconds, as the page's htmx autosave does, with the section's version), uploads the signed PDF (1–5 MB),
submits, and fetches the receipt. Then it waits for the end of the run (one journey per gemeente; the run is
bounded): a user that stopped would be replaced by locust's spawner while the others are still starting, and the
replacement would walk a gemeente's journey a second time, against an application already submitted.
What every autosave last sent per section is written to DEADLINE_SENT (JSON), so that the benchmark can check
afterwards that nothing was lost.
"""

import json
import os
import random
import re
import time
from urllib.parse import quote

import gevent
from locust import HttpUser, constant, events, task

ACCOUNTS = json.load(open(os.environ["LOAD_ACCOUNTS"], encoding="utf-8"))
PDFS = [open(p, "rb").read() for p in json.loads(os.environ["DEADLINE_PDFS"])]
AUTOSAVES = int(os.environ.get("DEADLINE_AUTOSAVES", "6"))
INTERVAL = [float(x) for x in os.environ.get("DEADLINE_AUTOSAVE", "2,5").split(",")]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PROXY = {"X-Forwarded-Proto": "https"}
_next = iter(range(10 ** 6))
SENT = {}  # (application, key) → the text of the last autosave that was answered as saved
LATER = {}  # (application, key) → the texts sent after it (cut off by the end of the run, their answer unknown)
OUTCOME = {"autosave_refused": 0, "journeys_done": 0}


@events.quitting.add_listener
def _write(environment, **kwargs):
    with open(os.environ["DEADLINE_SENT"], "w", encoding="utf-8") as handle:
        json.dump({"sent": [[app, key, text, LATER.get((app, key), [])] for (app, key), text in SENT.items()],
                   **OUTCOME}, handle)


class Officer(HttpUser):
    wait_time = constant(0)
    done = False  # this gemeente's journey has run

    def on_start(self):
        self.client.headers.update(PROXY)
        self.account = ACCOUNTS["officer"][next(_next) % len(ACCOUNTS["officer"])]

    def _referer(self, path):
        return {"Referer": f"https://{self.host.split('://', 1)[1]}{path}"}

    def _get(self, path, name):
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False,
                             headers={"X-Load-Page": quote(name)}) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} {r.headers.get('Location', '')}")
            return r

    def _post(self, path, name, data, files=None, expect=302, headers=None):
        csrf = self.client.cookies.get("csrftoken", "")
        with self.client.post(path, name=name, catch_response=True, allow_redirects=False, files=files,
                              data={"csrfmiddlewaretoken": csrf, **data},
                              headers={**self._referer(path), "X-CSRFToken": csrf, "X-Load-Page": quote(name),
                                       **(headers or {})}) as r:
            if r.status_code != expect:
                r.failure(f"{r.status_code} {r.headers.get('Location', '')} {r.text[:200]}")
            return r

    @task
    def journey(self):
        # Done (locust runs the task again after it returns or raises): idle until the run ends, see the docstring.
        while self.done:
            gevent.sleep(60)
        try:
            self._journey()
        finally:
            self.done = True
            OUTCOME["users_finished"] = OUTCOME.get("users_finished", 0) + 1
            if OUTCOME["users_finished"] >= self.environment.parsed_options.num_users:
                # every gemeente has had its turn: the run is over (after the statistics have taken the last answers)
                gevent.spawn_later(3, self.environment.runner.quit)

    def _journey(self):
        a = self.account
        pk = a["draft"]
        page = self._get("/inloggen/", "inloggen (formulier)")
        match = CSRF.search(page.text)
        self._post("/inloggen/", "inloggen", {"csrfmiddlewaretoken": match.group(1) if match else "", "next": "/",
                                              "username": a["username"], "password": a["password"]})
        self._get(f"/aanvragen/{pk}/plan/", "plan van aanpak")
        versions = dict(a["sections"])  # key → the version the page was opened with
        for i in range(AUTOSAVES):
            time.sleep(random.uniform(*INTERVAL))
            key = random.choice(sorted(versions))
            text = " ".join([f"Tekst van {a['username']} voor {key}, autosave {i + 1} om {time.time():.3f}."] * 8)
            LATER.setdefault((pk, key), []).append(text)
            r = self._post(f"/aanvragen/{pk}/plan/{key}/", "autosave plansectie",
                           {f"{key}-text": text, f"{key}-version": versions[key]}, expect=200,
                           headers={"HX-Request": "true", "HX-Current-URL": f"https://x/aanvragen/{pk}/plan/"})
            if r.status_code == 200 and r.headers.get("HX-Refused") != "true":
                versions[key] += 1
                SENT[(pk, key)] = text
                LATER[(pk, key)] = []
            else:
                OUTCOME["autosave_refused"] += 1
        time.sleep(random.uniform(*INTERVAL))
        self._get(f"/aanvragen/{pk}/bijlagen/", "bijlagen")
        pdf = random.choice(PDFS)
        self._post(f"/aanvragen/{pk}/bijlagen/", "upload ondertekende pdf", {"kind": "ondertekend"},
                   files={"file": ("ondertekend.pdf", pdf, "application/pdf")})
        self._get(f"/aanvragen/{pk}/indienen/", "indienen (controle)")
        r = self._post(f"/aanvragen/{pk}/indienen/", "indienen", {"confirm": "on"})
        if r.status_code == 302:
            self._get(f"/aanvragen/{pk}/versies/1/ontvangstbewijs/", "ontvangstbevestiging (pdf)")
            OUTCOME["journeys_done"] += 1
