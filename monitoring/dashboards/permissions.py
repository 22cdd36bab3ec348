"""Who may see the region and national dashboards and make or open exports: plain functions returning a
`Decision`."""

from django.utils import timezone

from regions.selectors import member_ids_on
from spukportal.permissions import ALLOW, deny, is_ministry, is_reviewer, officer_municipality_ids


def _national_staff(user) -> bool:
    return is_ministry(user) or is_reviewer(user)


def can_view_region_dashboard(user, region, member_ids=None):
    """A region's dashboard: its member gemeenten today, the kerngroep and the ministry. `member_ids` (today's
    members' ids) may be given by the caller that already has them."""
    if _national_staff(user):
        return ALLOW
    if region is not None:
        if member_ids is None:
            member_ids = member_ids_on(region, timezone.localdate())
        if set(member_ids) & set(officer_municipality_ids(user)):
            return ALLOW
    return deny("Dit dashboard is alleen voor de gemeenten van deze regio, de kerngroep en het ministerie.")


def can_view_national_dashboard(user):
    if _national_staff(user):
        return ALLOW
    return deny("Het landelijke dashboard is alleen voor de kerngroep en het ministerie.")


def can_make_exports(user):
    """Large exports (Celery) and the downloads page: ministry staff and the kerngroep."""
    return can_view_national_dashboard(user)


def can_open_export(user, export):
    """An export's file: whoever made it; ministry staff also open those of colleagues."""
    if not can_make_exports(user):
        return deny("U heeft geen toegang tot exports.")
    if export.created_by_id == user.pk or is_ministry(user):
        return ALLOW
    return deny("Deze export is door iemand anders gemaakt.")
