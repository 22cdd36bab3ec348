"""Each dashboard costs a fixed number of queries whatever the data size: measured with the demo data of a few
gemeenten and again at national volume (342 gemeenten with ketenaanpak states, valpreventie figures, an
application each, and a spending report per gemeente per year 2023–2026)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regions.models import Region

from .factories_dashboards import national_volume

pytestmark = pytest.mark.django_db

PAGES = {
    "landelijk": ("ministerie", "/monitoring/landelijk/", {"jaar": "2025"}),
    "landelijk-provincie": ("kerngroep", "/monitoring/landelijk/", {"jaar": "2025", "provincie": "Limburg"}),
    "regio": ("gemeente", "/monitoring/regio/flevoland/", {"jaar": "2025"}),
    "gemeente": ("gemeente", "/monitoring/gemeente/GM0034/", {}),
    "export": ("ministerie", "/monitoring/landelijk/besteding-regio.xlsx", {"jaar": "2025"}),
}


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("name", PAGES)
def test_a_dashboard_costs_the_same_queries_for_a_few_gemeenten_and_for_the_whole_country(
        client, name, django_assert_max_num_queries):
    from django.contrib.auth import get_user_model

    assert Region.objects.filter(slug="flevoland").exists()
    role, url, params = PAGES[name]
    client.force_login(get_user_model().objects.get(username=role))
    national_volume(size=10)
    client.get(url, params)  # warm the per-process caches (sessions, content types)
    small = _queries(client, url, params)
    national_volume()
    with django_assert_max_num_queries(small):
        response = client.get(url, params)
    assert response.status_code == 200
    print(f"{name}: {small} queries")


def test_the_national_dashboard_reads_the_gemeenten_and_regions_once_for_its_panels_and_its_map(client):
    """The panels and the map draw on the same gemeenten, regions and memberships (one Geography per page): the
    regions and today's memberships are read once, and the regions once more for the filter form's list."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="ministerie"))
    national_volume(size=10)
    with CaptureQueriesContext(connection) as context:
        response = client.get("/monitoring/landelijk/", {"jaar": "2025", "kaart": "kaart-verdeling"})
    assert response.status_code == 200 and "Kaart: " in response.content.decode()
    # The form's list is read through a cursor (DECLARE … CURSOR FOR SELECT …) when the values are bound on the
    # client; with server-side binding (spukportal/settings.py) it is a plain SELECT. Both count as the SELECT.
    selects = [q["sql"].split(" CURSOR FOR ", 1)[-1] for q in context.captured_queries]
    tables = [sql.split(" FROM ", 1)[1].split()[0] for sql in selects if sql.startswith("SELECT") and " FROM " in sql]
    assert tables.count('"regions_region"') == 2
    assert tables.count('"regions_regionmembership"') == 1
