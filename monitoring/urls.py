"""Monitoring and accountability: SiSa spending reports (`accountability.urls`, under /verantwoording/), a
gemeente's ketenaanpak monitoring (`chains.urls`) and the dashboards and exports (`dashboards.urls`), both
under /monitoring/."""

from .accountability import urls as accountability_urls
from .chains import urls as chain_urls
from .dashboards import urls as dashboard_urls

app_name = "monitoring"

urlpatterns = accountability_urls.urlpatterns + dashboard_urls.urlpatterns + chain_urls.urlpatterns
