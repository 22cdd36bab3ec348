"""Monitoring and accountability: SiSa spending reports (`accountability.urls`, under /verantwoording/), the
determinations (`determination.urls`, under /vaststelling/), and the dashboards, ketenaanpak monitoring and
exports (`dashboards.urls`, under /monitoring/)."""

from .accountability import urls as sisa_urls
from .dashboards import urls as dashboard_urls
from .determination import urls as determination_urls

app_name = "monitoring"

urlpatterns = sisa_urls.urlpatterns + determination_urls.urlpatterns + dashboard_urls.urlpatterns
