"""Lighthouse performance of the eight key pages, under gunicorn with production settings (hashed, compressed
static files from whitenoise) on the load benchmark's database (benchmarks/bench_load.py, national volume).

Pages: login, gemeente start, plan step, assessment (kerngroep), allocation run (ministry), national
dashboard, SiSa form and the IZA application. Each page is audited by Lighthouse (npm `lighthouse@12.2.3`,
installed into var/lighthouse/ by this script when missing) in Debian's Chromium (CHROME_PATH, default
/usr/bin/chromium), with Lighthouse's default mobile emulation and simulated throttling, logged in through the
session cookie of a real login (staff with their TOTP code). Prints the performance score, FCP, LCP, TBT, CLS,
the DOM size and the bytes transferred per page. Target: performance ≥ 95 on every page.

Node is needed only for this benchmark, never by the portal.
Usage: .venv/bin/python benchmarks/bench_lighthouse.py [--reuse] [--runs 1] [--baseline DIR]
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_load import (PASSWORD, VENV_BIN, free_port, prepare_database, production_env,  # noqa: E402
                        setup_data, wait_until_up)

LIGHTHOUSE = "lighthouse@12.2.3"
LH_DIR = ROOT / "var" / "lighthouse"
TARGET = 95
DEMO_PASSWORD = "spuk-demo"


def lighthouse_bin():
    binary = LH_DIR / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        if not shutil.which("npm"):
            return None
        LH_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(LH_DIR), LIGHTHOUSE],
                       check=True, stdout=subprocess.DEVNULL)
    return binary


def login(base, username, password, totp_key=None):
    """A real login (and the 2FA step for staff); returns the session cookie header."""
    from django_otp.oath import totp

    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    headers = {"X-Forwarded-Proto": "https", "Referer": f"https://{base.split('://')[1]}/inloggen/"}

    def post(path, data):
        page = opener.open(urllib.request.Request(base + path, headers=headers)).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}).encode()
        opener.open(urllib.request.Request(base + path, data=body, headers=headers))

    post("/inloggen/", {"username": username, "password": password, "next": "/"})
    if totp_key:
        post("/inloggen/code/", {"code": f"{totp(bytes.fromhex(totp_key)):06d}", "next": "/"})
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def pages(accounts):
    from applications.models import Application
    from monitoring.models import SpendingReport

    officer_draft = accounts["officer"][0]["draft"]
    sisa = (SpendingReport.objects.filter(municipality__cbs_code="GM0034", status=SpendingReport.Status.CONCEPT)
            .order_by("-year").first())
    iza = Application.objects.filter(regulation="spuk_iza", region__name="Flevoland").first()  # Almere's, as holder
    return [
        ("inloggen", "/inloggen/", None),
        ("gemeente: startpagina", "/", "officer"),
        ("gemeente: plan van aanpak", f"/aanvragen/{officer_draft}/plan/", "officer"),
        ("kerngroep: beoordeling", f"/aanvragen/{accounts['assess'][0]}/beoordeling/", "reviewer"),
        ("ministerie: berekening", f"/budgetten/berekeningen/{accounts['run']}/", "ministry"),
        ("landelijk dashboard", "/monitoring/landelijk/", "ministry"),
        ("SiSa-formulier", f"/verantwoording/{sisa.pk}/bewerken/" if sisa else "/verantwoording/", "demo"),
        ("IZA-aanvraag", f"/aanvragen/{iza.pk}/" if iza else "/aanvragen/", "demo"),
    ]


ATTEMPTS = 3  # Lighthouse sometimes fails to record its trace (NO_NAVSTART): that says nothing of the page


def audit(binary, url, cookie, out):
    """Lighthouse's figures for one page; {"error": code} when every attempt ended in a Lighthouse runtime error
    (then there is no score, and none is printed as 0)."""
    headers = {"X-Forwarded-Proto": "https", **({"Cookie": cookie} if cookie else {})}
    for _ in range(ATTEMPTS):
        subprocess.run(
            [str(binary), url, "--only-categories=performance", "--output=json", f"--output-path={out}", "--quiet",
             "--chrome-flags=--headless=new --no-sandbox --disable-gpu", f"--extra-headers={json.dumps(headers)}"],
            env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}, check=False,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        report = json.loads(Path(out).read_text())
        if not report.get("runtimeError"):
            break
    else:
        return {"error": report["runtimeError"].get("code", "onbekend"), "score": -1}
    a = report["audits"]

    def value(key):
        return a.get(key, {}).get("numericValue") or 0

    return {"score": round((report["categories"]["performance"]["score"] or 0) * 100), "fcp": value("first-contentful-paint"),
            "lcp": value("largest-contentful-paint"), "tbt": value("total-blocking-time"),
            "cls": value("cumulative-layout-shift"), "dom": value("dom-size"),
            "bytes": value("total-byte-weight")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reuse", action="store_true", help="keep the load database when it exists")
    parser.add_argument("--runs", type=int, default=1, help="audits per page (the median score is printed)")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="a checkout of other code (e.g. `git archive main`) audited beside this one, page by page")
    args = parser.parse_args()
    binary = lighthouse_bin()
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if binary is None or not Path(chrome).exists():
        print("Lighthouse (npm) of Chromium ontbreekt; overgeslagen.")
        return
    database_url = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/spukportal_load")
    work_dir = Path(tempfile.mkdtemp(prefix="spuk-lighthouse-"))
    env = production_env(database_url, work_dir)
    subprocess.run([VENV_BIN / "python", "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                   check=True)
    prepare_database(database_url, args.reuse)
    os.environ.update(env)
    accounts_file = work_dir / "accounts.json"
    setup_data(accounts_file)
    accounts = json.loads(accounts_file.read_text())
    sides = [("na", ROOT, env)]
    if args.baseline:
        base_env = {**env, "STATIC_ROOT": str(work_dir / "static-voor")}
        subprocess.run([VENV_BIN / "python", "manage.py", "collectstatic", "--noinput", "-v0"], cwd=args.baseline,
                       env=base_env, check=True)
        sides.insert(0, ("voor", args.baseline, base_env))
    servers = {}
    for label, code, side_env in sides:
        port = free_port()
        servers[label] = (subprocess.Popen(
            [VENV_BIN / "gunicorn", "spukportal.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2",
             "--log-level", "warning"], cwd=code, env=side_env, stdout=open(work_dir / f"gunicorn-{label}.log", "w"),
            stderr=subprocess.STDOUT), f"http://127.0.0.1:{port}")
    base = servers["na"][1]
    try:
        for proc, url in servers.values():
            wait_until_up(int(url.rsplit(":", 1)[1]))
        cookies = {"officer": login(base, accounts["officer"][0]["username"], PASSWORD),
                   "demo": login(base, "gemeente", DEMO_PASSWORD),
                   "reviewer": login(base, accounts["reviewer"][0]["username"], PASSWORD,
                                     accounts["reviewer"][0]["totp_key"])}
        time.sleep(31)  # the next TOTP window: django-otp refuses a code twice
        cookies["ministry"] = login(base, accounts["ministry"][0]["username"], PASSWORD,
                                    accounts["ministry"][0]["totp_key"])
        print(f"belasting vooraf: {' '.join(open('/proc/loadavg').read().split()[:3])}")
        print(f"{'pagina':<34} {'score':>5} {'FCP ms':>7} {'LCP ms':>7} {'TBT ms':>7} {'CLS':>5} {'DOM':>6} {'kB':>6}  "
              f"doel ≥ {TARGET}")
        missed = []
        for label, path, who in pages(accounts):
            for side, (_, url) in servers.items():
                results = sorted((audit(binary, url + path, cookies.get(who), work_dir / f"lh-{i}.json")
                                  for i in range(args.runs)), key=lambda r: r["score"])
                r = results[len(results) // 2]
                if r["score"] < TARGET and side == "na":
                    missed.append(label)
                name = f"{label} ({side})" if len(servers) > 1 else label
                if "error" in r:
                    print(f"{name[:34]:<34} geen meting: Lighthouse-fout {r['error']} ({ATTEMPTS} pogingen)", flush=True)
                    continue
                print(f"{name[:34]:<34} {r['score']:>5} {r['fcp']:>7.0f} {r['lcp']:>7.0f} {r['tbt']:>7.0f} "
                      f"{r['cls']:>5.2f} {r['dom']:>6.0f} {r['bytes'] / 1024:>6.0f}  "
                      f"{'gehaald' if r['score'] >= TARGET else 'NIET'}", flush=True)
        print(f"belasting na afloop: {' '.join(open('/proc/loadavg').read().split()[:3])}")
        print("doel (performance ≥ 95 op alle acht pagina's): "
              + ("gehaald" if not missed else f"NIET gehaald voor: {', '.join(missed)}"))
    finally:
        for proc, _ in servers.values():
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
