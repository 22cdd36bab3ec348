"""A gemeente's ketenaanpak and valpreventie monitoring (under /monitoring/gemeente/)."""

from django.urls import path

from . import views as chain_views

urlpatterns = [
    path("monitoring/gemeente/<str:cbs_code>/", chain_views.municipality_monitoring, name="municipality_monitoring"),
    path("monitoring/gemeente/<str:cbs_code>/ketenaanpak/", chain_views.chain_state_record, name="chain_state_record"),
    path("monitoring/gemeente/<str:cbs_code>/valpreventie/", chain_views.fall_prevention_record,
         name="fall_prevention_record"),
]
