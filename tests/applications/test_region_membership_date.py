"""Who reads a region's IZA application is decided on the period's opening day, the same day that fixes the
applicant's members and who must declare: the application list and the application page agree, and the region
dashboard names the same gemeenten as missing a declaration as the application does."""

import datetime

import pytest
from django.utils import timezone

from regions.models import Region, RegionMembership
from tests.applications import factories as f

pytestmark = pytest.mark.django_db


def _kerkrade_joins_flevoland(on):
    """Kerkrade (gemeente3) leaves Zuid-Limburg and joins Flevoland on `on` (after the period opened)."""
    kerkrade = f.municipality("GM0928")
    RegionMembership.objects.filter(municipality=kerkrade, valid_until__isnull=True).update(
        valid_until=on - datetime.timedelta(days=1))
    RegionMembership.objects.create(region=Region.objects.get(name="Flevoland"), municipality=kerkrade, valid_from=on)


def test_a_gemeente_that_joined_after_the_opening_day_neither_lists_nor_opens_the_application(login):
    app = f.iza_draft(f.iza_scenario())
    _kerkrade_joins_flevoland(timezone.localdate())
    client = login("gemeente3")
    assert f"/aanvragen/{app.pk}/" not in client.get("/aanvragen/").content.decode()
    assert client.get(f"/aanvragen/{app.pk}/").status_code == 403
    lelystad = login("gemeente2")  # a member on the opening day reads along, in the list and on the page
    assert f"/aanvragen/{app.pk}/" in lelystad.get("/aanvragen/").content.decode()
    assert lelystad.get(f"/aanvragen/{app.pk}/").status_code == 200


def test_the_region_dashboard_asks_the_application_who_must_declare(login):
    app = f.iza_draft(f.iza_scenario())
    _kerkrade_joins_flevoland(timezone.localdate())
    page = login("ministerie").get("/monitoring/regio/flevoland/").content.decode()
    expected = {m.name for m in app.applicant.declaring_members}
    assert "Kerkrade" not in expected and "Lelystad" in expected
    declarations = page[page.index('id="paneel-verklaringen"'):]
    declarations = declarations[:declarations.index("</table>")]
    assert "Lelystad" in declarations and "Kerkrade" not in declarations
