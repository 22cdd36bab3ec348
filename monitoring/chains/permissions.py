"""Who may see or record a gemeente's ketenaanpak monitoring: plain functions returning a `Decision`."""

from spukportal.permissions import ALLOW, deny, is_ministry, is_reviewer, officer_municipality_ids


def can_view_monitoring(user, municipality):
    """A gemeente's ketenaanpak states and valpreventie figures: its own officers, the kerngroep, the ministry."""
    national_staff = is_ministry(user) or is_reviewer(user)
    if national_staff or (municipality is not None and municipality.pk in officer_municipality_ids(user)):
        return ALLOW
    return deny("U kunt alleen de monitoring van uw eigen gemeente bekijken.")


def can_record_monitoring(user, municipality):
    """Only the gemeente's own officers record its states and figures."""
    if municipality is not None and municipality.pk in officer_municipality_ids(user):
        return ALLOW
    return deny("Alleen medewerkers van deze gemeente kunnen de monitoring bijwerken.")
