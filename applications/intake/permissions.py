"""Who may start, see, edit and declare for applications, and manage the periods: plain functions
returning a `Decision`. Who acts for an application is its applicant's business (`Application.applicant`, see
`applications.applicants`); which states allow what is the workflow table's (`applications.intake.flow`).
This module imports neither the workflow table nor the models, so both may import it."""

from spukportal.permissions import (ALLOW, Decision, deny, is_ministry, is_officer, is_reviewer,
                                    officer_municipality_ids)


def can_view_applications(user) -> Decision:
    """May open the list of applications (each user sees only what the selector gives them)."""
    if is_officer(user) or is_reviewer(user) or is_ministry(user):
        return ALLOW
    return deny("Aanvragen zijn alleen zichtbaar voor gemeenten, de kerngroep en het ministerie.")


def can_start_applications(user) -> Decision:
    """May open the page to start an application (for one of their own gemeenten)."""
    if is_officer(user):
        return ALLOW
    return deny("Alleen gemeentelijk medewerkers kunnen een aanvraag starten.")


def can_create_application(user, applicant) -> Decision:
    return applicant.may_act(user)


def acts_as_applicant(user, application) -> Decision:
    """The applicant's officers (the guard of the applicant's transitions)."""
    if application.applicant.may_act(user):
        return ALLOW
    return deny(f"Alleen medewerkers van {application.applicant.name} kunnen dit doen.")


def can_view_application(user, application) -> Decision:
    """The applicant's officers (for an IZA-regio also its member gemeenten, read-only): drafts included.
    Kerngroep and ministry: only applications submitted at least
    once (never a draft that never left the gemeente)."""
    if application.applicant.may_read(user):
        return ALLOW
    if (is_reviewer(user) or is_ministry(user)) and application.submitted_at is not None:
        return ALLOW
    return deny("U heeft geen toegang tot deze aanvraag.")


def can_edit_application(user, application) -> Decision:
    if not application.applicant.may_act(user):
        return deny(f"Alleen medewerkers van {application.applicant.name} kunnen de aanvraag wijzigen.")
    if not application.state_info.editable:
        return deny(f"De aanvraag is {application.state_info.label.lower()} en kan niet meer worden gewijzigd.")
    return ALLOW


def can_declare(user, application, municipality) -> Decision:
    """SPUK IZA: an officer of a member gemeente (not the mandate holder) records or withdraws that gemeente's
    mandate declaration, while the application can still be changed."""
    applicant = application.applicant
    if municipality is None or municipality.pk not in officer_municipality_ids(user):
        return deny("U kunt alleen een verklaring vastleggen voor een gemeente waarvoor u werkt.")
    if municipality.pk not in {m.pk for m in applicant.declaring_members}:
        return deny(f"{municipality.name} hoeft voor deze aanvraag geen mandaatverklaring af te geven.")
    if not application.state_info.editable:
        return deny(f"De aanvraag is {application.state_info.label.lower()}; verklaringen liggen vast.")
    return ALLOW


def can_download_attachment(user, attachment) -> Decision:
    """The applicant's officers: every attachment. Kerngroep and ministry: only what was submitted."""
    application = attachment.application
    if application.applicant.may_read(user):
        return ALLOW
    if can_view_application(user, application) and attachment.frozen:
        return ALLOW
    return deny("U heeft geen toegang tot deze bijlage.")


def can_manage_periods(user) -> Decision:
    if is_ministry(user):
        return ALLOW
    return deny("Alleen het ministerie beheert de aanvraagperiodes.")


def can_grant_extension(user) -> Decision:
    if is_ministry(user):
        return ALLOW
    return deny("Alleen het ministerie kan uitstel verlenen.")
