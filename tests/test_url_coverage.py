"""Every named URL of the portal is in a permission matrix (tests/<app>/access_matrix.py)."""

import importlib
import pkgutil

from django.urls import URLPattern, URLResolver, get_resolver

import tests

ADMIN_NAMESPACE = "admin"  # the admin is covered by its index and a few changelists; the site guards all of it
PUBLIC = {"login", "logout", "password_reset", "password_reset_done", "password_reset_confirm",
          "password_reset_complete", "privacy", "accessibility", "contact", "health",
          "oidc_authentication_init", "oidc_authentication_callback"}  # public by design (OIDC: only when on)


def _named_urls(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _named_urls(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


def _matrix_names():
    names = set()
    for module in pkgutil.iter_modules(tests.__path__):
        try:
            matrix = importlib.import_module(f"tests.{module.name}.access_matrix")
        except ModuleNotFoundError:
            continue
        names |= {case.url_name for case in matrix.CASES}
    return names


def test_every_named_url_is_in_a_permission_matrix():
    urls = {n for n in _named_urls(get_resolver().url_patterns) if not n.startswith(f"{ADMIN_NAMESPACE}:")}
    urls -= PUBLIC
    missing = sorted(urls - _matrix_names())
    assert not missing, f"URL's zonder rij in een toegangsmatrix: {missing}"
