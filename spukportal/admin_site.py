from django.contrib import admin
from django.core.exceptions import PermissionDenied


class PortalAdminSite(admin.AdminSite):
    """The beheer (admin) site: only for users holding the administrator role.

    A logged-in user without that role gets 403, not a second login form.
    """

    site_header = "SPUK-portaal beheer"
    site_title = "SPUK-portaal beheer"
    index_title = "Beheer"

    def has_permission(self, request):
        from spukportal.permissions import can_use_admin

        return bool(can_use_admin(request.user))

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied("Alleen beheerders hebben toegang tot het beheer.")
            return inner(request, *args, **kwargs)

        guarded.__dict__.update(inner.__dict__)
        return guarded
