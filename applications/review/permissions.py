"""Who may take part in the kerngroep's review: plain functions returning a `Decision`."""

from spukportal.permissions import ALLOW, Decision, deny, is_ministry, is_review_chair, is_reviewer


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
