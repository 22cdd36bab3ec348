from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("gemeenten/", views.municipality_list, name="municipality_list"),
    path("gemeenten/<str:cbs_code>/", views.municipality_detail, name="municipality_detail"),
    path("regios/", views.region_list, name="region_list"),
    path("regios/<slug:slug>/", views.region_detail, name="region_detail"),
    path("ministerie/gemeenten/<str:cbs_code>/postadres/", views.municipality_address, name="municipality_address"),
    path("ministerie/mandaathouders/", views.mandate_overview, name="mandate_overview"),
    path("ministerie/mandaathouders/<int:pk>/medewerkers/", views.mandate_officers, name="mandate_officers"),
]
