"""Who may decide and open or retry the decision letters: plain functions returning a `Decision`."""

from spukportal.permissions import ALLOW, Decision, deny, is_ministry, is_reviewer


def acts_as_ministry(user, application) -> Decision:
    if is_ministry(user):
        return ALLOW
    return deny("Alleen het ministerie kan dit doen.")


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
