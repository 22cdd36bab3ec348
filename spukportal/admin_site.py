from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, reverse

from spukportal.permissions import can_use_admin


class PortalAdminSite(admin.AdminSite):
    """The beheer (admin) site: only for users holding the administrator role.

    A logged-in user without that role gets 403, not a second login form.
    """

    site_header = "SPUK-portaal beheer"
    site_title = "SPUK-portaal beheer"
    index_title = "Beheer"

    def has_permission(self, request):
        return bool(can_use_admin(request.user))

    def login(self, request, extra_context=None):
        """One login page for the whole portal."""
        return redirect_to_login(request.GET.get("next") or self.index_url())

    def index_url(self):
        return reverse("admin:index", current_app=self.name)

    def get_urls(self):
        """Send anonymous visitors to the portal's own login page (LoginRequiredMiddleware reads
        `login_url` from the view)."""
        urls = super().get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern) and hasattr(pattern.callback, "login_url"):
                pattern.callback.login_url = settings.LOGIN_URL
        return urls

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied("Alleen beheerders hebben toegang tot het beheer.")
            return inner(request, *args, **kwargs)

        guarded.__dict__.update(inner.__dict__)
        return guarded
