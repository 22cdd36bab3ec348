"""The audit trail: call `record(...)` inside the transaction of the change it describes."""

from django.db import transaction

from .models import AuditEvent


def _object_type(obj) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def record(*, actor, action: str, obj=None, object_type: str = "", object_id="", message: str = "",
           details: dict | None = None) -> AuditEvent:
    """Append one audit event. Must run inside the transaction that makes the change, so that the
    change and its record commit or roll back together."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must be called inside transaction.atomic()")
    if obj is not None:
        object_type = object_type or _object_type(obj)
        object_id = object_id or obj.pk
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_name=(user.get_username() if user else (str(actor) if actor else "systeem"))[:150],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=(str(obj) if obj is not None else "")[:255],
        message=message[:500],
        details=details or {},
    )


def events_for(obj):
    """The timeline of one object, oldest first."""
    return AuditEvent.objects.filter(object_type=_object_type(obj), object_id=str(obj.pk)).select_related(
        "actor"
    ).order_by("timestamp", "id")
