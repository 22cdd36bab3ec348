"""Who may see or do what with applications: plain functions returning a `Decision`.

Who acts for an application is its applicant's business (`Application.applicant`, see
`applications.applicants`); which states allow what is the workflow table's (`applications.intake.flow`).
This module imports neither `applications.intake.flow` nor `applications.models`, so both may import it.
"""

from spukportal.permissions import (ALLOW, Decision, deny, is_ministry, is_officer, is_review_chair, is_reviewer,
                                    officer_municipality_ids)


# --- lists and pages ---------------------------------------------------------------------------------

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


# --- one application ---------------------------------------------------------------------------------

def acts_as_applicant(user, application) -> Decision:
    """The applicant's officers (the guard of the applicant's transitions)."""
    if application.applicant.may_act(user):
        return ALLOW
    return deny(f"Alleen medewerkers van {application.applicant.name} kunnen dit doen.")


def acts_as_reviewer(user, application) -> Decision:
    if is_reviewer(user):
        return ALLOW
    return deny("Alleen de kerngroep kan dit doen.")


def may_take_for_review(user, application) -> Decision:
    """Take a submitted application into review: any kerngroep member when nobody has it yet, else its
    first reviewer (a resubmission goes back to the same reviewer)."""
    if not is_reviewer(user):
        return deny("Alleen de kerngroep kan dit doen.")
    if application.first_reviewer_id not in (None, user.pk):
        return deny("Een andere beoordelaar heeft deze aanvraag al in behandeling.")
    if application.second_reviewer_id == user.pk:
        return deny("U bent de tweede beoordelaar van deze aanvraag; de eerste beoordeling doet een ander.")
    return ALLOW


def acts_as_first_reviewer(user, application) -> Decision:
    if is_reviewer(user) and application.first_reviewer_id == user.pk:
        return ALLOW
    return deny("Alleen de eerste beoordelaar van deze aanvraag kan dit doen.")


def acts_as_second_reviewer(user, application) -> Decision:
    if is_reviewer(user) and application.second_reviewer_id == user.pk:
        return ALLOW
    return deny("Alleen de tweede beoordelaar van deze aanvraag kan dit doen.")


def can_assign_reviewers(user) -> Decision:
    """The chair of the kerngroep assigns first and second reviewers."""
    if is_review_chair(user):
        return ALLOW
    return deny("Alleen de voorzitter van de kerngroep kan beoordelaars toewijzen.")


def acts_as_ministry(user, application) -> Decision:
    if is_ministry(user):
        return ALLOW
    return deny("Alleen het ministerie kan dit doen.")


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


# --- periods (ministry) ------------------------------------------------------------------------------

def can_manage_periods(user) -> Decision:
    if is_ministry(user):
        return ALLOW
    return deny("Alleen het ministerie beheert de aanvraagperiodes.")


def can_grant_extension(user) -> Decision:
    if is_ministry(user):
        return ALLOW
    return deny("Alleen het ministerie kan uitstel verlenen.")


# --- decisions by the ministry -------------------------------------------------------------

def can_decide(user) -> Decision:
    """Ministry staff make decisions (beschikkingen), one by one or in a batch."""
    if is_ministry(user):
        return ALLOW
    return deny("Alleen het ministerie neemt besluiten over aanvragen.")


def can_download_decision(user, decision) -> Decision:
    """The letter: the applicant's officers (for an IZA-regio those of every member gemeente), the kerngroep
    and the ministry; nobody else."""
    application = decision.application
    if application.applicant.may_read(user) or is_reviewer(user) or is_ministry(user):
        return ALLOW
    return deny("U heeft geen toegang tot deze beschikking.")


def can_mark_advance_paid(user) -> Decision:
    """Ministry staff record that an advance was paid (portal policy: the payment itself is outside the portal)."""
    if is_ministry(user):
        return ALLOW
    return deny("Alleen het ministerie legt vast dat een voorschot is betaald.")


def can_retry_decision_letter(user, decision) -> Decision:
    """Ministry staff may have a letter made again (the service refuses one that is already made)."""
    if is_ministry(user):
        return ALLOW
    return deny("Alleen het ministerie kan de brief opnieuw laten maken.")


# --- the kerngroep's review -----------------------------------------------------------------

def can_view_review_queue(user) -> Decision:
    """The queue of submitted applications: kerngroep members, and ministry staff reading along."""
    if is_reviewer(user) or is_ministry(user):
        return ALLOW
    return deny("De beoordelingslijst is alleen voor de kerngroep en het ministerie.")


def can_see_review(user, application) -> Decision:
    """The review panel, the assessment (read-only for anyone but its first reviewer) and internal comments."""
    if (is_reviewer(user) or is_ministry(user)) and application.submitted_at is not None:
        return ALLOW
    return deny("Alleen de kerngroep en het ministerie zien de beoordeling.")
