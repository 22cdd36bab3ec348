from django.urls import path

from . import views

app_name = "budgets"

urlpatterns = [
    path("onderdelen/", views.component_list, name="component_list"),
    path("begrotingen/", views.budget_version_list, name="budget_version_list"),
    path("begrotingen/<int:pk>/", views.budget_version_detail, name="budget_version_detail"),
    path("verdeelsleutels/", views.key_list, name="key_list"),
    path("verdeelsleutels/nieuw/", views.key_create, name="key_create"),
    path("verdeelsleutels/<int:pk>/", views.key_detail, name="key_detail"),
    path("berekeningen/", views.run_list, name="run_list"),
    path("berekeningen/nieuw/", views.run_start, name="run_start"),
    path("berekeningen/officieel-importeren/", views.official_import, name="official_import"),
    path("berekeningen/vergelijken/", views.compare, name="compare"),
    path("berekeningen/<int:pk>/", views.run_detail, name="run_detail"),
    path("berekeningen/<int:pk>/voortgang/", views.run_progress, name="run_progress"),
    path("berekeningen/<int:pk>/opnieuw/", views.run_retry, name="run_retry"),
    path("berekeningen/<int:pk>/zichtbaar-maken/", views.run_publish, name="run_publish"),
    path("berekeningen/<int:pk>/rapporten/", views.report_create, name="report_create"),
    path("berekeningen/<int:pk>/rapporten/status/", views.report_status, name="report_status"),
    path("berekeningen/<int:pk>/gemeenten/<str:cbs_code>/", views.explanation, name="explanation"),
    path("rapporten/<int:pk>/download/", views.report_download, name="report_download"),
    path("simulatie/", views.simulation, name="simulation"),
    path("simulatie/opslaan/", views.simulation_save, name="simulation_save"),
    path("simulatie/<slug:panel>.<str:fmt>", views.simulation_download, name="simulation_download"),
    path("mijn-bedragen/", views.own_amounts, name="own_amounts"),
]
