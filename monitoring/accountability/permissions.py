"""Who may see or do what with SiSa spending reports: plain functions returning a `Decision` (see
spukportal/permissions.py).

SiSa choice: the kerngroep does NOT read spending reports. The kerngroep advises on plans; the accountability
runs between the gemeente (or the mandate holder) and VWS, and the kerngroep sees spending only in aggregate
on the national dashboards.
"""

from django.db.models import Q

from regions.selectors import member_ids_on, member_region_years, year_end
from spukportal.permissions import ALLOW, Decision, deny, is_ministry, is_officer, officer_municipality_ids

from ..models import SpendingReport


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
    qs = SpendingReport.objects.select_related("municipality", "region")
    if is_ministry(user):
        return qs
    ids = officer_municipality_ids(user)
    if not ids:
        return qs.none()
    return qs.filter(Q(municipality_id__in=ids) | member_region_years(ids))
