"""Static files in production: whitenoise's compressed manifest storage (hashed names, gzip and brotli copies)."""

from django.conf import settings
from django.utils.functional import cached_property
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed names once `collectstatic` has written its manifest. Where it has not run (a management command or
    benchmark on a fresh checkout), a file keeps its own name, which whitenoise and the PDF renderer find through
    the static finders, instead of every page and PDF failing on the missing manifest."""

    def stored_name(self, name):
        if not self.hashed_files:
            return name
        return super().stored_name(name)

    def url(self, name, force=False):
        """The URL of a static file, worked out once per process: every page asks for the same seven
        (`{% static %}` in base.html), and each answer took Django some 40 µs (the manifest lookup, URL splitting
        and quoting). The manifest does not change while a process runs; with DEBUG (tests) Django gives the
        unhashed name, so DEBUG is part of the key."""
        key = (name, force, settings.DEBUG)
        url = self._urls.get(key)
        if url is None:
            url = self._urls[key] = super().url(name, force)
        return url

    @cached_property
    def _urls(self):
        return {}
