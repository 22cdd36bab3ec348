from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group

from . import audit, services
from .admin_audit import AuditedAdminMixin
from .bounds import request_int
from .models import AuditEvent, EHerkenningIdentity, Role, RoleAssignment


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    readonly_fields = ("code",)

    def has_add_permission(self, request):
        return False  # the codes are fixed; rows are seeded by a migration

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "municipality", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__last_name", "municipality__name", "municipality__cbs_code")
    autocomplete_fields = ("user", "municipality")

    def save_model(self, request, obj, form, change):
        services.role_assignment_save(actor=request.user, assignment=obj)

    def delete_model(self, request, obj):
        services.role_revoke(actor=request.user, assignment=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.role_revoke(actor=request.user, assignment=obj)


class ActionFilter(admin.SimpleListFilter):
    title = "actie"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        codes = AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
        return sorted(((code, audit.action_label(code)) for code in codes), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class ObjectTypeFilter(admin.SimpleListFilter):
    title = "soort object"
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        types = AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct()
        return sorted(((t, audit.object_type_label(t)) for t in types if t), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(object_type=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail in words: who by name, what happened and to what kind of object in Dutch (the stored codes
    stay searchable and are shown on the event's own page)."""

    list_display = ("timestamp", "actor_display", "action_display", "object_type_display", "object_repr", "message")
    list_filter = (ActionFilter, ObjectTypeFilter)
    list_select_related = ("actor",)
    search_fields = ("actor_name", "object_repr", "message", "object_id", "action")
    date_hierarchy = "timestamp"
    fields = ("timestamp", "actor_display", "action_display", "action", "object_type_display", "object_id",
              "object_repr", "message", "details")
    readonly_fields = fields

    @admin.display(description="door", ordering="actor_name")
    def actor_display(self, event):
        name = event.actor.get_full_name() if event.actor_id else ""
        return name or event.actor_name or "systeem"

    @admin.display(description="actie", ordering="action")
    def action_display(self, event):
        return audit.action_label(event.action)

    @admin.display(description="soort object", ordering="object_type")
    def object_type_display(self, event):
        return audit.object_type_label(event.object_type)

    def changelist_view(self, request, extra_context=None):
        """A date drill-down with an impossible year, month or day (`timestamp__year=10^22` overflows inside
        Django's admin) gets the admin's own "invalid filter" answer instead of a 500."""
        for part in ("year", "month", "day"):
            key = f"{self.date_hierarchy}__{part}"
            if key in request.GET and request_int(request.GET, key, minimum=1, maximum=9999) is None:
                return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Users: every change through the beheer pages is audited. Django's groups are not used (roles are).
admin.site.unregister(Group)
admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AuditedUserAdmin(AuditedAdminMixin, UserAdmin):
    pass


# Two-factor devices (django-otp registers its own admins, which show the secret key and are not audited):
# a beheerder only sees who has an app and can delete it (lost phone); the user then sets it up again.
from django_otp.plugins.otp_static.models import StaticDevice  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    search_fields = ["user__username"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EHerkenningIdentity)
class EHerkenningIdentityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Who logs in with eHerkenning as whom. Made by the login itself; a beheerder only removes one (the person
    left the gemeente), after which that eHerkenning login no longer reaches the account."""

    list_display = ["user", "municipality", "created_at"]
    list_filter = ["municipality"]
    search_fields = ["user__username", "municipality__name"]
    fields = ["user", "municipality", "acting_subject_id", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# django-digid-eherkenning also brings DigiD; the portal uses only eHerkenning (its configuration, certificates).
from digid_eherkenning.models import DigidConfiguration  # noqa: E402
from digid_eherkenning.models.digid import MockDigidUser  # noqa: E402
from django.contrib.admin.views.main import ERROR_FLAG
from django.http import HttpResponseRedirect

for _model in (DigidConfiguration, MockDigidUser):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
