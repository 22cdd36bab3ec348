"""Schemathesis against the committed OpenAPI description (api/openapi.yaml), in-process on the test
database: every operation, generated parameters, without a token, with a gemeente's and with the ministry's.
Every answer must be no server error and exactly what the description promises: a documented status code and
content type, and a body and headers that fit its schema.

Each generated case is sent twice: as generated, and with its path parameter set to a real object (a published
run, Lelystad's application, Urk's decision, Almere's report), so the answers with data are checked too."""

from pathlib import Path

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings as hsettings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

from .access_matrix import (NO_TOKEN, TOKEN_A, TOKEN_MINISTRY, _application, _decision_of_urk, _report,
                            _run)

schema = schemathesis.openapi.from_path(str(Path(__file__).resolve().parents[2] / "api" / "openapi.yaml"))
schema.app = get_wsgi_application()

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """Schemathesis calls the WSGI application directly; like Django's test client, keep Django from closing
    the test's database connection (its transaction) at the start and end of each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def real_path_parameters(db):
    return {"run_id": str(_run()[0]), "id": None, "reference": _decision_of_urk()[0]}


def _real_id(path):
    if "/aanvragen/" in path:
        return str(_application("GM0995").pk)
    if "/verantwoordingen/" in path:
        return str(_report()[0])
    return None


@pytest.fixture(params=[NO_TOKEN, TOKEN_A, TOKEN_MINISTRY])
def token(request, api_tokens, settings):
    settings.API_THROTTLE_RATES = {"token": "100000/min", "anoniem": "100000/min"}
    return api_tokens[request.param]


@pytest.mark.django_db
@schema.parametrize()
@hsettings(max_examples=15, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                  HealthCheck.filter_too_much])
def test_the_api_keeps_to_its_description(case, token, real_path_parameters):
    # Schemathesis asks for gzip but its WSGI transport does not unpack it as an HTTP client does: ask for the body as is.
    headers = {"Accept-Encoding": "identity"} | ({"Authorization": token} if token else {})
    case.call_and_validate(headers=headers, checks=CHECKS)
    if case.path_parameters:
        real = dict(real_path_parameters, id=_real_id(case.path))
        case.path_parameters = {name: real.get(name) or value for name, value in case.path_parameters.items()}
        case.call_and_validate(headers=headers, checks=CHECKS)
