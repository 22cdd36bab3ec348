"""Writes of the shared infrastructure: role assignments (each one audited)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from . import audit
from .models import Role, RoleAssignment
from .permissions import forget_roles


def _validate(role: Role, municipality):
    if role.code == Role.OFFICER and municipality is None:
        raise ValidationError({"municipality": "Een gemeentelijk medewerker hoort bij een gemeente."})
    if role.code != Role.OFFICER and municipality is not None:
        raise ValidationError({"municipality": "Alleen een gemeentelijk medewerker hoort bij een gemeente."})


def role_assign(*, actor, user, role_code: str, municipality=None) -> RoleAssignment:
    role, _ = Role.objects.get_or_create(code=role_code, defaults={"name": dict(Role.CODES)[role_code]})
    _validate(role, municipality)
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, municipality=municipality)
        if created:
            audit.record(
                actor=actor, action="rol.toegekend", obj=user,
                message=f"Rol '{role.name}' toegekend" + (f" voor {municipality}" if municipality else ""),
                details={"rol": role.code, "gemeente": getattr(municipality, "cbs_code", None)},
            )
    forget_roles(user)
    return assignment


def role_assignment_save(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    """Create or change an assignment (the admin form), with its audit event."""
    _validate(assignment.role, assignment.municipality)
    with transaction.atomic():
        before = None
        if assignment.pk:
            old = RoleAssignment.objects.select_related("role", "municipality").get(pk=assignment.pk)
            before = {"rol": old.role.code, "gemeente": getattr(old.municipality, "cbs_code", None)}
        assignment.save()
        after = {"rol": assignment.role.code, "gemeente": getattr(assignment.municipality, "cbs_code", None)}
        audit.record(
            actor=actor, action="rol.gewijzigd" if before else "rol.toegekend", obj=assignment.user,
            message=str(assignment), details={"voor": before, "na": after},
        )
    forget_roles(assignment.user)
    return assignment


def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    with transaction.atomic():
        audit.record(
            actor=actor, action="rol.ingetrokken", obj=assignment.user, message=str(assignment),
            details={"rol": assignment.role.code, "gemeente": getattr(assignment.municipality, "cbs_code", None)},
        )
        assignment.delete()
    forget_roles(assignment.user)
