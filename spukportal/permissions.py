"""Roles and the shared permission machinery; each app keeps its own rules in its own `permissions.py`
(budgets/permissions.py, applications/permissions.py), tested as a matrix (tests/<app>/access_matrix.py).

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

def set_roles(user, assignments) -> None:
    """Keep the user's roles for this request from its role assignments, (role code, gemeente id) pairs; an
    inactive user has none. spukportal/session_user.py loads them with the session's user."""
    roles, municipality_ids = set(), set()
    if user.is_active:
        for code, municipality_id in assignments:
            roles.add(code)
            if code == Role.OFFICER and municipality_id:
                municipality_ids.add(municipality_id)
    user._spuk_roles = frozenset(roles)
    user._spuk_municipality_ids = frozenset(municipality_ids)


def _with_roles(user):
    """The user, with its roles and officer gemeenten cached for this request."""
    if not hasattr(user, "_spuk_roles"):
        set_roles(user, user.role_assignments.values_list("role__code", "municipality_id")
                  if user.is_authenticated and user.is_active else ())
    return user


def roles_of(user) -> frozenset[str]:
    return _with_roles(user)._spuk_roles


def officer_municipality_ids(user) -> frozenset[int]:
    """The gemeenten this user works for as municipal officer."""
    return _with_roles(user)._spuk_municipality_ids


def is_officer(user) -> bool:
    return Role.OFFICER in roles_of(user) and bool(officer_municipality_ids(user))


def is_reviewer(user) -> bool:
    return Role.REVIEWER in roles_of(user)


def is_review_chair(user) -> bool:
    """Chairs the kerngroep (always also a reviewer)."""
    return Role.REVIEW_CHAIR in roles_of(user) and is_reviewer(user)


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


# --- notifications -------------------------------------------------------------------------

def can_view_notifications(user) -> Decision:
    """Every logged-in user has a list of their own notifications (the selector gives only theirs)."""
    return ALLOW if user.is_authenticated else deny("Log in om uw meldingen te zien.")


def can_open_notification(user, notification) -> Decision:
    if user.is_authenticated and notification.user_id == user.pk:
        return ALLOW
    return deny("Deze melding is niet voor u bestemd.")
