"""Static files in production: whitenoise's compressed manifest storage (hashed names, gzip and brotli copies)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed names once `collectstatic` has written its manifest. Where it has not run (a management command or
    benchmark on a fresh checkout), a file keeps its own name, which whitenoise and the PDF renderer find through
    the static finders, instead of every page and PDF failing on the missing manifest."""

    def stored_name(self, name):
        if not self.hashed_files:
            return name
        return super().stored_name(name)
