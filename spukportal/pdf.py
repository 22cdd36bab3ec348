"""PDF rendering: a Django template → HTML → tagged PDF (PDF/UA-1) with WeasyPrint.

The URL fetcher serves only static files from disk (found by Django's static finders) and refuses
everything else: no network, no file:// paths. Fonts come from the system (DejaVu)."""

import logging
import mimetypes
import os
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://spukportaal.invalid/"
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class StaticOnlyFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        static = settings.STATIC_URL
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(static):
            raise ValueError(f"Geweigerd: alleen statische bestanden mogen in een PDF ({url}).")
        relative = parts.path[len(static):]
        if ".." in relative.split("/"):
            raise ValueError(f"Geweigerd: {url}")
        path = finders.find(relative) or _collected(relative)
        if not path:
            raise ValueError(f"Statisch bestand niet gevonden: {relative}")
        with open(path, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url, body, {"Content-Type": mimetypes.guess_type(path)[0] or
                                              "application/octet-stream"})


def _collected(relative):
    """A file under STATIC_ROOT, for the hashed names (css/report.8fd3….css) that {% static %} writes in
    production: collectstatic made them, the finders only know the original names."""
    try:
        path = staticfiles_storage.path(relative)
    except (NotImplementedError, SuspiciousFileOperation):  # no files on disk; a name outside STATIC_ROOT
        return None
    return path if os.path.isfile(path) else None


_fonts = None


def _font_config() -> FontConfiguration:
    """One font configuration per process: making a new one (WeasyPrint's default) sets up the system fonts
    again for every PDF, about a tenth of a letter's time (benchmarks/bench_decisions.py)."""
    global _fonts
    if _fonts is None:
        _fonts = FontConfiguration()
    return _fonts


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf(
        pdf_variant="pdf/ua-1", font_config=_font_config())


def render_pdf(template_name: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template_name, context))
