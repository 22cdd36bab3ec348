"""What every write of the applications app starts with (kept apart so that the review and decision
services can use it without importing `applications.intake.services`)."""

from django.core.exceptions import PermissionDenied
from django.utils.formats import date_format

from . import permissions
from .models import Application


class EditConflict(Exception):
    """A save based on an older version than the one stored: a colleague saved in between."""

    def __init__(self, current, message):
        super().__init__(message)
        self.current = current
        self.message = message


class SubmissionBlocked(Exception):
    def __init__(self, reasons: list[str], deadline_passed: bool = False):
        super().__init__("; ".join(reasons))
        self.reasons = reasons
        self.deadline_passed = deadline_passed


def dutch_date(value) -> str:
    return date_format(value, "j F Y")


def _require(decision):
    if not decision:
        raise PermissionDenied(decision.reason)


def _lock(pk) -> Application:
    """Lock the application row (in a fixed order: always this row first); every write to an application
    takes this lock."""
    return Application.objects.select_for_update(of=("self",)).select_related(
        "period", "municipality", "region").get(pk=pk)


def _open_for_edit(actor, application, *, base_version=None, conflict_message="") -> Application:
    """The start of every change to an application's content, inside the caller's transaction: lock the row
    (every write to an application takes this lock first), check that `actor` may edit it now, and — when
    `base_version` is given — that nobody saved in between (else `EditConflict` with the stored row)."""
    app = _lock(application.pk)
    _require(permissions.can_edit_application(actor, app))
    if base_version is not None and app.edit_version != base_version:
        raise EditConflict(app, conflict_message)
    return app
