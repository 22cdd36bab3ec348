"""The logged-in user of a request, loaded in one query with what every page's frame asks of it.

Every page shows a menu by the user's roles and a badge with their unread notifications. Loaded apart, the user,
their roles and that count were three queries on every request, 1.5 ms of processor time in Django and 0.5 ms in
PostgreSQL; now one query of 0.3 ms in each (measured in one process on the national-volume database of
benchmarks/bench_load.py). It reads the user's row with the count
as a subquery and, joined, one row per role assignment, with SQL written once per process
(spukportal/prepared.py). The roles and the count are kept on the user object, where `permissions.roles_of` and
`notifications.unread_count` look first. Both are as they were when the request began: the requests that change
the count (opening a notification, marking all read) redirect.

Every authentication backend of the portal (password, OIDC, eHerkenning) loads the session's user this way and
refuses an inactive account (as Django's ModelBackend does): a deactivated user is treated as logged out from their
next request on. (The session row stays until it expires; reactivating the account within that time lets it in again.)
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import F

from . import notifications, permissions
from .prepared import PreparedQuery

_USER = PreparedQuery(lambda pk: get_user_model()._default_manager.annotate(
    spuk_unread=notifications.unread_count_expression(), spuk_role=F("role_assignments__role__code"),
    spuk_municipality=F("role_assignments__municipality_id")).filter(pk=pk))


def load(user_id):
    """The user with this id (active or not), with roles and unread count kept; None when there is none."""
    try:
        rows = _USER.run(int(user_id))
    except (TypeError, ValueError):  # not an id (a session written by another user model)
        return None
    if not rows:
        return None
    user = rows[0]
    permissions.set_roles(user, [(row.spuk_role, row.spuk_municipality) for row in rows if row.spuk_role])
    notifications.set_unread_count(user, user.spuk_unread)
    return user


class SessionUserMixin:
    """`get_user` (the session's user, on every request) through `load`; an inactive account is refused."""

    def get_user(self, user_id):
        user = load(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class PortalModelBackend(SessionUserMixin, ModelBackend):
    """Logging in with username and password: Django's ModelBackend."""
