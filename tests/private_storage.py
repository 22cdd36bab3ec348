"""Where the private files (uploads, letters, PDFs) of a test go: `private_storage_at(folder)` points the "private"
storage there for as long as the block runs."""

from contextlib import contextmanager


@contextmanager
def private_storage_at(location):
    from django.conf import settings
    from django.core.files.storage import storages
    from django.test import override_settings

    configured = {**settings.STORAGES, "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(location)}}}
    storages._storages.pop("private", None)
    try:
        with override_settings(STORAGES=configured):
            yield
    finally:
        storages._storages.pop("private", None)
