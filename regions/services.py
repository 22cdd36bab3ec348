"""Every write of the regions app: the reference data of gemeenten, statistics, IZA-regio's, mandate holders
and membership. Called by the importers inside the import's transaction, which records the audit event;
each returns what it did ("created", "updated" or "unchanged") for the import's summary."""

import datetime

from django.utils.text import slugify

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from spukportal import audit
from spukportal.csv_import import CREATED, UNCHANGED, UPDATED, RowError
from spukportal.permissions import can_view_ministry_overviews

from .models import MandateHolder, Municipality, MunicipalityStatistics, Region, RegionMembership


def _save_changes(obj, values: dict) -> str:
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if not changed:
        return UNCHANGED
    for k in changed:
        setattr(obj, k, values[k])
    obj.full_clean()
    obj.save(update_fields=changed)
    return UPDATED


def municipality_upsert(*, cbs_code, name, province, **identifiers) -> str:
    """`identifiers`: kvk_number and/or oin, only when given (an import without them keeps what is set)."""
    obj = Municipality.objects.filter(cbs_code=cbs_code).first()
    if obj is None:
        obj = Municipality(cbs_code=cbs_code, name=name, province=province, **identifiers)
        obj.full_clean()
        obj.save()
        return CREATED
    return _save_changes(obj, {"name": name, "province": province, **identifiers})


def statistics_upsert(*, municipality_id, reference_year, **values) -> str:
    obj = MunicipalityStatistics.objects.filter(municipality_id=municipality_id,
                                                reference_year=reference_year).first()
    if obj is None:
        MunicipalityStatistics.objects.create(municipality_id=municipality_id, reference_year=reference_year,
                                              **values)
        return CREATED
    return _save_changes(obj, values)


def mandate_holder_set(*, region_name, municipality_id, organisation_name, signatory_name, signatory_role,
                       announced_on, source) -> str:
    """The region (made when new) gets this mandate holder from `announced_on`; a different current holder is
    closed the day before. Raises RowError when the current holder starts on or after that day."""
    outcome = UNCHANGED
    region = Region.objects.filter(name=region_name).first()
    if region is None:
        region = Region.objects.create(name=region_name, slug=slugify(region_name))
        outcome = CREATED
    holder = {"municipality_id": municipality_id, "organisation_name": organisation_name,
              "signatory_name": signatory_name, "signatory_role": signatory_role}
    current = region.mandate_holders.filter(valid_until__isnull=True).first()
    if current is not None:
        if all(getattr(current, k) == v for k, v in holder.items()):
            # The same holder made known earlier than recorded (a corrected date, e.g. the GALA's 30 June 2023
            # for holders first loaded with the date of the 2025 letter): it holds the mandate from that day,
            # as long as no earlier holder of the region held it then.
            earlier = region.mandate_holders.exclude(pk=current.pk).filter(valid_until__gte=announced_on).exists()
            if announced_on < current.valid_from and not earlier:
                current.announced_on = current.valid_from = announced_on
                current.source = source
                current.save(update_fields=["announced_on", "valid_from", "source"])
                return UPDATED
            return outcome
        if current.valid_from >= announced_on:
            raise RowError(f"de huidige mandaathouder van {region} geldt al vanaf "
                           f"{current.valid_from:%d-%m-%Y}; een nieuwe moet later ingaan.")
        current.valid_until = announced_on - datetime.timedelta(days=1)
        current.save(update_fields=["valid_until"])
    MandateHolder.objects.create(region=region, announced_on=announced_on, valid_from=announced_on,
                                 source=source, **holder)
    return CREATED if outcome == CREATED else UPDATED


def membership_set(*, municipality_id, region_id, valid_from, name) -> str:
    """The gemeente is a member of the region from `valid_from`; membership of another region ends the day
    before. Raises RowError when that other membership starts on or after that day."""
    current = RegionMembership.objects.valid_on(valid_from).filter(municipality_id=municipality_id).first()
    if current is not None and current.region_id == region_id:
        return UNCHANGED
    if current is not None:
        if current.valid_from >= valid_from:
            raise RowError(f"{name} is al lid van een andere regio vanaf {current.valid_from:%d-%m-%Y}.")
        current.valid_until = valid_from - datetime.timedelta(days=1)
        current.save(update_fields=["valid_until"])
    RegionMembership.objects.create(region_id=region_id, municipality_id=municipality_id,
                                    valid_from=valid_from)
    return CREATED if current is None else UPDATED


def mandate_officer_link(*, actor, holder, user, link: bool) -> None:
    """Ministry staff link (or unlink) a person who acts for a mandate holder that is not a gemeente (a public
    body such as SamenTwente): that person may then make the region's SPUK IZA application."""
    decision = can_view_ministry_overviews(actor)
    if not decision:
        raise PermissionDenied(decision.reason)
    if holder.municipality_id is not None:
        raise ValidationError(f"{holder.holder_name} is een gemeente: daarvoor handelen de medewerkers van die "
                              "gemeente; er valt niemand te koppelen.")
    with transaction.atomic():
        if link:
            holder.officers.add(user)
        else:
            holder.officers.remove(user)
        audit.record(actor=actor, action="mandaat.medewerker_gekoppeld" if link else "mandaat.medewerker_ontkoppeld",
                     obj=holder, message=f"{user.get_username()} {'gekoppeld aan' if link else 'ontkoppeld van'} "
                                         f"{holder.holder_name} ({holder.region})",
                     details={"gebruiker": user.pk, "regio": holder.region_id})


def municipality_address_save(*, actor, municipality, form) -> Municipality:
    """Ministry staff set a gemeente's postal address (where the decision letter goes), audited with old and new."""
    decision = can_view_ministry_overviews(actor)
    if not decision:
        raise PermissionDenied(decision.reason)
    before = Municipality.objects.get(pk=municipality.pk).postal_lines
    with transaction.atomic():
        municipality = form.save()
        audit.record(actor=actor, action="gemeente.postadres_gewijzigd", obj=municipality,
                     message=f"Postadres van {municipality.name} gewijzigd",
                     details={"voor": before, "na": municipality.postal_lines})
    return municipality
