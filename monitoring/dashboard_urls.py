"""Ketenaanpak and valpreventie monitoring, the region and national dashboards, and exports."""

urlpatterns = []
