"""The test database, made once for a whole run: `python -m tests.template_db FOLDER` makes the PostgreSQL database
`test_<name>_template` (dropped first when it exists): migrated, with the reference data and the demo accounts as
tests/conftest.py loads them (fast password hasher included), their private files written to FOLDER. It prints the
database's name, or nothing when the database is not PostgreSQL.

scripts/run-tests makes it before the test processes start and hands them its name and folder (SPUK_TEST_TEMPLATE_DB,
SPUK_TEST_TEMPLATE_FILES): each process then creates its own test database as a copy of it (CREATE DATABASE …
TEMPLATE, a second) instead of migrating and loading (some 25 s of processor time per process, three processes).
Without those variables (pytest started by hand) every process migrates and loads as before."""

import os
import sys
from pathlib import Path

TEMPLATE_DB = "SPUK_TEST_TEMPLATE_DB"
TEMPLATE_FILES = "SPUK_TEST_TEMPLATE_FILES"


def build(files: Path) -> str | None:
    # Imported here, not at the top: Django is set up by main() first.
    from django.db import connection

    from tests.conftest import load_reference_and_demo_data
    from tests.private_storage import private_storage_at

    if connection.vendor != "postgresql":
        return None
    name = f"test_{connection.settings_dict['NAME']}_template"
    with connection.creation._nodb_cursor() as cursor:  # the last run's (Django would say it exists, then drop it)
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
    connection.settings_dict["TEST"]["NAME"] = name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    with private_storage_at(files):
        load_reference_and_demo_data()
    connection.close()  # a database with a connection cannot be copied
    return name


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spukportal.settings")
    import django

    django.setup()
    name = build(Path(sys.argv[1]))
    if name:
        print(name)


if __name__ == "__main__":
    main()
