"""The automatic authorization walk. Every URL pattern of the project (the admin aside, which its
own site guards) is requested by every account that may not use it — GET and an empty POST — and by an
anonymous visitor; none gets a 200 (or any success), and after the whole walk the audit trail, applications
and decisions are exactly as before. New URLs are covered as soon as they exist: a pattern with no arguments
known (no row in a matrix, see tests/test_url_coverage.py) fails here too.

The arguments of each URL come from the permission matrices (tests/<app>/access_matrix.py), which also say who
may use it; everyone else is walked."""


import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver

from tests.access import ANONYMOUS, ROLES, all_cases

from .test_url_coverage import ADMIN_NAMESPACE, PUBLIC

pytestmark = pytest.mark.django_db

PUBLIC_UNNAMED = {"favicon.ico"}  # a redirect to the static icon


def _patterns(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace in (ADMIN_NAMESPACE, "api"):  # the API is walked per token (tests/api/)
                continue
            yield from _patterns(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
        elif isinstance(p, URLPattern):
            yield prefix + (p.name or ""), p


def _cases():
    by_name = {}
    for case in all_cases():
        by_name.setdefault(case.url_name, case)  # the first row of a URL names its arguments
    return by_name


def _world():
    from applications.models import Application, GrantDecision
    from spukportal.models import AuditEvent

    return (AuditEvent.objects.count(), sorted(Application.objects.values_list("pk", "state", "edit_version")),
            GrantDecision.objects.count())


def test_no_account_gets_a_page_or_an_action_it_may_not_use(client):
    cases = _cases()
    patterns = [(name, p) for name, p in _patterns(get_resolver().url_patterns)
                if name not in PUBLIC and str(p.pattern) not in PUBLIC_UNNAMED]
    unnamed = [str(p.pattern) for name, p in patterns if not name or name.endswith(":")]
    assert not unnamed, f"URL-patronen zonder naam (niet te controleren): {unnamed}"
    missing = sorted(name for name, _ in patterns if name not in cases)
    assert not missing, f"URL's zonder argumenten in een toegangsmatrix: {missing}"

    User = get_user_model()
    accounts = {role: User.objects.get(username=role) for role in ROLES if role != ANONYMOUS}
    urls = {name: cases[name].url() for name, _ in patterns}  # made once: the matrices create their objects
    before = _world()
    leaks, walked = [], 0
    for role in ROLES:
        client.logout()
        if role != ANONYMOUS:
            client.force_login(accounts[role])
        for name, url in urls.items():
            if role in cases[name].allowed:
                continue
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                walked += 1
                if role == ANONYMOUS:
                    ok = response.status_code == 302 and "/inloggen/" in response["Location"]
                else:
                    ok = response.status_code in (403, 404, 405)
                if not ok:
                    leaks.append(f"{method.upper()} {url} ({name}) als {role}: {response.status_code}")
    assert not leaks, "Onverwacht toegelaten:\n" + "\n".join(leaks)
    assert walked >= 2 * len(urls)  # at least the anonymous visitor on every URL
    assert _world() == before
