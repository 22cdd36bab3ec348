from django.db import transaction
from django.forms.models import model_to_dict

from . import audit


def _changes(form):
    """Changed fields and their new values; secrets (passwords) are named but never recorded."""
    return {name: "(gewijzigd)" if "password" in name else str(form.cleaned_data.get(name))
            for name in form.changed_data}


class AuditedAdminMixin:
    """Every add, change and delete through the beheer pages writes an audit event."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit.record(actor=request.user, action=f"beheer.{'gewijzigd' if change else 'toegevoegd'}", obj=obj,
                         message=f"{obj._meta.verbose_name} {'gewijzigd' if change else 'toegevoegd'} via beheer",
                         details={"wijzigingen": _changes(form)})

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            for obj in formset.new_objects + [o for o, _ in formset.changed_objects]:
                audit.record(actor=request.user, action="beheer.gewijzigd", obj=obj,
                             message=f"{obj._meta.verbose_name} opgeslagen via beheer",
                             details={k: str(v) for k, v in model_to_dict(obj).items()})
            for obj in formset.deleted_objects:
                audit.record(actor=request.user, action="beheer.verwijderd", obj=obj,
                             object_id=obj.pk or "", message=f"{obj._meta.verbose_name} verwijderd via beheer")

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(actor=request.user, action="beheer.verwijderd", obj=obj,
                         message=f"{obj._meta.verbose_name} verwijderd via beheer",
                         details={k: str(v) for k, v in model_to_dict(obj).items()})
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
