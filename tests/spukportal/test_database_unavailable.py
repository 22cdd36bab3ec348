"""Failures: a database that drops the connection mid-request gives a 503 page in Dutch in the
portal's layout, not a bare 500. The error is a real one: our own backend connection is terminated by
another connection (pg_terminate_backend) and the next query fails."""

import pytest
from django.db import connection, connections
from django.db.utils import OperationalError
from django.test import RequestFactory

from spukportal.middleware import DatabaseUnavailableMiddleware


@pytest.mark.django_db(transaction=True)
def test_a_terminated_database_connection_gives_the_dutch_503_page():
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend bestaat alleen op PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()
    with pytest.raises(OperationalError) as failed:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    connection.close()

    request = RequestFactory().get("/aanvragen/")
    response = DatabaseUnavailableMiddleware(lambda r: None).process_exception(request, failed.value)
    assert response.status_code == 503
    page = response.content.decode()
    assert "Tijdelijk niet beschikbaar" in page and "niets\nhalf opgeslagen" in page
    assert response["Retry-After"] == "30"


def test_other_errors_are_left_to_the_500_page():
    response = DatabaseUnavailableMiddleware(lambda r: None).process_exception(RequestFactory().get("/"),
                                                                               ValueError("x"))
    assert response is None
