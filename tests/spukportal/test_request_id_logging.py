"""Operations: every response carries an X-Request-ID (the proxy's when it is a safe short token,
else a new uuid4) and every log line written while handling the request carries the same id; with
LOG_FORMAT=json the lines are JSON objects. No e-mail addresses, passwords or session keys in a log line."""

import io
import json
import logging
import re

import pytest
from django.test import Client

from spukportal.middleware import JsonFormatter, RedactingFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """What django.request writes during a request, through the console handler's filter and JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_a_safe_request_id_from_the_proxy_is_returned_and_in_the_json_log_line(json_log):
    response = Client().get("/bestaat-niet/", HTTP_X_REQUEST_ID="proxy-1234abcd")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "proxy-1234abcd"
    [line] = json_log()
    assert line["request_id"] == "proxy-1234abcd"
    assert line["level"] == "WARNING" and line["logger"] == "django.request" and "/bestaat-niet/" in line["message"]
    assert line["status_code"] == 404
    assert set(line) <= {"time", "level", "logger", "message", "request_id", "client_address", "status_code",
                         "exc_info"}


@pytest.mark.parametrize("offered", ["", "kort", "x" * 65, "a b c d e f", "id\r\nSet-Cookie: a=b", "<script>1234"])
def test_an_unsafe_or_missing_request_id_is_replaced_by_a_uuid(offered, json_log):
    response = Client().get("/bestaat-niet/", HTTP_X_REQUEST_ID=offered)
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    assert json_log()[0]["request_id"] == request_id


def test_every_response_has_its_own_request_id():
    client = Client()
    first, second = client.get("/gezondheid/"), client.get("/inloggen/")
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_outside_a_request_the_id_is_a_dash():
    Client().get("/gezondheid/", HTTP_X_REQUEST_ID="voorbij-0001")  # a finished request leaves no id behind
    record = logging.LogRecord("spukportal", logging.INFO, __file__, 1, "taak klaar", None, None)
    RequestIdFilter().filter(record)
    assert json.loads(JsonFormatter().format(record))["request_id"] == "-"


@pytest.mark.parametrize("formatter", [JsonFormatter(), RedactingFormatter()])
def test_no_email_password_session_key_or_reset_link_in_a_log_line(formatter):
    record = logging.LogRecord(
        "spukportal", logging.WARNING, __file__, 1,
        "inlog %s password=Geheim123! sessionid=abcdef0123 csrftoken: 'tok' /wachtwoord/herstellen/MQ/c0d-e1f/",
        ("jan.jansen@almere.example.nl",), None)
    record.request = object()  # Django's request object on django.request records: never serialized
    RequestIdFilter().filter(record)
    line = formatter.format(record)
    for secret in ("jan.jansen", "almere.example", "Geheim123", "abcdef0123", "tok'", "MQ/c0d-e1f"):
        assert secret not in line
    assert "[e-mail]" in line and "password=[verborgen]" in line


@pytest.fixture
def console_log():
    """What the configured console handler (its filters and formatter) writes."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream.getvalue
    handler.setStream(previous)


def test_an_oversized_body_is_a_400_logged_as_one_line_without_a_traceback(console_log, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = Client(raise_request_exception=False).post(
        "/inloggen/", "x=" + "a" * 5000, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    output = console_log()
    assert "Request body exceeded" in output  # logged by django.security.RequestDataTooBig
    assert "Traceback" not in output


def test_each_request_has_an_access_line_with_the_clients_address_behind_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("spukportal.access")
    logger.addHandler(handler)
    try:
        response = Client().get("/inloggen/?volgende=/geheim", REMOTE_ADDR="172.18.0.2",
                                HTTP_X_FORWARDED_FOR="203.0.113.66")
    finally:
        logger.removeHandler(handler)
    [line] = [json.loads(raw) for raw in stream.getvalue().splitlines()]
    assert line["client_address"] == "203.0.113.66"
    assert line["request_id"] == response["X-Request-ID"]
    assert line["message"].startswith("GET /inloggen/ 200 ") and "geheim" not in line["message"]
