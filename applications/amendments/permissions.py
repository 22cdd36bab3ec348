"""Who may see or do what with change requests and amended decisions: plain functions returning a `Decision`.

Who acts for an application is its applicant's (`Application.applicant`: the gemeente, for an IZA-regio the
mandate holder); reading along is `may_read` (an IZA-regio's member gemeenten). This module imports neither
the amendment flow nor the models, so both may import it."""

from spukportal.permissions import ALLOW, Decision, deny, is_ministry, is_reviewer


def can_request_change(user, application) -> Decision:
    """Start a change request on a granted application: the applicant's officers (IZA: the mandate holder)."""
    if application.applicant.may_act(user):
        return ALLOW
    return deny(f"Alleen medewerkers van {application.applicant.name} kunnen een wijziging aanvragen.")


def acts_as_applicant(user, change_request) -> Decision:
    return can_request_change(user, change_request.application)


def can_view_change_request(user, change_request) -> Decision:
    """The applicant (and an IZA-regio's members reading along), the kerngroep and the ministry; a concept only
    the applicant."""
    application = change_request.application
    if application.applicant.may_read(user):
        return ALLOW
    if (is_reviewer(user) or is_ministry(user)) and change_request.submitted_at is not None:
        return ALLOW
    return deny("U heeft geen toegang tot dit verzoek om wijziging.")


def may_advise(user, change_request) -> Decision:
    """The kerngroep advises on a change request where the regulation asks it (`amendment_needs_advice`)."""
    if not is_reviewer(user):
        return deny("Alleen de kerngroep adviseert over een verzoek om wijziging.")
    return ALLOW


def may_ask_advice(user, change_request) -> Decision:
    if not is_ministry(user):
        return deny("Alleen het ministerie kan de kerngroep om advies vragen.")
    if not change_request.application.definition.amendment_needs_advice:
        return deny(f"Bij de {change_request.application.definition.name_in_sentence} adviseert de kerngroep niet "
                    "over wijzigingen.")
    return ALLOW


def may_decide(user, change_request) -> Decision:
    """The ministry decides; where the kerngroep advises, only after its advice. (Decisions have no four-eyes
    rule in the portal; neither do amendments.)"""
    if not is_ministry(user):
        return deny("Alleen het ministerie besluit over een verzoek om wijziging.")
    if change_request.application.definition.amendment_needs_advice and not change_request.advice:
        return deny("De kerngroep heeft nog niet geadviseerd over dit verzoek om wijziging.")
    return ALLOW


def can_view_amendment_queue(user) -> Decision:
    if is_ministry(user) or is_reviewer(user):
        return ALLOW
    return deny("De lijst met verzoeken om wijziging is voor het ministerie en de kerngroep.")


def can_amend(user) -> Decision:
    """The ministry's own amendments (a batch after a budget change) and letter retries."""
    if is_ministry(user):
        return ALLOW
    return deny("Alleen het ministerie maakt wijzigingsbesluiten.")


def can_download_amended_decision(user, amended) -> Decision:
    """The letter: the applicant's officers (IZA: of every member gemeente), the kerngroep and the ministry."""
    application = amended.decision.application
    if application.applicant.may_read(user) or is_reviewer(user) or is_ministry(user):
        return ALLOW
    return deny("U heeft geen toegang tot dit wijzigingsbesluit.")
