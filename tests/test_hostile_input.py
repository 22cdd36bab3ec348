"""The hostile-input sweep. Every form of the portal — found by opening every page of the permission
matrices as an account that may use it and reading its POST forms — is sent, one field at a time, malformed
and hostile values: text far over any bound, NUL bytes and control characters, markup, numbers that overflow
(10^30, 2^63, Infinity, NaN, negatives, "²"), impossible and extreme dates, and for file fields a file that
is not a PDF. No request may answer 500, and a request that is refused (4xx) stores nothing: the audit trail,
which every write records, is unchanged. New forms are swept as soon as a matrix lists their page.

A hypothesis strategy adds arbitrary text per field kind on top of the fixed hostile values."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve
from hypothesis import HealthCheck, given, settings as hsettings
from hypothesis import strategies as st

from tests.access import ANONYMOUS, all_cases

pytestmark = pytest.mark.django_db

HOSTILE_TEXT = ["x" * 30_000, "a\x00b\x1b[31m\u202e\ufeff", "<script>alert(1)</script>' OR 1=1 --", "🙂" * 500]
HOSTILE_NUMBERS = ["1e30", "9223372036854775808", "-1", "NaN", "²"]
HOSTILE_DATES = ["0001-01-01", "9999-12-31", "2025-02-30", "gisteren"]
# Roles in the order we prefer to act as (the first one the matrix allows is used).
ACTORS = ["gemeente", "kerngroep", "ministerie", "gemeente2", "beheer"]
SKIP_FIELDS = {"csrfmiddlewaretoken"}


class _Forms(HTMLParser):
    """The POST forms of a page: [{"action": str, "fields": {name: (kind, default)}}]."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": {}, "multipart": "multipart" in (a.get("enctype") or "")}
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a and a["name"] in self._form["fields"]:
                return
            default = a.get("value", "on" if kind in ("checkbox", "radio") else "")
            if kind in ("checkbox", "radio") and "checked" not in a:
                default = None
            self._form["fields"][a["name"]] = (kind, default)
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form["fields"][a["name"]] = ("textarea", "")
        elif tag == "select":
            self._select = a["name"]
            self._form["fields"][a["name"]] = ("select", None)
        elif tag == "option" and self._select:
            kind, default = self._form["fields"][self._select]
            if default is None or "selected" in a:
                self._form["fields"][self._select] = (kind, a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            kind, default = self._form["fields"][self._textarea]
            self._form["fields"][self._textarea] = (kind, default + data)


def _hostile_values(kind):
    if kind == "file":
        return [SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 geen pdf", "application/pdf"),
                SimpleUploadedFile("leeg.pdf", b"", "application/pdf")]
    if kind in ("number",):
        return HOSTILE_NUMBERS
    if kind == "date":
        return HOSTILE_DATES
    if kind in ("checkbox", "radio", "select", "hidden"):
        return ["niet-een-keuze", "99999999999999999999", "\x00"]
    return HOSTILE_TEXT + HOSTILE_NUMBERS[:2]


def _pages():
    return [case for case in all_cases() if case.method == "get" and case.ok_status == 200]


def _actor(case):
    return next((role for role in ACTORS if role in case.allowed and role != ANONYMOUS), None)


def forms_of(page, url):
    """The POST forms with a field to fill of a page fetched from `url` (none when it is not an HTML page)."""
    if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
        return []
    parser = _Forms()
    parser.feed(page.content.decode())
    for form in parser.forms:
        form["url"] = form["action"] or url
    return [form for form in parser.forms if form["fields"].keys() - SKIP_FIELDS]


def _forms(client, case):
    url = case.url()
    return forms_of(client.get(url), url)


def form_kind(form):
    """What makes two forms the same for a sweep: the view they post to and their fields without the form's prefix
    or numbers. The plan's sections are one form (`SectionForm`, prefixed with the section's key) posted to one view
    on a URL per section: swept once, not once per section."""
    fields = sorted({re.sub(r"\d+", "N", name.rsplit("-", 1)[-1]) for name in form["fields"]})
    return resolve(urlsplit(form["url"]).path).view_name, tuple(fields)


def new_kinds(forms, seen):
    """The forms whose kind is not in `seen` yet (it is added): one form of each kind."""
    for form in forms:
        kind = form_kind(form)
        if kind not in seen:
            seen.add(kind)
            yield form


def _post(client, form, field, value):
    return _post_all(client, form, {field: value})


def _post_all(client, form, values):
    """Post the form with its defaults, `values` replacing some: the problems found (500, or a refusal that
    stored something)."""
    from spukportal.models import AuditEvent

    field = ", ".join(values)[:60]
    value = next(iter(values.values()), "")
    data = {name: default for name, (kind, default) in form["fields"].items()
            if default is not None and kind != "file" and name not in SKIP_FIELDS}
    data.update(values)
    before = AuditEvent.objects.count()
    response = client.post(form["url"], data)
    problems = []
    if response.status_code >= 500:
        problems.append(f"{form['url']} veld {field!r} = {str(value)[:40]!r}: {response.status_code}")
    elif 400 <= response.status_code < 500 and AuditEvent.objects.count() != before:
        problems.append(f"{form['url']} veld {field!r}: geweigerd ({response.status_code}) maar toch opgeslagen")
    return problems


def test_every_form_survives_hostile_input_without_a_500_or_a_half_write(client):
    client.raise_request_exception = False
    User = get_user_model()
    problems, swept_forms, requests = [], set(), 0
    for case in _pages():
        role = _actor(case)
        if role is None:
            continue
        client.force_login(User.objects.get(username=role))
        for form in new_kinds(_forms(client, case), swept_forms):
            shapes = set()
            for field, (kind, _) in form["fields"].items():
                # One field of each shape: amount-7-2025 stands for every component's amount of every year.
                shape = (re.sub(r"\d+", "N", field), kind)
                if field in SKIP_FIELDS or shape in shapes:
                    continue
                shapes.add(shape)
                for value in _hostile_values(kind):
                    problems += _post(client, form, field, value)
                    requests += 1
    print(f"{len(swept_forms)} formulieren, {requests} verzoeken")
    assert not problems, "\n".join(problems)
    assert len(swept_forms) >= 15 and requests >= 150, (len(swept_forms), requests)


@hsettings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=st.text(min_size=1, max_size=300), number=st.one_of(st.integers(), st.floats(allow_nan=True),
                                                                 st.text(max_size=20)))
def test_the_application_forms_take_arbitrary_text_and_numbers_without_a_500(django_db_blocker, text, number):
    """The officer's own forms (amounts, plan, signature) with generated input in every field at once: never a
    500, never a refusal that stored something."""
    from django.test import Client

    from applications.models import Application

    with django_db_blocker.unblock():
        client = Client(raise_request_exception=False)
        client.force_login(get_user_model().objects.get(username="gemeente"))
        app = Application.objects.filter(municipality__cbs_code="GM0034", state="concept").first()
        if app is None:
            pytest.skip("Geen conceptaanvraag van Almere in de demodata.")
        from django.urls import reverse

        for name in ("applications:components", "applications:signature", "applications:plan"):
            url = reverse(name, args=[app.pk])
            page = client.get(url)
            parser = _Forms()
            parser.feed(page.content.decode())
            for form in parser.forms:
                form["url"] = form["action"] or url
                values = {field: str(number) if kind in ("number", "select", "hidden", "radio", "checkbox") else text
                          for field, (kind, _) in form["fields"].items() if field not in SKIP_FIELDS and kind != "file"}
                assert not _post_all(client, form, values)
