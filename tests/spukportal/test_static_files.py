"""Static files as production serves them (collectstatic, then whitenoise): hashed names in the pages, long
cache lifetimes for those names, compressed bodies, and the PDF renderer still finds its stylesheet."""

import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import Client
from django.utils.functional import empty

pytestmark = pytest.mark.django_db

HASHED_STORAGE = "spukportal.static_storage.StaticFilesStorage"  # production's (settings.py)
OWN_FOLDER_ONLY = "django.contrib.staticfiles.finders.FileSystemFinder"  # STATICFILES_DIRS, not the apps' folders


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic once for the module, of the portal's own folder `static/` (what its pages and PDFs link):
    the STATIC_ROOT it filled. The installed apps' files (the admin's, the API browser's: 1,200 files, 40 MB) are
    left out here; compressing them took half a minute of both cores."""
    from django.conf import settings
    from django.test.utils import override_settings

    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=str(root), STATICFILES_FINDERS=[OWN_FOLDER_ONLY],
                           STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": HASHED_STORAGE}}):
        _forget_storage()
        call_command("collectstatic", "--noinput", verbosity=0)
    _forget_storage()
    return root


def _forget_storage():
    """Storages are made once per process; a changed setting needs them made again."""
    storages._storages.pop("staticfiles", None)
    staticfiles_storage._wrapped = empty


@pytest.fixture
def production_static(collected, settings):
    settings.STATIC_ROOT = str(collected)
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": HASHED_STORAGE}}
    _forget_storage()
    yield collected
    _forget_storage()


def test_pages_link_hashed_names_served_compressed_for_ten_years(production_static):
    html = Client().get("/inloggen/").content.decode()
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    css = [u for u in links if u.endswith(".css")]
    assert css and all(re.search(r"\.[0-9a-f]{12}\.(css|js|svg)$", u) for u in links), links

    client = Client()  # a new client: whitenoise reads STATIC_ROOT when its middleware is made
    response = client.get(css[0], HTTP_ACCEPT_ENCODING="gzip, br", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Content-Encoding"] in ("br", "gzip")
    assert "immutable" in response["Cache-Control"]
    assert int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1)) >= 365 * 24 * 3600


def test_an_old_hashed_name_is_not_served(production_static):
    response = Client().get("/static/css/portal.000000000000.css", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 404


def test_pdf_stylesheet_is_read_under_its_hashed_name(production_static):
    from spukportal.pdf import BASE_URL, StaticOnlyFetcher

    url = staticfiles_storage.url("css/report.css")
    assert re.search(r"report\.[0-9a-f]{12}\.css$", url)
    fetched = StaticOnlyFetcher().fetch(BASE_URL.rstrip("/") + url)
    assert b"@page" in fetched.read()


def test_without_collectstatic_files_keep_their_own_names(settings, tmp_path):
    """A command or benchmark on a fresh checkout (no manifest yet) renders pages with plain static names."""
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": HASHED_STORAGE}}
    _forget_storage()
    try:
        assert staticfiles_storage.url("css/report.css") == "/static/css/report.css"
        assert 'href="/static/css/portal.css"' in Client().get("/inloggen/").content.decode()
    finally:
        _forget_storage()


def test_a_static_url_worked_out_once_follows_debug_as_django_does(production_static, settings):
    """The storage keeps each URL it worked out (every page links the same files); with DEBUG on, Django gives
    the plain name, also after the hashed one was kept."""
    hashed = staticfiles_storage.url("css/portal.css")
    assert re.search(r"portal\.[0-9a-f]{12}\.css$", hashed) and staticfiles_storage.url("css/portal.css") == hashed
    settings.DEBUG = True
    assert staticfiles_storage.url("css/portal.css") == "/static/css/portal.css"
    settings.DEBUG = False
    assert staticfiles_storage.url("css/portal.css") == hashed
