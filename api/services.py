"""Every write of the API app: making and revoking tokens, and recording a refused token. Each is audited in the
same transaction."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from spukportal import audit

from .models import ApiToken

TOKEN_PREFIX = "spuk_"


def hash_token(key: str) -> str:
    """Tokens are 256 random bits, so a plain SHA-256 is enough (no password stretching needed)."""
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, actor, name: str, scope: str, municipality=None) -> tuple[ApiToken, str]:
    """Make a token; returns it with the token text, which is stored only as a hash and shown once."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name, scope=scope, municipality=municipality if scope == ApiToken.Scope.MUNICIPALITY else None,
            prefix=key[:12], key_hash=hash_token(key), created_by=actor)
        audit.record(actor=actor, action="api.token_aangemaakt", obj=token,
                     details={"bereik": scope, "gemeente": municipality.cbs_code if municipality else None})
    return token, key


def api_token_revoke(*, actor, token: ApiToken) -> None:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(actor=actor, action="api.token_ingetrokken", obj=token)


def api_token_refused(*, token: ApiToken | None, reason: str, path: str, prefix: str = "") -> None:
    """A request with a revoked or unknown token was refused."""
    with transaction.atomic():
        audit.record(actor="API-client", action="api.token_geweigerd", obj=token,
                     object_type="" if token else "api.apitoken", object_id="" if token else "onbekend",
                     message=f"API-token geweigerd: {reason}",
                     details={"pad": path[:200], "begin_token": prefix[:12]})


def api_token_touch(token: ApiToken) -> None:
    """Note when a token was last used (at most once a minute, so reading is not a write per request)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
