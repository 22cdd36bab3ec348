"""Reads of reference data. All of it is visible to every logged-in user (see permissions)."""

import datetime

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from spukportal.permissions import is_officer, officer_municipality_ids
from spukportal.prepared import PreparedQuery

from .models import MandateHolder, Municipality, MunicipalityStatistics, Region, RegionMembership
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


# Asked on every officer's start page (a gemeente's card) and of every IZA application (its mandate holder): the
# SQL of these two is written once per process (spukportal/prepared.py).
_REGION_OF = PreparedQuery(lambda m, day: memberships_on(day).filter(municipality=m).select_related("region")
                           .order_by("pk")[:1])
_HOLDER_ON = PreparedQuery(lambda region, day: MandateHolder.objects.valid_on(day).filter(region=region)
                           .select_related("municipality").order_by("pk")[:1])


def current_region_of(municipality, date=None):
    """The region `municipality` belongs to on `date` (today when None); None when it belongs to none."""
    rows = _REGION_OF.run(municipality.pk, date or timezone.localdate())
    return rows[0].region if rows else None


# --- region membership: one question, always with the date the rule names ---------------------------------
# Who applies and who declares: the period's opening day. Who reads an IZA SiSa report: the last day of the
# report's year. Who opens a region's dashboard and what the reference pages show: today.

def memberships_on(date):
    """The memberships valid on `date` (a date, or an expression such as `OuterRef("period__opens_on")`)."""
    return RegionMembership.objects.valid_on(date)


def members_on(region, date):
    """The gemeenten that belong to `region` on `date`, by name."""
    return Municipality.objects.filter(
        pk__in=memberships_on(date).filter(region=region).values("municipality")
    ).order_by("name")


def member_ids_on(region, date) -> set[int]:
    return set(memberships_on(date).filter(region=region).values_list("municipality_id", flat=True))


def regions_of_on(municipality_ids, date):
    """The regions that any of these gemeenten belongs to on `date` (a queryset of region ids)."""
    return memberships_on(date).filter(municipality_id__in=municipality_ids).values("region")


def mandate_holder_on(region, date):
    """The mandate holder of `region` on `date` (None when it has none)."""
    rows = _HOLDER_ON.run(region.pk, date)
    return rows[0] if rows else None


def region_mandated_to(municipality, date):
    """The region whose mandate this gemeente holds on `date` (None when it holds none)."""
    holder = MandateHolder.objects.valid_on(date).filter(municipality=municipality).select_related("region").first()
    return holder.region if holder else None


def year_end(year: int) -> datetime.date:
    """The day whose membership decides who reads a region's SiSa report over `year`."""
    return datetime.date(year, 12, 31)


def member_years(municipality_ids) -> list[tuple[int, int, int | None]]:
    """(region_id, first year, last year or None) for which one of these gemeenten is a member on the last day
    of the year: `members_on(region, year_end(y))` for each y in the range, as a range a query can filter on."""
    ranges = []
    for region_id, start, until in RegionMembership.objects.filter(municipality_id__in=municipality_ids) \
            .values_list("region_id", "valid_from", "valid_until"):
        last = None if until is None else (until.year if (until.month, until.day) == (12, 31) else until.year - 1)
        if last is None or last >= start.year:
            ranges.append((region_id, start.year, last))
    return ranges


def member_region_years(municipality_ids) -> Q:
    """A filter on rows with `region_id` and `year`: the rows of the regions these gemeenten belong to on the last
    day of the row's year (what a member reads along: the region's SiSa reports, its money)."""
    scope = Q(pk__in=[])
    for region_id, first_year, last_year in member_years(municipality_ids):
        years = Q(year__gte=first_year) if last_year is None else Q(year__gte=first_year, year__lte=last_year)
        scope |= Q(region_id=region_id) & years
    return scope


def municipalities():
    return Municipality.objects.all()


def regions():
    return Region.objects.all()


_OFFICER_MUNICIPALITIES = PreparedQuery(lambda ids: Municipality.objects.filter(pk__in=ids).order_by("name"))


def municipalities_of_officer(user) -> list:
    """The gemeenten this user works for as an officer, by name (the officer's start page and list of applications
    ask it on every visit: SQL written once)."""
    return _OFFICER_MUNICIPALITIES.run(tuple(sorted(officer_municipality_ids(user))))


def public_body_holders():
    """Mandate holders that are not a gemeente (their officers are linked by ministry staff)."""
    return MandateHolder.objects.filter(municipality__isnull=True).select_related("region")


_REGION_CHOICES = PreparedQuery(lambda: Region.objects.order_by("name").values_list("slug", "name"))


def region_choices() -> list:
    """[(slug, name)] of every region, for a filter (the review queue's, on every page of it: SQL written once)."""
    return _REGION_CHOICES.run()


# The card is on every officer's start page: its queries' SQL is written once (spukportal/prepared.py).
_CARD_STATISTICS = PreparedQuery(lambda m: MunicipalityStatistics.objects.filter(municipality=m)
                                 .order_by("-reference_year"))
_CARD_OTHERS = PreparedQuery(lambda region, day, m: members_on(region, day).exclude(pk=m))


def municipality_card(municipality) -> dict:
    """What a gemeente's card shows (regions/_municipality_card.html): its region and mandate holder today,
    its population per reference year and the other members of its region."""
    today = timezone.localdate()
    region = current_region_of(municipality, today)
    return {
        "municipality": municipality,
        "statistics": _CARD_STATISTICS.run(municipality.pk),
        "region": region,
        "mandate_holder": mandate_holder_on(region, today) if region else None,
        "other_members": _CARD_OTHERS.run(region.pk, today, municipality.pk) if region else [],
    }


def municipality_detail(municipality) -> dict:
    """A gemeente's page: its card and the history of its region memberships."""
    return {**municipality_card(municipality),
            "memberships": list(municipality.memberships.select_related("region").order_by("-valid_from"))}


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
    today = timezone.localdate()
    members = list(
        members_on(region, today).prefetch_related(
            Prefetch("statistics", queryset=_latest_statistics(), to_attr="stats")
        )
    )
    holder = mandate_holder_on(region, today)
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
    return MunicipalityStatistics.objects.order_by("-reference_year")


def mandate_overview(date=None):
    """Every region with its current mandate holder (and since when); regions without one apart."""
    regions = list(region_list(date=date))
    return {
        "with_holder": [r for r in regions if r.current_holders],
        "without_holder": [r for r in regions if not r.current_holders],
    }


def start_page(user) -> dict:
    """An officer's own gemeenten, for the start page (`spukportal.hooks.START_PAGE`)."""
    if not is_officer(user):
        return {}
    return {"own_municipalities": [municipality_card(m) for m in municipalities_of_officer(user)]}
