"""Who may see or do what in the monitoring app: plain functions returning a `Decision` (see
spukportal/permissions.py). Each part keeps its own section.

SiSa choice: the kerngroep does NOT read spending reports. The kerngroep advises on plans; the accountability
runs between the gemeente (or the mandate holder) and VWS, and the kerngroep sees spending only in aggregate
on the national dashboards.
"""

from spukportal.permissions import ALLOW, Decision, deny, is_ministry, is_officer, officer_municipality_ids


# --- SiSa ---------------------------------------------------------------------------------------------

def can_view_reports(user) -> Decision:
    """The list of spending reports: officers (their own and their region's) and ministry staff."""
    if is_officer(user) or is_ministry(user):
        return ALLOW
    return deny("Verantwoordingen zijn alleen zichtbaar voor gemeenten en het ministerie.")


def can_start_reports(user) -> Decision:
    """The start form: officers (for one of their own gemeenten)."""
    if is_officer(user):
        return ALLOW
    return deny("Alleen gemeentelijk medewerkers kunnen een verantwoording starten.")


def can_file_for(user, municipality) -> Decision:
    """Start and edit a report for this gemeente: only its own officers."""
    if municipality is not None and municipality.pk in officer_municipality_ids(user):
        return ALLOW
    return deny("Alleen medewerkers van deze gemeente kunnen haar verantwoording indienen.")


def _region_member(user, report) -> bool:
    """One of the user's gemeenten belongs to the report's region on the last day of the report's year."""
    if not report.region_id:
        return False
    from regions.selectors import member_ids_on, year_end

    return bool(officer_municipality_ids(user) & member_ids_on(report.region_id, year_end(report.year)))


def can_read_report(user, report) -> Decision:
    """Ministry staff; the reporting gemeente's officers; for IZA also the officers of the region's members."""
    if is_ministry(user) or report.municipality_id in officer_municipality_ids(user) or _region_member(user, report):
        return ALLOW
    return deny("U kunt alleen de verantwoording van uw eigen gemeente (of IZA-regio) inzien.")


def can_edit_report(user, report) -> Decision:
    """Only a concept, only by the reporting gemeente's officers (IZA: the mandate holder)."""
    if report.municipality_id not in officer_municipality_ids(user):
        return deny("Alleen de gemeente die verantwoordt (bij IZA de mandaathouder) kan deze verantwoording bewerken.")
    if report.status != "concept":
        return deny("Een ingediende verantwoording is vergrendeld; maak een correctie (een nieuwe versie).")
    return ALLOW


def can_correct_report(user, report) -> Decision:
    if report.municipality_id not in officer_municipality_ids(user):
        return deny("Alleen de gemeente die verantwoordt kan een correctie maken.")
    if report.status != "ingediend":
        return deny("Alleen de huidige ingediende versie kan worden gecorrigeerd.")
    return ALLOW


def can_manage_sisa(user) -> Decision:
    """The national overview, exports, the import of prior grants and the national batch: ministry staff."""
    if is_ministry(user):
        return ALLOW
    return deny("Deze pagina is alleen voor medewerkers van het ministerie.")


def visible_reports(user):
    """The reports (all versions) the user may read, as a queryset: the same rule as `can_read_report`."""
    from django.db.models import Q

    from regions.selectors import member_years

    from .models import SpendingReport

    qs = SpendingReport.objects.select_related("municipality", "region")
    if is_ministry(user):
        return qs
    ids = officer_municipality_ids(user)
    if not ids:
        return qs.none()
    scope = Q(municipality_id__in=ids)
    for region_id, first_year, last_year in member_years(ids):
        years = Q(year__gte=first_year) if last_year is None else Q(year__gte=first_year, year__lte=last_year)
        scope |= Q(region_id=region_id) & years
    return qs.filter(scope)


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
    """A region's dashboard: its member gemeenten today, the kerngroep and the ministry. `member_ids` (today's
    members' ids) may be given by the caller that already has them."""
    if _national_staff(user):
        return _ALLOW
    if region is not None:
        if member_ids is None:
            from django.utils import timezone

            from regions.selectors import member_ids_on

            member_ids = member_ids_on(region, timezone.localdate())
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
