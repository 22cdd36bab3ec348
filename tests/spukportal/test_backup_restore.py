"""Operations: a backup made by scripts/backup, restored by scripts/restore into a fresh database
and an empty folder, holds the same applications, versions, attachments and files (checked by SHA-256)."""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.core.files.storage import storages
from django.db import connection

from applications.models import Application, ApplicationVersion, Attachment
from tests.applications import factories as f
from tests.conftest import IN_CI, ROOT

pytestmark = pytest.mark.django_db(transaction=True)


def _url(name):
    db = connection.settings_dict
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def fresh_database():
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        (pytest.fail if IN_CI else pytest.skip)("Back-up en herstel vragen PostgreSQL en pg_dump/pg_restore.")
    name = connection.settings_dict["NAME"] + "_herstel"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield _url(name)
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(script, *args, env):
    result = subprocess.run([str(ROOT / "scripts" / script), *map(str, args)], cwd=ROOT, capture_output=True,
                            text=True, env={**os.environ, **env}, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_backup_restored_into_a_fresh_database_has_the_same_applications_and_files(reference_data, tmp_path,
                                                                                    fresh_database):
    period = f.scenario()
    ours = [f.submitted(period),  # Almere, with a frozen signed PDF
            f.with_additions_requested(f.submitted(period, "GM0995", "gemeente2"))]
    private = Path(storages["private"].location)
    expected_apps = sorted(Application.objects.values_list("pk", "state", "reference"))
    expected_versions = ApplicationVersion.objects.count()
    # The files of the applications made here (the demo data's files may live in another folder).
    expected_files = {a.stored_name: a.sha256 for a in Attachment.objects.filter(application__in=ours)}
    assert expected_files and all((private / name).exists() for name in expected_files)

    folder = _run("backup", tmp_path / "backups", env={"DATABASE_URL": _url(connection.settings_dict["NAME"]),
                                                       "PRIVATE_MEDIA_ROOT": str(private)})
    restored_files = tmp_path / "hersteld"
    _run("restore", folder, env={"DATABASE_URL": fresh_database, "PRIVATE_MEDIA_ROOT": str(restored_files)})

    with psycopg.connect(fresh_database) as db:
        apps = sorted(db.execute("select id, state, reference from applications_application").fetchall())
        versions = db.execute("select count(*) from applications_applicationversion").fetchone()[0]
        files = dict(db.execute("select stored_name, sha256 from applications_attachment where application_id = any(%s)",
                                [[a.pk for a in ours]]).fetchall())
    assert apps == expected_apps
    assert versions == expected_versions
    assert files == expected_files
    for name, sha256 in files.items():
        assert hashlib.sha256((restored_files / name).read_bytes()).hexdigest() == sha256


def test_restore_refuses_a_database_that_is_not_empty(reference_data, tmp_path, fresh_database):
    private = Path(storages["private"].location)
    private.mkdir(parents=True, exist_ok=True)
    folder = _run("backup", tmp_path / "backups", env={"DATABASE_URL": _url(connection.settings_dict["NAME"]),
                                                       "PRIVATE_MEDIA_ROOT": str(private)})
    # The live (test) database already has tables: restoring into it is refused, nothing is changed.
    before = Application.objects.count()
    result = subprocess.run([str(ROOT / "scripts" / "restore"), folder], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "DATABASE_URL": _url(connection.settings_dict["NAME"]),
                                 "PRIVATE_MEDIA_ROOT": str(tmp_path / "leeg")}, timeout=120)
    assert result.returncode == 2 and "niet leeg" in result.stderr
    assert Application.objects.count() == before
    # A damaged backup is refused before anything is restored.
    with open(Path(folder) / "database.dump", "ab") as dump:
        dump.write(b"x")
    result = subprocess.run([str(ROOT / "scripts" / "restore"), folder], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "DATABASE_URL": fresh_database,
                                 "PRIVATE_MEDIA_ROOT": str(tmp_path / "leeg2")}, timeout=120)
    assert result.returncode == 2 and "beschadigd" in result.stderr
