"""Shared fixtures.

- The shipped reference data and the demo accounts are loaded once into the test database; tests using
  `db` see them and roll back their own changes.
- Transactional tests (live server, real worker) commit what they do. On PostgreSQL the database is put back
  afterwards as first loaded (the tables whose rows changed, from a copy taken once per test process, and the
  sequence positions), instead of Django's flush; elsewhere it is flushed, and `reference_data` loads the data again.
- Passwords are hashed with a fast hasher (MD5) in the test process: the production hasher (PBKDF2 with a
  million rounds) took a third of a second per demo account and per login with a password.
  tests/spukportal/test_login.py checks the production hasher itself.
- Celery runs eagerly in-process by default; tests marked `worker` run against a real Celery worker on
  Redis, started once per session by `celery_worker_process`; `scripts/run-tests` runs them in one process of
  their own, beside the parallel run of the others (whose tasks run eagerly and never reach Redis).
"""

import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django.test import TransactionTestCase

from tests.private_storage import private_storage_at
from tests.template_db import TEMPLATE_DB, TEMPLATE_FILES

# Playwright's sync API runs an event loop in the main thread; Django's ORM refuses that unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Static files under their own names, found by the finders: the suite does not run collectstatic (the hashed
# names of production are tested in tests/spukportal/test_static_files.py). The settings are loaded already;
# the environment is for the processes the tests start (the Celery worker).
os.environ["SPUK_HASHED_STATIC"] = "false"


def _static_without_collectstatic():
    from django.conf import settings

    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


_static_without_collectstatic()


def _static_files_listed_once():
    """WhiteNoise lists the static files of every finder (some 260, 12 ms) each time its middleware is made, and the
    test client makes the middleware anew for every test: the list is made once per test process and per set of
    the settings it depends on, and copied into each new middleware."""
    from django.conf import settings
    from whitenoise.middleware import WhiteNoiseMiddleware

    listed = {}
    list_files = WhiteNoiseMiddleware.add_files_from_finders

    def add_files_from_finders(self):
        whitenoise = [getattr(settings, f"WHITENOISE_{name}", None) for name in (
            "MAX_AGE", "ALLOW_ALL_ORIGINS", "CHARSET", "MIMETYPES", "ADD_HEADERS_FUNCTION", "INDEX_FILE",
            "IMMUTABLE_FILE_TEST")]
        key = repr([self.static_prefix, settings.DEBUG, settings.STATIC_URL, settings.STATICFILES_DIRS,
                    settings.STATICFILES_FINDERS, *whitenoise])
        if key not in listed:
            before = dict(self.files)
            list_files(self)
            listed[key] = {url: f for url, f in self.files.items() if before.get(url) is not f}
        self.files.update(listed[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders


_static_files_listed_once()


def _fast_password_hasher():
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


_fast_password_hasher()

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI") == "true"



# The longest tests start first, so that the parallel processes finish together instead of one of them running a
# minute-long browser sweep at the end while the other waits: in this order, then everything else as collected.
# The hook runs before pytest-django's, whose stable sort then keeps its groups (tests in a transaction, then the
# transactional tests that empty the database, then those without one), so no test that rolls back comes after a flush.
LONGEST_FIRST = ("tests/e2e/test_look.py", "tests/test_hostile_input.py", "tests/test_odd_integers.py", "tests/e2e/",
                 "tests/test_authorization_walk.py", "tests/spukportal/test_valid_html.py",
                 "tests/spukportal/test_static_files.py")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    def rank(item):
        return next((i for i, prefix in enumerate(LONGEST_FIRST) if item.nodeid.startswith(prefix)), len(LONGEST_FIRST))

    items.sort(key=rank)


def load_reference_and_demo_data():
    from regions.models import Municipality

    if not Municipality.objects.exists():
        call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))
        call_command("load_demo_data", verbosity=0, stdout=open(os.devnull, "w"))


class DatabaseSnapshot:
    """The test database as loaded once (reference and demo data): the rows of every table (PostgreSQL COPY),
    the positions of the sequences and the private files written while loading. `restore` puts exactly that back
    after a transactional test emptied the database, instead of loading everything again (~20 s)."""

    def __init__(self, private_root: Path):
        from django.db import connection

        self.private_root = private_root
        self.tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
        self.rows = {}
        with connection.cursor() as cursor:
            for table in self.tables:
                with cursor.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT") as copy:
                    data = b"".join(bytes(chunk) for chunk in copy)
                if data:
                    self.rows[table] = data
            cursor.execute("SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences "
                           "WHERE schemaname = current_schema()")
            self.sequences = cursor.fetchall()
        self.fingerprints = self._fingerprints()

    def _fingerprints(self):
        """Per table its number of rows and the sum of a 64-bit hash of each row's text: what tells a changed
        table from an unchanged one, in one query (some 30 ms for all tables)."""
        from django.db import connection

        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(
                f"SELECT %s, count(*), coalesce(sum(hashtextextended(t::text, 0)), 0) FROM {quote(table)} t"
                for table in self.tables), self.tables)
            return {table: (count, digest) for table, count, digest in cursor.fetchall()}

    def reset(self):
        """Back to the snapshot after a transactional test, in place of Django's flush (which emptied every table,
        made the content types and permissions anew, after which `restore` put every row back: 2-3 s per browser
        test). Only the tables whose rows differ are emptied and copied back, with the triggers off (a superuser's
        right; elsewhere Django's flush): the result is the snapshot whole. The sequences go back to their
        positions, so a new row gets the id it got in the first test of the process."""
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection, transaction

        quote = connection.ops.quote_name
        changed = [table for table, fingerprint in self._fingerprints().items()
                   if fingerprint != self.fingerprints[table]]
        with transaction.atomic(), connection.cursor() as cursor:
            # No triggers while the rows go back: neither the ledger's refusal of a DELETE (budgets/migrations/0004)
            # nor a foreign key check per row; what is left is the snapshot itself, whole.
            cursor.execute("SET LOCAL session_replication_role = replica")
            for table in changed:
                cursor.execute(f"DELETE FROM {quote(table)}")
                if data := self.rows.get(table):
                    with cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                        copy.write(data)
            self._restore_sequences(cursor)
        if "django_content_type" in changed:
            ContentType.objects.clear_cache()

    def _restore_sequences(self, cursor):
        """Every sequence at its position of the snapshot (one that was never used: as new), in one statement."""
        cursor.execute("SELECT " + ", ".join(
            "setval(%s, 1, false)" if last_value is None else "setval(%s, %s, true)"
            for _, last_value in self.sequences),
            [value for sequence, last_value in self.sequences
             for value in ((sequence,) if last_value is None else (sequence, last_value))])

    def restore(self):
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection, transaction

        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            # One statement for all tables (as `flush` does); foreign keys are checked at commit (Django makes
            # them DEFERRABLE INITIALLY DEFERRED), so the order of the copies does not matter.
            cursor.execute(f"TRUNCATE {', '.join(quote(t) for t in self.tables)} CASCADE")
            for table, data in self.rows.items():
                with cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                    copy.write(data)
            self._restore_sequences(cursor)
        ContentType.objects.clear_cache()  # the flush's post_migrate made content types with other ids
        self.restore_files()

    def restore_files(self):
        from django.core.files.storage import storages

        shutil.copytree(self.private_root, storages["private"].location, dirs_exist_ok=True)


_snapshot: DatabaseSnapshot | None = None
_flush = TransactionTestCase._fixture_teardown


def _reset_or_flush(test_case):
    """The end of a transactional test: the database back as first loaded where there is a snapshot (PostgreSQL),
    else Django's flush (an empty database)."""
    if _snapshot is None:
        return _flush(test_case)
    try:
        _snapshot.reset()
    except DatabaseError:  # not a superuser: the flush (and `reference_data` copies everything back)
        _flush(test_case)


TransactionTestCase._fixture_teardown = _reset_or_flush


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """With a template made for this run (tests/template_db.py, by scripts/run-tests), this process's test database
    is created as a copy of it."""
    from django.conf import settings

    if os.environ.get(TEMPLATE_DB):
        settings.DATABASES["default"]["TEST"]["TEMPLATE"] = os.environ[TEMPLATE_DB]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """Loads the reference and demo data once per test process; on PostgreSQL keeps a snapshot of it. The files
    the demo data writes go to a folder of the session (copied into a test's private folder on restore)."""
    global _snapshot
    from django.db import connection

    private_root = tmp_path_factory.mktemp("private-loaded")
    if template_files := os.environ.get(TEMPLATE_FILES):  # the template's private files
        shutil.copytree(template_files, private_root, dirs_exist_ok=True)
    with private_storage_at(private_root), django_db_blocker.unblock():
        load_reference_and_demo_data()  # nothing to do in a copy of the template
        if connection.vendor == "postgresql":
            _snapshot = DatabaseSnapshot(private_root)


def reference_data_back():
    """The reference data and demo accounts (with their private files) in the database: restored from the snapshot
    after a flush, or loaded again where there is no snapshot (SQLite)."""
    from regions.models import Municipality

    if _snapshot is None:
        load_reference_and_demo_data()
    elif not Municipality.objects.exists():
        _snapshot.restore()
    else:
        _snapshot.restore_files()


@pytest.fixture
def reference_data(transactional_db):
    """For transactional tests: the reference data and demo accounts, back after a flush."""
    reference_data_back()


@contextmanager
def tasks_run_eagerly(eager=True):
    """Celery tasks run in-process (eager) or go to Redis for as long as the block runs."""
    from spukportal.celery import app

    previous, app.conf.task_always_eager = app.conf.task_always_eager, eager
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def eager_celery(request):
    """Tasks run in-process unless the test is marked `worker`."""
    with tasks_run_eagerly(request.node.get_closest_marker("worker") is None):
        yield


@pytest.fixture(scope="session")
def worker_private_root(tmp_path_factory):
    """Private storage shared by the test process and the real Celery worker."""
    return tmp_path_factory.mktemp("private-worker")


@pytest.fixture
def private_root(request, tmp_path):
    """The folder of this test's private files: its own, or for tests with a real worker the folder that worker
    writes to. A matrix with a shared scenario overrides it with its module's folder (tests/access.py)."""
    if request.node.get_closest_marker("worker"):
        return request.getfixturevalue("worker_private_root")
    return tmp_path / "private"


@pytest.fixture(autouse=True)
def _private_media(private_root):
    """Uploaded and generated files of a test go to `private_root`."""
    with private_storage_at(private_root):
        yield


def _login(client, username):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return client


@pytest.fixture
def login(client):
    """`login("gemeente")` → the test client, logged in as that demo account."""
    return lambda username: _login(client, username)


def worker_environment(private_root):
    """The environment of a real Celery worker process: this process's, on the test database."""
    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    env = dict(os.environ)
    env["DATABASE_URL"] = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env["SPUK_VAR_DIR"] = settings.VAR_DIR.as_posix()
    env["PRIVATE_MEDIA_ROOT"] = str(private_root)
    return env


def real_worker_problem():
    """Why a real worker cannot run here (skip, or fail under CI), or None."""
    from django.conf import settings
    from django.db import connection

    if not settings.REDIS_URL:
        return "REDIS_URL is niet gezet"
    if connection.vendor != "postgresql":
        return "de worker heeft een gedeelde database nodig (PostgreSQL)"
    return None


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, worker_private_root):
    """A real Celery worker process on Redis, using the test database."""
    problem = real_worker_problem()
    if problem:
        if IN_CI:
            pytest.fail(f"Celery-worker kan niet starten in CI: {problem}.")
        pytest.skip(f"Test met echte Celery-worker overgeslagen: {problem}.")

    env = worker_environment(worker_private_root)
    log = open(ROOT / "var" / "celery-test-worker.log", "w") if (ROOT / "var").is_dir() else subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "spukportal", "worker", "--pool=solo", "--concurrency=1",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO",
         "--hostname", f"test-worker-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    from spukportal.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail("De Celery-worker stopte direct; zie var/celery-test-worker.log.")
        replies = app.control.ping(timeout=1.0, destination=[f"test-worker-{os.getpid()}@{os.uname().nodename}"])
        if replies:
            break
    else:
        proc.terminate()
        pytest.fail("De Celery-worker reageerde niet binnen 60 seconden.")
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
