"""Whole numbers from requests: every GET parameter and every form field of every page in the permission matrices
gets odd values where a number is expected — `²`, other scripts' digits, a number far past any column, -1, empty,
`1e5` — and no request may answer 500; a refused POST stores nothing (the audit trail, which every write records,
is unchanged). The portal reads such numbers in one place (`spukportal.bounds.request_int`) or through form fields
with bounds.

The GET parameters are those the page's own GET forms and links use, plus every name the views read from
`request.GET` (found in the source), so that a parameter nobody links to is tried as well."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, example, given, settings as hsettings
from hypothesis import strategies as st

from tests.test_hostile_input import _actor, _pages, _post_all, forms_of, new_kinds

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
ODD_INTEGERS = ["²", "9999999999999999999999", "-1", "", "١٢", "１２", "1e5", "-0", "2025.0", " 7", "\x00"]
SKIP_FIELDS = {"csrfmiddlewaretoken"}


def _names_read_from_get() -> set[str]:
    pattern = re.compile(r"(?:request\.GET(?:\.get\(|\[|\.getlist\()|request_int\(request\.GET,)\s*\"([a-z_]+)\"")
    names = set()
    for app in ("applications", "budgets", "monitoring", "regions", "spukportal"):
        for path in (ROOT / app).rglob("*.py"):
            names |= set(pattern.findall(path.read_text()))
    return names


class _GetParams(HTMLParser):
    """Names of GET-form fields and of query parameters in links on a page."""

    def __init__(self):
        super().__init__()
        self.names, self._in_get_form = set(), False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_get_form = (a.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self._in_get_form and a.get("name"):
            self.names.add(a["name"])
        elif tag == "a" and "?" in (a.get("href") or ""):
            self.names |= {name for name, _ in parse_qsl(urlsplit(a["href"]).query, keep_blank_values=True)}

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


@pytest.fixture
def targets(client):
    """One page per view (as a role that may open it), with its GET parameter names and its POST forms (each kind
    of form once)."""
    client.raise_request_exception = False
    User = get_user_model()
    code_names = _names_read_from_get()
    seen, seen_forms, pages = set(), set(), []
    for case in _pages():
        role = _actor(case)
        if role is None:
            continue
        url = case.url()
        try:
            view = resolve(urlsplit(url).path).view_name
        except Resolver404:
            continue
        if view in seen:
            continue
        seen.add(view)
        client.force_login(User.objects.get(username=role))
        page = client.get(url)
        names = set(code_names)
        if page.status_code == 200 and "text/html" in page.get("Content-Type", ""):
            parser = _GetParams()
            parser.feed(page.content.decode())
            names |= parser.names
        pages.append({"role": role, "url": url, "names": sorted(names - SKIP_FIELDS),
                      "forms": list(new_kinds(forms_of(page, url), seen_forms))})
    return pages


@hsettings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=st.one_of(st.sampled_from(ODD_INTEGERS), st.integers().map(str),
                       st.text(alphabet=st.characters(categories=["Nd", "No"]), max_size=25)))
@example(value="9999999999999999999999")
@example(value="²")
@example(value="١٢")
@example(value="1e5")
def test_odd_whole_numbers_in_every_parameter_and_field_give_no_500(client, targets, value):
    User = get_user_model()
    problems, requests = [], 0
    for target in targets:
        client.force_login(User.objects.get(username=target["role"]))
        response = client.get(target["url"], {name: value for name in target["names"]})
        requests += 1
        if response.status_code >= 500:
            problems.append(f"GET {target['url']} ?…={value!r}: {response.status_code}")
        for form in target["forms"]:
            values = {field: value for field, (kind, _) in form["fields"].items()
                      if field not in SKIP_FIELDS and kind != "file"}
            problems += _post_all(client, form, values)
            requests += 1
    assert requests >= 100
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("year", ["²", "9999999999999999999999", "٢٠٢٤", "-2024", "1e5"])
def test_the_fall_prevention_page_reads_an_odd_year_as_no_year(login, year):
    from django.urls import reverse

    response = login("gemeente").get(reverse("monitoring:fall_prevention_record", args=["GM0034"]), {"jaar": year})
    assert response.status_code == 200


@pytest.mark.parametrize("version", ["²", "9999999999999999999999", "-1", ""])
def test_an_odd_version_on_the_iza_budget_is_a_conflict_not_an_error(login, version):
    from django.urls import reverse

    from tests.applications import factories as f

    app = f.iza_draft(f.iza_scenario())
    response = login("gemeente").post(reverse("applications:lines", args=(app.pk,)), {
        "version": version, "regel-TOTAL_FORMS": 1, "regel-INITIAL_FORMS": 0, "regel-0-activity": "A",
        "regel-0-scope": "regionaal", "regel-0-year": "2025", "regel-0-amount": "10"})
    assert response.status_code == 409
    assert not app.plan_lines.exists()
