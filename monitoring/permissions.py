"""Who may see and do what in the monitoring app. Sections: the SiSa part's (spending reports) and
`# --- dashboards ---` (ketenaanpak monitoring, region and national dashboards, exports), each owned on its own.
Every function returns a `spukportal.permissions.Decision`."""


# --- dashboards ----------------------------------------------------------------------------------------------
# Ketenaanpak monitoring, the region and national dashboards and the exports (downloads page).

from spukportal.permissions import (ALLOW as _ALLOW, deny as _deny, is_ministry as _is_ministry,  # noqa: E402
                                    is_reviewer as _is_reviewer, officer_municipality_ids as _officer_ids)


def _national_staff(user) -> bool:
    return _is_ministry(user) or _is_reviewer(user)


def can_view_monitoring(user, municipality):
    """A gemeente's ketenaanpak states and valpreventie figures: its own officers, the kerngroep, the ministry."""
    if _national_staff(user) or (municipality is not None and municipality.pk in _officer_ids(user)):
        return _ALLOW
    return _deny("U kunt alleen de monitoring van uw eigen gemeente bekijken.")


def can_record_monitoring(user, municipality):
    """Only the gemeente's own officers record its states and figures."""
    if municipality is not None and municipality.pk in _officer_ids(user):
        return _ALLOW
    return _deny("Alleen medewerkers van deze gemeente kunnen de monitoring bijwerken.")


def can_view_region_dashboard(user, region, member_ids=None):
    """A region's dashboard: its current member gemeenten, the kerngroep and the ministry. `member_ids` (the
    current members' ids) may be given by the caller that already has them."""
    if _national_staff(user):
        return _ALLOW
    if region is not None:
        if member_ids is None:
            from regions.models import RegionMembership

            member_ids = set(RegionMembership.objects.valid_on().filter(region=region)
                             .values_list("municipality_id", flat=True))
        if set(member_ids) & set(_officer_ids(user)):
            return _ALLOW
    return _deny("Dit dashboard is alleen voor de gemeenten van deze regio, de kerngroep en het ministerie.")


def can_view_national_dashboard(user):
    if _national_staff(user):
        return _ALLOW
    return _deny("Het landelijke dashboard is alleen voor de kerngroep en het ministerie.")


def can_make_exports(user):
    """Large exports (Celery) and the downloads page: ministry staff and the kerngroep."""
    return can_view_national_dashboard(user)


def can_open_export(user, export):
    """An export's file: whoever made it; ministry staff also open those of colleagues."""
    if not can_make_exports(user):
        return _deny("U heeft geen toegang tot exports.")
    if export.created_by_id == user.pk or _is_ministry(user):
        return _ALLOW
    return _deny("Deze export is door iemand anders gemaakt.")
