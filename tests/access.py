"""The permission matrix machinery: every URL × every role.

Each app lists its URLs in `tests/<app>/access_matrix.py` as `CASES = [Case(...), ...]` and runs them
with `matrix_params(CASES)` in its `test_access_matrix.py`. `tests/test_url_coverage.py` fails when a
named URL of the portal is in no matrix.

A matrix's scenario (the applications, reports and letters its URLs point at) is built once per module and test
process by `shared_scenario`, not once per row: each row runs in a savepoint inside the module's transaction, so
what a row changes is undone before the next one, as before, and the scenario itself is rolled back at the end.
The scenario also keeps each case's URL and a logged-in session per account, which every row uses instead of
looking its objects up and logging in again (together half of a row's time).
"""

from dataclasses import dataclass
from typing import Callable

import pytest
from django.urls import reverse

ANONYMOUS = "anoniem"
ROLES = [ANONYMOUS, "gemeente", "gemeente2", "gemeente3", "kerngroep", "ministerie", "beheer"]
LOGGED_IN = set(ROLES) - {ANONYMOUS}


@dataclass
class Case:
    url_name: str
    allowed: set  # the demo accounts (see ROLES) that may open the URL
    args: Callable[[], tuple] | tuple = ()  # evaluated inside the test (database available)
    method: str = "get"
    data: dict | Callable[[], dict] | None = None
    ok_status: int = 200  # the one response an allowed user gets (a POST: the outcome a user would see)
    denied_status: int = 403
    label: str = ""

    def url(self):
        args = self.args() if callable(self.args) else self.args
        return reverse(self.url_name, args=args)


_scenario_urls: dict[int, str] = {}  # id(case) → its URL in the shared scenario being run
_scenario_sessions: dict[str, str] = {}  # account → the key of a session logged in as that account, in it


def all_cases() -> list[Case]:
    """Every row of every app's permission matrix (tests/<app>/access_matrix.py), in app order."""
    import importlib
    import pkgutil

    import tests

    cases = []
    for module in pkgutil.iter_modules(tests.__path__):
        try:
            matrix = importlib.import_module(f"tests.{module.name}.access_matrix")
        except ModuleNotFoundError:
            continue
        cases += matrix.CASES
    return cases


def shared_scenario(cases):
    """Two fixtures for a matrix's test module (`scenario_root, private_root = shared_scenario(CASES)`): a module
    fixture that builds the scenario once — it opens a transaction and evaluates every case's URL (the getters create
    what they point at when it is missing), keeps the private files in one folder and rolls everything back after
    the module's last test — and the module's `private_root`, that folder."""

    @pytest.fixture(scope="module")
    def scenario_root(django_db_setup, django_db_blocker, tmp_path_factory):
        from django.db import transaction

        from tests.conftest import reference_data_back, tasks_run_eagerly
        from tests.private_storage import private_storage_at

        root = tmp_path_factory.mktemp("matrix-private")
        with private_storage_at(root), django_db_blocker.unblock():
            reference_data_back()  # a transactional test run earlier by this process may have emptied the database
            with tasks_run_eagerly(), transaction.atomic():  # tasks as in the tests (conftest.eager_celery)
                _scenario_urls.update((id(case), case.url()) for case in cases)
                _scenario_sessions.update(_logged_in_sessions())
                try:
                    yield root
                finally:
                    _scenario_urls.clear()
                    _scenario_sessions.clear()
                    transaction.set_rollback(True)

    @pytest.fixture
    def private_root(scenario_root):
        return scenario_root

    return scenario_root, private_root


def matrix_params(cases):
    return [
        pytest.param(case, role, id=f"{case.label or case.url_name}-{role}")
        for case in cases
        for role in ROLES
    ]


def _logged_in_sessions() -> dict[str, str]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    sessions = {}
    for user in get_user_model().objects.filter(username__in=LOGGED_IN):
        client = Client()
        client.force_login(user)
        sessions[user.username] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


def check_access(client, case: Case, role: str):
    from django.conf import settings
    from django.contrib.auth import get_user_model

    if role in _scenario_sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = _scenario_sessions[role]
    elif role != ANONYMOUS:
        client.force_login(get_user_model().objects.get(username=role))
    data = case.data() if callable(case.data) else case.data
    response = getattr(client, case.method)(_scenario_urls.get(id(case)) or case.url(), data=data or {})
    if role == ANONYMOUS:
        assert response.status_code == 302 and "/inloggen/" in response["Location"], (
            f"{case.url_name}: anonymous must be sent to the login page, got {response.status_code}"
        )
    elif role in case.allowed:
        assert response.status_code == case.ok_status, (
            f"{case.url_name}: {role} may use it: expected {case.ok_status}, got {response.status_code}"
        )
    else:
        assert response.status_code == case.denied_status, (
            f"{case.url_name}: {role} may not use it: expected {case.denied_status}, got {response.status_code}"
        )
    return response
