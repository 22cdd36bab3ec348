"""Login throttling (django-axes) with a separate, much higher limit per address.

Axes compares every lockout parameter with one limit (AXES_FAILURE_LIMIT). The portal locks an account, and an
(account, address) pair, after AXES_FAILURE_LIMIT failures, but an address alone only after
AXES_ADDRESS_FAILURE_LIMIT: many colleagues share one address (a gemeente's network, or the proxy when it is
not trusted), and a handful of wrong passwords with made-up names must not lock them all out."""

from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.db.models import Sum

ADDRESS_ONLY = "ip_address"


class PortalAxesHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The failures counted against the strictest limit, expressed on the scale of AXES_FAILURE_LIMIT: an
        address at its own limit counts as AXES_FAILURE_LIMIT."""
        limit = get_failure_limit(request, credentials)
        address_limit = max(settings.AXES_ADDRESS_FAILURE_LIMIT, limit)
        worst = 0
        for parameter, attempts in zip(get_lockout_parameters(request, credentials),
                                       self.get_user_attempts(request, credentials)):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == ADDRESS_ONLY:
                failures = failures * limit // address_limit
            worst = max(worst, failures)
        return worst

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears that account's failures, never its address's: otherwise an attacker with
        one account of their own could reset the address limit at will."""
        count = 0
        for parameter, attempts in zip(get_lockout_parameters(request, credentials),
                                       self.filter_user_attempts(request, credentials)):
            if parameter != ADDRESS_ONLY:
                count += attempts.delete()[0]
        return count
