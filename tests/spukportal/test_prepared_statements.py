"""On PostgreSQL the queries of every request are bound on the server and prepared once per connection
(spukportal/settings.py, DB_PREPARED_STATEMENTS): PostgreSQL then parses and plans them once, not on every
request. That lifted the load benchmark's capacity from 154.5 to 188.5 requests a second on two cores, side by
side in one run (benchmarks/bench_load.py --capacity)."""

import pytest
from django.db import connection

from regions.models import Municipality


def _prepared():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_a_query_that_a_connection_runs_again_and_again_is_prepared_and_gives_the_same_rows():
    if connection.vendor != "postgresql":
        pytest.skip("voorbereide statements zijn een instelling voor PostgreSQL")
    municipalities = list(Municipality.objects.order_by("pk")[:7])
    assert len(municipalities) == 7
    names = [Municipality.objects.get(pk=m.pk).name for m in municipalities]
    assert names == [m.name for m in municipalities], "the prepared statement answers each run's own value"
    statements = [s for s in _prepared() if 'FROM "regions_municipality"' in s and "LIMIT" in s]
    assert statements and "$1" in statements[0], "prepared with its value as a parameter, not quoted into the SQL"
