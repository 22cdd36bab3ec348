"""Monitoring and accountability: SiSa spending reports (`sisa_urls`, under /verantwoording/) and the
dashboards, ketenaanpak monitoring and exports (`dashboard_urls`, under /monitoring/)."""

from . import dashboard_urls, sisa_urls
from .determination import urls as determination_urls

app_name = "monitoring"

urlpatterns = sisa_urls.urlpatterns + determination_urls.urlpatterns + dashboard_urls.urlpatterns
