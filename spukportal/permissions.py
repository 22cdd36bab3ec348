"""Who may see or do what: plain functions, one place, tested as a matrix (tests/test_access_matrix.py).

Every function returns a `Decision`: truthy when allowed, with a Dutch reason when not. Views call
`require(decision)`, which turns a refusal into 403.
"""

from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import Role


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self):
        return self.allowed


ALLOW = Decision(True)


def deny(reason: str) -> Decision:
    return Decision(False, reason)


def require(decision: Decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason or "U heeft geen toegang tot deze pagina.")


def require_that(check):
    """View decorator: `@require_that(can_view_ministry_overviews)` checks `check(request.user)`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(check(request.user))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- who is the user -------------------------------------------------------------------------------

def _load(user):
    if not hasattr(user, "_spuk_roles"):
        roles, municipality_ids = set(), set()
        if user.is_authenticated and user.is_active:
            for code, municipality_id in user.role_assignments.values_list("role__code", "municipality_id"):
                roles.add(code)
                if code == Role.OFFICER and municipality_id:
                    municipality_ids.add(municipality_id)
        user._spuk_roles = frozenset(roles)
        user._spuk_municipality_ids = frozenset(municipality_ids)
    return user


def roles_of(user) -> frozenset[str]:
    return _load(user)._spuk_roles


def officer_municipality_ids(user) -> frozenset[int]:
    """The gemeenten this user works for as municipal officer."""
    return _load(user)._spuk_municipality_ids


def is_officer(user) -> bool:
    return Role.OFFICER in roles_of(user) and bool(officer_municipality_ids(user))


def is_reviewer(user) -> bool:
    return Role.REVIEWER in roles_of(user)


def is_ministry(user) -> bool:
    return Role.MINISTRY in roles_of(user)


def is_administrator(user) -> bool:
    return Role.ADMINISTRATOR in roles_of(user) or (user.is_authenticated and user.is_superuser)


def forget_roles(user) -> None:
    """Drop the per-request cache (after a role change in the same request)."""
    for attr in ("_spuk_roles", "_spuk_municipality_ids"):
        if hasattr(user, attr):
            delattr(user, attr)


# --- reference data --------------------------------------------------------------------------------

def can_view_reference_data(user) -> Decision:
    """Gemeenten, IZA-regio's, mandate holders and statistics: public within the portal."""
    if user.is_authenticated and user.is_active:
        return ALLOW
    return deny("Log in om de referentiegegevens te bekijken.")


def can_view_ministry_overviews(user) -> Decision:
    if is_ministry(user):
        return ALLOW
    return deny("Deze pagina is alleen voor medewerkers van het ministerie.")


def can_use_admin(user) -> Decision:
    if is_administrator(user):
        return ALLOW
    return deny("Alleen beheerders hebben toegang tot het beheer.")


# --- a gemeente's own (non-public) data -----------------------------------------------------------

def can_act_for_municipality(user, municipality) -> Decision:
    """May file and edit on behalf of this gemeente: only its own officers."""
    if municipality is not None and municipality.pk in officer_municipality_ids(user):
        return ALLOW
    return deny("U werkt niet voor deze gemeente.")


def can_view_municipality_data(user, municipality) -> Decision:
    """May read this gemeente's own data (amounts, explanations, submitted applications): its officers,
    the kerngroep and the ministry."""
    if can_act_for_municipality(user, municipality) or is_reviewer(user) or is_ministry(user):
        return ALLOW
    return deny("U heeft geen toegang tot de gegevens van deze gemeente.")


# --- budgets ---

def can_view_budgets(user) -> Decision:
    """Components, their spending conditions and the budget versions: public within the portal."""
    return can_view_reference_data(user)


def can_manage_allocations(user) -> Decision:
    """Keys, allocation runs, official tables, comparisons and national reports: the ministry."""
    if is_ministry(user):
        return ALLOW
    return deny("Verdeelberekeningen zijn alleen voor medewerkers van het ministerie.")


def can_view_own_amounts(user) -> Decision:
    if is_officer(user):
        return ALLOW
    return deny("Deze pagina is voor medewerkers van een gemeente.")


def can_view_allocation_explanation(user, run, municipality) -> Decision:
    """How a gemeente's amount was computed: the ministry and the kerngroep for every finished run; the
    gemeente's own officers only for runs made visible to gemeenten."""
    if run.status != run.Status.FINISHED:
        return deny("Deze berekening is nog niet klaar.")
    if is_ministry(user) or is_reviewer(user):
        return ALLOW
    if run.is_published and can_act_for_municipality(user, municipality):
        return ALLOW
    return deny("U kunt alleen de bedragen van uw eigen gemeente inzien.")


# --- applications ---

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


def can_create_application(user, municipality) -> Decision:
    return can_act_for_municipality(user, municipality)


def can_view_application(user, application) -> Decision:
    """Officers: their own gemeente's applications, drafts included. Kerngroep and ministry: only
    applications that have been submitted at least once (never a draft that never left the gemeente)."""
    if can_act_for_municipality(user, application.municipality):
        return ALLOW
    if (is_reviewer(user) or is_ministry(user)) and application.submitted_at is not None:
        return ALLOW
    return deny("U heeft geen toegang tot deze aanvraag.")


def can_edit_application(user, application) -> Decision:
    if not can_act_for_municipality(user, application.municipality):
        return deny("Alleen medewerkers van de gemeente kunnen de aanvraag wijzigen.")
    if not application.is_editable:
        return deny(f"De aanvraag is {application.state_info.label.lower()} en kan niet meer worden gewijzigd.")
    return ALLOW


def can_submit_application(user, application) -> Decision:
    return can_edit_application(user, application)


def can_withdraw_application(user, application) -> Decision:
    from applications.workflow import S

    if not can_act_for_municipality(user, application.municipality):
        return deny("Alleen medewerkers van de gemeente kunnen de aanvraag intrekken.")
    if application.state not in (S.CONCEPT, S.INGEDIEND, S.IN_BEOORDELING, S.AANVULLING_GEVRAAGD):
        return deny("Deze aanvraag kan niet meer worden ingetrokken.")
    return ALLOW


def can_view_application_versions(user, application) -> Decision:
    return can_view_application(user, application)


def can_download_attachment(user, attachment) -> Decision:
    """The gemeente's own officers: every attachment. Kerngroep and ministry: only what was submitted."""
    application = attachment.application
    if can_act_for_municipality(user, application.municipality):
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
