"""Who reads a region's IZA SiSa report: the officers of the gemeenten that belong to the region on the last day
of the report's year. A gemeente that left the region before that day no longer reads it (nor sees it listed)."""

import datetime

import pytest

from regions.models import RegionMembership
from tests.monitoring import sisa_factories as f

pytestmark = pytest.mark.django_db


def _lelystad_leaves_flevoland(on):
    membership = RegionMembership.objects.get(municipality__cbs_code="GM0995", region__name="Flevoland",
                                              valid_until__isnull=True)
    membership.valid_until = on
    membership.save()


def test_a_member_on_the_last_day_of_the_year_reads_the_region_report(login):
    rep = f.flevoland_2024()
    _lelystad_leaves_flevoland(datetime.date(2024, 12, 31))  # still a member on the year's last day
    client = login("gemeente2")
    assert client.get(f"/verantwoording/{rep.pk}/").status_code == 200
    assert f"/verantwoording/{rep.pk}/" in client.get("/verantwoording/").content.decode()


def test_a_former_member_no_longer_reads_the_region_report(login):
    rep = f.flevoland_2024()
    _lelystad_leaves_flevoland(datetime.date(2024, 6, 30))
    client = login("gemeente2")
    assert client.get(f"/verantwoording/{rep.pk}/").status_code == 403
    assert client.get(f"/verantwoording/{rep.pk}/sisa.csv").status_code == 403
    assert f"/verantwoording/{rep.pk}/" not in client.get("/verantwoording/").content.decode()
