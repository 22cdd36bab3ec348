"""SPUK IZA as the GALA (Bijlage 2) describes it: mandate holders made known by 30 June 2023, so the region applies
for 2023 "op hoofdlijnen"; that application is granted provisionally, completed (regioplan, governance, plan van
aanpak) as the same application, and ends in the definitive grant that replaces the provisional one."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from applications import services
from regions.models import MandateHolder
from regions.reference import load as load_reference

from . import factories as f

pytestmark = pytest.mark.django_db

GALA_MANDATE_DATE = datetime.date(2023, 6, 30)
JULY_2023 = datetime.date(2023, 7, 17)


def _period_2023():
    return f.iza_scenario(years=(2023,), opens_on=datetime.date(2023, 7, 1), closes_on=datetime.date(2023, 12, 31),
                          plan_required=False)


def test_the_shipped_mandate_holders_are_known_from_the_gala_date():
    holders = MandateHolder.objects.filter(valid_until__isnull=True)
    assert holders.count() == 42
    assert set(holders.values_list("announced_on", "valid_from")) == {(GALA_MANDATE_DATE, GALA_MANDATE_DATE)}


def test_a_2023_iza_application_by_the_mandate_holder_is_accepted():
    period = _period_2023()
    application = services.application_create(actor=f.user("gemeente"), period=period, region=f.flevoland(),
                                              today=JULY_2023)
    assert application.applicant.mandate_holder.holder_name == "Almere"
    assert application.applicant.why_not() == ""


def test_holders_loaded_with_the_2025_date_are_refused_in_2023_until_the_reference_data_is_loaded_again():
    """A database loaded before the GALA date was in the data: the holder started on 12 Sep 2025, so the 2023
    application was refused. Loading the reference data again moves the same holder's start back."""
    MandateHolder.objects.filter(valid_until__isnull=True).update(
        announced_on=datetime.date(2025, 9, 12), valid_from=datetime.date(2025, 9, 12))
    period = _period_2023()
    with pytest.raises(ValidationError, match="Flevoland heeft op 01-07-2023 geen mandaathouder"):
        services.application_create(actor=f.user("gemeente"), period=period, region=f.flevoland(), today=JULY_2023)
    load_reference()
    holder = MandateHolder.objects.get(region__name="Flevoland", valid_until__isnull=True)
    assert (holder.announced_on, holder.valid_from) == (GALA_MANDATE_DATE, GALA_MANDATE_DATE)
    assert "GALA" in holder.source
    services.application_create(actor=f.user("gemeente"), period=period, region=f.flevoland(), today=JULY_2023)
