"""The client's address: one answer for login throttling (django-axes), the audit trail and the request logs.

Behind a reverse proxy every request comes from the proxy's address (REMOTE_ADDR); the client's address is then
in X-Forwarded-For, which each proxy extends with the address it received the request from. That header is only
believed when settings.TRUSTED_PROXY_COUNT says how many proxies of our own stand in front of the portal: with
N, the client is the N-th address from the right (anything further left was written by the client itself and
may be made up). With 0 (the default) the header is ignored and REMOTE_ADDR is the client."""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    if request is None:
        return ""
    cached = getattr(request, "_spuk_client_address", None)
    if cached is None:
        cached = request._spuk_client_address = _from_request(request)
    return cached


def _from_request(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    candidate = hops[-trusted] if len(hops) >= trusted else hops[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # not an address: our proxy would not write that, so keep the connection's own address
        return remote
