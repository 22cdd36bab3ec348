from django.contrib import admin

from . import services
from .models import AuditEvent, Role, RoleAssignment


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


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("timestamp", "actor_name", "action", "object_type", "object_repr", "message")
    list_filter = ("action", "object_type")
    search_fields = ("actor_name", "object_repr", "message", "object_id")
    date_hierarchy = "timestamp"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
