"""PDF rendering: a Django template → HTML → tagged PDF (PDF/UA-1) with WeasyPrint.

The URL fetcher serves only static files from disk (found by Django's static finders) and refuses
everything else: no network, no file:// paths. Fonts come from the system (DejaVu)."""

import functools
import gc
import logging
import mimetypes
import os
import threading
import zlib
from contextlib import contextmanager
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
import pydyf
from weasyprint import CSS, HTML
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
        path = _static_file(relative)
        with open(path, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url, body, {"Content-Type": mimetypes.guess_type(path)[0] or
                                              "application/octet-stream"})


def _static_file(relative):
    """The path of a static file: found by Django's finders, or collected under STATIC_ROOT."""
    path = finders.find(relative) or _collected(relative)
    if not path:
        raise ValueError(f"Statisch bestand niet gevonden: {relative}")
    return path


def _collected(relative):
    """A file under STATIC_ROOT, for the hashed names (css/report.8fd3….css) that {% static %} writes in
    production: collectstatic made them, the finders only know the original names."""
    try:
        path = staticfiles_storage.path(relative)
    except (NotImplementedError, SuspiciousFileOperation):  # no files on disk; a name outside STATIC_ROOT
        return None
    return path if os.path.isfile(path) else None


class _ZlibAtDefaultLevel:
    """zlib, with compressobj() at zlib's default level whatever level is asked for. pydyf, which writes
    WeasyPrint's PDFs, compresses every stream at level 9 (fixed in pydyf.Stream.data): for the national
    report 91 ms of its second, against 19 ms at the default level for a file 4 % larger (153 → 160 kB of
    streams; benchmarks/bench_reports.py). Given to pydyf as its `zlib` below; tests/spukportal/test_pdf_render.py
    fails when pydyf no longer looks zlib up there."""

    def __getattr__(self, name):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level=zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs):
        return zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs)


pydyf.zlib = _ZlibAtDefaultLevel()

_fonts = None


def _font_config() -> FontConfiguration:
    """One font configuration per process: making a new one (WeasyPrint's default) sets up the system fonts
    again for every PDF, about a tenth of a letter's time (benchmarks/bench_decisions.py)."""
    global _fonts
    if _fonts is None:
        _fonts = FontConfiguration()
    return _fonts


_gc_lock = threading.Lock()
_gc_paused = 0  # renders in progress (threads) that paused the collector
_gc_was_enabled = False


@contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector while WeasyPrint renders. The national report makes some
    380,000 container objects (styles, boxes, PDF objects), and the collector went over them and over the
    whole Django process again and again: a quarter of its CPU time (benchmarks/bench_reports.py). The peak
    memory hardly grows (118 → 124 MB); what the render leaves is collected in one pass when the collector
    resumes (0.1-0.2 s for the national report). Process-wide, so counted for renders in several threads."""
    global _gc_paused, _gc_was_enabled
    with _gc_lock:
        if _gc_paused == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_paused += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_paused -= 1
            if _gc_paused == 0 and _gc_was_enabled:
                gc.enable()


def _in_fresh_stack_chunk(function):
    return function()


# CPython 3.11 keeps Python frames in 16 KiB chunks and frees a chunk as soon as the call that opened it
# returns. WeasyPrint's recursion needs about 20 KB, so it crosses a chunk boundary, and when that boundary
# fell where the layout goes down and back up for every table cell, each crossing mapped and unmapped a
# chunk: 50,000-70,000 page faults and 0.3-0.5 s of system time for the national report, depending only on
# how deep the caller's stack was (CPython 3.13 keeps a spare chunk instead). Declaring a large evaluation
# stack for this one frame makes CPython open a fresh 128 KiB chunk for it with some 60 KB free behind it:
# the whole render stays in that chunk (a few thousand page faults, a few hundredths of a second).
_in_fresh_stack_chunk.__code__ = _in_fresh_stack_chunk.__code__.replace(
    co_stacksize=_in_fresh_stack_chunk.__code__.co_stacksize + 8192)


def run_weasyprint(function):
    """function() (a WeasyPrint render) with the collector paused, in a fresh frame-stack chunk."""
    with gc_paused():
        return _in_fresh_stack_chunk(function)


class _HTMLWithOwnDefaults(HTML):
    """An HTML document whose user-agent stylesheet is ours instead of WeasyPrint's: the seam WeasyPrint's own
    test suite uses to swap it (HTML._ua_stylesheets). The counter styles stay WeasyPrint's."""

    def __init__(self, *args, user_agent_stylesheet, **kwargs):
        super().__init__(*args, **kwargs)
        self._user_agent_stylesheet = user_agent_stylesheet

    def _ua_stylesheets(self, forms=False):
        return [self._user_agent_stylesheet]


@functools.cache
def _user_agent_stylesheet(name):
    """The static stylesheet `name` as a user-agent stylesheet, parsed once per process."""
    return CSS(filename=_static_file(name), font_config=_font_config())


def pdf_document(html: str, user_agent: str = "") -> HTML:
    """`html` as a WeasyPrint document that fetches only static files. `user_agent` names a static stylesheet that
    replaces WeasyPrint's HTML5 defaults: for a long document whose few kinds of element it covers
    (static/css/report-ua.css), as that saves matching WeasyPrint's rules."""
    options = {"string": html, "base_url": BASE_URL, "url_fetcher": StaticOnlyFetcher()}
    if user_agent:
        return _HTMLWithOwnDefaults(**options, user_agent_stylesheet=_user_agent_stylesheet(user_agent))
    return HTML(**options)


def html_to_pdf(html: str, stylesheets=(), user_agent: str = "") -> bytes:
    """A tagged PDF (PDF/UA-1) of `html` (see pdf_document for `user_agent`), with extra `stylesheets`
    (weasyprint.CSS, made with `_font_config()`)."""
    def render():
        return pdf_document(html, user_agent).write_pdf(pdf_variant="pdf/ua-1", font_config=_font_config(),
                                                         stylesheets=list(stylesheets))

    return run_weasyprint(render)


def render_pdf(template_name: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template_name, context))
