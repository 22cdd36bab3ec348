"""Monitoring and accountability: SiSa spending reports (`accountability.urls`, under /verantwoording/) and the
dashboards, ketenaanpak monitoring and exports (`dashboards.urls`, under /monitoring/)."""

from .dashboards import urls as dashboard_urls
from .accountability import urls as sisa_urls

app_name = "monitoring"

urlpatterns = sisa_urls.urlpatterns + dashboard_urls.urlpatterns
