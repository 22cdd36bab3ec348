"""Every named URL of the portal is in a permission matrix (tests/<app>/access_matrix.py)."""

from django.urls import URLPattern, URLResolver, get_resolver

from tests.access import all_cases


ADMIN_NAMESPACE = "admin"  # the admin is covered by its index and a few changelists; the site guards all of it
PUBLIC = {"login", "logout", "password_reset", "password_reset_done", "password_reset_confirm",
          "password_reset_complete", "privacy", "accessibility", "contact", "health",
          "oidc_authentication_init", "oidc_authentication_callback",
          "eherkenning:login", "eherkenning:acs", "eherkenning:metadata", "eherkenning:service_catalogue",
          "eherkenning_mock"}  # public by design (OIDC, eHerkenning: only when on; their tests walk them per role)


def _named_urls(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _named_urls(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


def _matrix_names():
    return {case.url_name for case in all_cases()}


def test_every_named_url_is_in_a_permission_matrix():
    urls = {n for n in _named_urls(get_resolver().url_patterns) if not n.startswith(f"{ADMIN_NAMESPACE}:")}
    urls -= PUBLIC
    missing = sorted(urls - _matrix_names())
    assert not missing, f"URL's zonder rij in een toegangsmatrix: {missing}"
