"""Where the private files (uploads, letters, PDFs) of a test go: `private_storage_at(folder)` points the "private"
storage there for as long as the block runs (Django's own `setting_changed` receiver drops the storage it had made)."""

from django.test import override_settings


def private_storage_at(location):
    from django.conf import settings

    private = {**settings.STORAGES["private"], "OPTIONS": {"location": str(location)}}
    return override_settings(STORAGES={**settings.STORAGES, "private": private})
