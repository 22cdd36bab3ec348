"""A ledger recipient is a gemeente (Municipality) or an IZA-region (Region)."""

from django.db.models import Q


def recipient_fields(recipient) -> dict:
    from regions.models import Municipality, Region

    if isinstance(recipient, Municipality):
        return {"municipality": recipient, "region": None}
    if isinstance(recipient, Region):
        return {"municipality": None, "region": recipient}
    raise TypeError(f"A ledger recipient is a Municipality or a Region, not {type(recipient).__name__}")


def recipient_filter(recipient) -> Q:
    fields = recipient_fields(recipient)
    if fields["municipality"] is not None:
        return Q(municipality=fields["municipality"])
    return Q(region=fields["region"])
