from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import permissions
from .notifications import unread_count


def navigation(request):
    """What the navigation shows: derived from the same permission functions as the views."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        # Logged in by password but the second factor is still to come: no menu (it would only redirect).
        "two_factor_pending": getattr(request, "two_factor_pending", False),
        "nav": {
            "is_officer": permissions.is_officer(user),
            "is_reviewer": permissions.is_reviewer(user),
            "is_ministry": permissions.is_ministry(user),
            "is_administrator": bool(permissions.can_use_admin(user)),
        },
        "unread_notifications": _unread(user),
    }


def _unread(user):
    """The unread count for the header badge: one query, made only when a page shows the badge."""
    return SimpleLazyObject(lambda: unread_count(user))


def portal(request):
    """What every page's frame shows: the version in the footer and the contact address."""
    return {"portal_version": settings.PORTAL_VERSION, "support_email": settings.SUPPORT_EMAIL}
