"""Reads of reference data. All of it is visible to every logged-in user (see permissions)."""

import datetime

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from spukportal.permissions import officer_municipality_ids

from .models import MandateHolder, Municipality, Region, RegionMembership
from .search import municipality_query


def _current_membership(date):
    return RegionMembership.objects.valid_on(date).filter(municipality=OuterRef("pk"))


def municipality_list(*, q: str = "", province: str = "", region: str = "", date=None):
    date = date or timezone.localdate()
    current = _current_membership(date)
    qs = Municipality.objects.annotate(
        region_name=Subquery(current.values("region__name")[:1]),
        region_slug=Subquery(current.values("region__slug")[:1]),
    )
    if q:
        qs = qs.filter(municipality_query(q))
    if province:
        qs = qs.filter(province=province)
    if region:
        qs = qs.filter(region_slug=region)
    return qs.order_by("name")


def current_region_of(municipality, date=None):
    membership = (
        RegionMembership.objects.valid_on(date).filter(municipality=municipality).select_related("region").first()
    )
    return membership.region if membership else None


def current_mandate_holder(region, date=None):
    return MandateHolder.objects.valid_on(date).filter(region=region).select_related("municipality").first()


def members_of(region, date=None):
    return Municipality.objects.filter(
        pk__in=RegionMembership.objects.valid_on(date).filter(region=region).values("municipality")
    ).order_by("name")


def municipalities():
    return Municipality.objects.all()


def regions():
    return Region.objects.all()


def municipalities_of_officer(user):
    """The gemeenten this user works for as an officer, by name."""
    return Municipality.objects.filter(pk__in=officer_municipality_ids(user)).order_by("name")


def public_body_holders():
    """Mandate holders that are not a gemeente (their officers are linked by ministry staff)."""
    return MandateHolder.objects.filter(municipality__isnull=True).select_related("region")


def region_choices():
    """(slug, name) of every region, for a filter."""
    return Region.objects.order_by("name").values_list("slug", "name")


def municipality_detail(municipality) -> dict:
    region = current_region_of(municipality)
    return {
        "municipality": municipality,
        "statistics": list(municipality.statistics.order_by("-reference_year")),
        "region": region,
        "mandate_holder": current_mandate_holder(region) if region else None,
        "other_members": list(members_of(region).exclude(pk=municipality.pk)) if region else [],
        "memberships": list(municipality.memberships.select_related("region").order_by("-valid_from")),
    }


def region_list(*, q: str = "", province: str = "", has_mandate_holder: str = "", date=None):
    date = date or timezone.localdate()
    holders = MandateHolder.objects.valid_on(date).select_related("municipality")
    qs = Region.objects.annotate(
        member_count=Count(
            "memberships", filter=Q(memberships__valid_from__lte=date)
            & (Q(memberships__valid_until__isnull=True) | Q(memberships__valid_until__gte=date)),
            distinct=True,
        )
    ).prefetch_related(Prefetch("mandate_holders", queryset=holders, to_attr="current_holders"))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(memberships__municipality__in=Municipality.objects.filter(
            municipality_query(q)))).distinct()
    if province:
        qs = qs.filter(
            pk__in=RegionMembership.objects.valid_on(date).filter(municipality__province=province).values("region")
        )
    if has_mandate_holder in ("ja", "nee"):
        with_holder = MandateHolder.objects.valid_on(date).values("region")
        qs = qs.filter(pk__in=with_holder) if has_mandate_holder == "ja" else qs.exclude(pk__in=with_holder)
    return qs.order_by("name")


MANDATE_DEADLINE = datetime.date(2023, 6, 30)  # GALA Bijlage 2: mandate holder known to VWS by this date


def region_detail(region) -> dict:
    members = list(
        members_of(region).prefetch_related(
            Prefetch("statistics", queryset=_latest_statistics(), to_attr="stats")
        )
    )
    holder = current_mandate_holder(region)
    return {
        "region": region,
        "mandate_holder": holder,
        "mandate_known_in_time": holder is not None and holder.announced_on <= MANDATE_DEADLINE,
        "mandate_deadline": MANDATE_DEADLINE,
        "mandate_history": list(region.mandate_holders.select_related("municipality").order_by("-valid_from")),
        "members": members,
        "population": sum(m.stats[0].population for m in members if m.stats),
    }


def _latest_statistics():
    from .models import MunicipalityStatistics

    return MunicipalityStatistics.objects.order_by("-reference_year")


def mandate_overview(date=None):
    """Every region with its current mandate holder (and since when); regions without one apart."""
    regions = list(region_list(date=date))
    return {
        "with_holder": [r for r in regions if r.current_holders],
        "without_holder": [r for r in regions if not r.current_holders],
    }
