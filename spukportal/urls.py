from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from . import auth, notification_views, two_factor, views


class FaviconRedirect(RedirectView):
    """/favicon.ico → the icon's (hashed) static name, looked up per request: at import time the hashed name
    may not exist yet (`manage.py migrate` before `collectstatic`)."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.svg")

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", auth.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("wachtwoord/wijzigen/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("wachtwoord/gewijzigd/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("wachtwoord/vergeten/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("wachtwoord/vergeten/verstuurd/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("wachtwoord/herstellen/<uidb64>/<token>/", auth.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("wachtwoord/hersteld/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("inloggen/code/", two_factor.verify, name="two_factor_verify"),
    path("tweestapsverificatie/instellen/", two_factor.setup, name="two_factor_setup"),
    path("tweestapsverificatie/herstelcodes/", two_factor.recovery_codes, name="two_factor_recovery_codes"),
    path("tweestapsverificatie/", two_factor.account, name="two_factor_account"),
    path("favicon.ico", login_not_required(FaviconRedirect.as_view())),
    path("privacy/", views.privacy, name="privacy"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path("contact/", views.contact, name="contact"),
    path("gezondheid/", views.health, name="health"),
    # notifications
    path("meldingen/", notification_views.notification_list, name="notifications"),
    path("meldingen/alles-gelezen/", notification_views.notifications_mark_read, name="notifications_mark_read"),
    path("meldingen/<int:pk>/", notification_views.notification_open, name="notification_open"),
    path("beheer/", admin.site.urls),
    path("", include("regions.urls")),
    path("budgetten/", include("budgets.urls")),
    path("aanvragen/", include("applications.urls")),
    path("aanvragen/", include("applications.amendments.urls")),  # change requests and amended decisions
    path("", include("monitoring.urls")),
    path("api/v1/", include("api.urls")),  # the open API (api/): public data, and per organisation with a token
]

if settings.OIDC_ENABLED:  # off by default: then nothing of OIDC is routed (or even imported)
    from . import oidc

    urlpatterns = oidc.urlpatterns + urlpatterns
if settings.EHERKENNING_ENABLED or settings.EHERKENNING_MOCK:  # off by default, like OIDC
    from . import eherkenning

    urlpatterns = eherkenning.url_patterns() + urlpatterns

handler403 = "spukportal.views.permission_denied"
handler404 = "spukportal.views.page_not_found"
handler500 = "spukportal.views.server_error"
