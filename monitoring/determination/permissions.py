"""Who may see or do what with determinations (vaststellingen): plain functions returning a `Decision`.

The ministry makes and determines them, sends the reclaim and registers its receipt. The recipient's officers
(SPUK IZA: the officers of the gemeente that gave the final accounting for the region, its mandate holder) read
their determination, its letter, reclaim and status once it is determined — a concept is the ministry's.
The kerngroep does not read them (as with the SiSa reports it sees money only in aggregate).
"""

from spukportal.permissions import ALLOW, Decision, deny, is_ministry, is_officer, officer_municipality_ids


def can_manage_determinations(user) -> Decision:
    """The queue, the concept, the batch: ministry staff."""
    if is_ministry(user):
        return ALLOW
    return deny("Vaststellingen maken en beheren is voorbehouden aan medewerkers van het ministerie.")


def can_view_determinations(user) -> Decision:
    """The list of one's own determinations: officers; the ministry's queue: ministry staff."""
    if is_ministry(user) or is_officer(user):
        return ALLOW
    return deny("Vaststellingen zijn alleen zichtbaar voor gemeenten en het ministerie.")


def _own(user, determination) -> bool:
    return determination.final_report.municipality_id in officer_municipality_ids(user)


def can_read_determination(user, determination) -> Decision:
    if is_ministry(user):
        return ALLOW
    if _own(user, determination):
        if determination.letter_date is not None:  # set when it is determined
            return ALLOW
        return deny("Deze vaststelling is nog een concept van het ministerie.")
    return deny("U kunt alleen de vaststelling van uw eigen gemeente (of IZA-regio) inzien.")


def can_determine(user, determination) -> Decision:
    return can_manage_determinations(user)


def can_manage_determinations_on(user, determination) -> Decision:
    return can_manage_determinations(user)


def can_send_reclaim(user, determination) -> Decision:
    decision = can_manage_determinations(user)
    if decision and determination.reclaim <= 0:
        return deny("Er is niets terug te vorderen; sluit de vaststelling af zonder terugvordering.")
    return decision


def can_close_without_reclaim(user, determination) -> Decision:
    decision = can_manage_determinations(user)
    if decision and determination.reclaim > 0:
        return deny("Er is een terugvordering; verzend die eerst.")
    return decision


def can_retry_letter(user, determination) -> Decision:
    return can_manage_determinations(user)
