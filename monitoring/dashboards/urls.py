"""The region and national dashboards, a gemeente's downloads, and the exports (downloads page)."""

from django.urls import path

from . import views as dashboard_views

urlpatterns = [
    path("monitoring/", dashboard_views.monitoring_home, name="dashboards_home"),
    path("monitoring/landelijk/", dashboard_views.national_dashboard, name="national_dashboard"),
    path("monitoring/landelijk/<slug:panel>.<str:fmt>", dashboard_views.national_download,
         name="national_download"),
    path("monitoring/regio/<slug:slug>/", dashboard_views.region_dashboard, name="region_dashboard"),
    path("monitoring/regio/<slug:slug>/<slug:panel>.<str:fmt>", dashboard_views.region_download,
         name="region_download"),
    path("monitoring/gemeente/<str:cbs_code>/<slug:panel>.<str:fmt>", dashboard_views.municipality_download,
         name="municipality_download"),
    path("monitoring/exports/nieuw/", dashboard_views.export_start, name="export_start"),
    path("monitoring/downloads/", dashboard_views.download_list, name="download_list"),
    path("monitoring/downloads/status/", dashboard_views.download_status, name="download_status"),
    path("monitoring/downloads/<int:pk>/", dashboard_views.export_download, name="export_download"),
    path("monitoring/downloads/<int:pk>/opnieuw/", dashboard_views.export_retry, name="export_retry"),
]
