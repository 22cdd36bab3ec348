from django.urls import path

from . import views

app_name = "amendments"

urlpatterns = [
    path("<int:pk>/wijziging/", views.request_start, name="start"),
    path("wijzigingen/", views.queue, name="queue"),
    path("wijzigingen/<int:pk>/", views.request_detail, name="request"),
    path("wijzigingen/<int:pk>/bewerken/", views.request_edit, name="request_edit"),
    path("wijzigingen/<int:pk>/advies/", views.request_advise, name="request_advise"),
    path("wijzigingen/<int:pk>/besluit/", views.request_decide, name="request_decide"),
    path("wijzigingen/<int:pk>/stap/<slug:name>/", views.request_transition, name="request_transition"),
    path("wijzigingsbesluiten/<int:pk>/", views.amended_download, name="amended_download"),
    path("wijzigingsbesluiten/<int:pk>/opnieuw/", views.amended_retry, name="amended_retry"),
    path("wijzigingen/reeksen/", views.batch_list, name="batches"),
    path("wijzigingen/reeksen/<int:pk>/", views.batch_detail, name="batch"),
    path("wijzigingen/reeksen/<int:pk>/voortgang/", views.batch_progress, name="batch_progress"),
    path("wijzigingen/reeksen/<int:pk>/opnieuw/", views.batch_restart, name="batch_restart"),
]
