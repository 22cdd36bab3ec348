"""Who is calling: nobody (the public endpoints) or an organisation with a token.

A token's client stands in for a user in the portal's own permission functions: it has the roles of its scope
(a gemeente's officer for that gemeente, or the ministry), so the API asks the same questions the pages ask
(`can_view_application`, `visible_reports`, …) and gets the same answers. It is no account: it cannot log in,
gets no notifications and is no officer of a public-body mandate holder.
"""

from django.conf import settings
from rest_framework import authentication, exceptions, throttling

from spukportal.models import Role

from . import services
from .models import ApiToken


class ApiClient:
    """The organisation behind a token, as the permission functions see a user."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    pk = id = None  # no account: a filter on a user (e.g. linked officers) matches nothing

    def __init__(self, token: ApiToken):
        self.token = token
        self.municipality = token.municipality
        self.is_national = token.scope == ApiToken.Scope.MINISTRY
        # read by spukportal.permissions (roles_of, officer_municipality_ids) instead of role assignments
        self._spuk_roles = frozenset({Role.MINISTRY} if self.is_national else {Role.OFFICER})
        self._spuk_municipality_ids = frozenset() if self.is_national else frozenset({token.municipality_id})

    def get_username(self):
        return f"API-token {self.token.prefix}…"

    def __str__(self):
        return self.get_username()


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>`. No header: anonymous (public endpoints only). A revoked or unknown
    token: 401, and the refusal is audited."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header:
            return None
        if header[0].decode(errors="replace").lower() != self.keyword.lower():
            raise exceptions.AuthenticationFailed("Gebruik de kop 'Authorization: Bearer <token>'.")
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Ongeldige Authorization-kop: geef precies één token.")
        key = header[1].decode(errors="replace")
        token = (ApiToken.objects.select_related("municipality").filter(key_hash=services.hash_token(key)).first()
                 if key.isascii() else None)
        if token is None:
            self._refuse(request, token=None, reason="onbekende token", prefix=key[:12] if key.isascii() else "")
            raise exceptions.AuthenticationFailed("Onbekende token.")
        if not token.is_active:
            self._refuse(request, token=token, reason="ingetrokken", prefix=token.prefix)
            raise exceptions.AuthenticationFailed("Deze token is ingetrokken.")
        services.api_token_touch(token)
        return ApiClient(token), token

    @staticmethod
    def _refuse(request, **refusal):
        """Audit the refusal; past the anonymous rate from one address, answer 429 without writing (guessing
        tokens must not flood the audit trail)."""
        throttle = RefusalThrottle()
        if not throttle.allow_request(request, None):
            raise exceptions.Throttled(throttle.wait())
        services.api_token_refused(path=request.path, **refusal)

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class PerTokenThrottle(throttling.SimpleRateThrottle):
    """Requests per minute per token (anonymous callers: per address). Rates from settings.API_THROTTLE_RATES,
    read on each request, so a test can change them."""

    scope = "anoniem"

    def __init__(self):  # the rate depends on the caller: set in allow_request
        pass

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]

    def allow_request(self, request, view):
        self.scope = "token" if isinstance(request.user, ApiClient) else "anoniem"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if isinstance(request.user, ApiClient):
            return f"api-throttle-token-{request.user.token.pk}"
        return f"api-throttle-anon-{self.get_ident(request)}"


class RefusalThrottle(throttling.SimpleRateThrottle):
    """Refused tokens per address, at the anonymous rate (checked before the refusal is audited)."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES["anoniem"]

    def get_cache_key(self, request, view):
        return f"api-throttle-refused-{self.get_ident(request)}"
