"""Determinations (vaststellingen) and the ministry's batch, under /vaststelling/."""

from django.urls import path

from . import views as v

urlpatterns = [
    path("vaststelling/", v.determination_list, name="determination_list"),
    path("vaststelling/nieuw/<int:report_pk>/", v.determination_create, name="determination_create"),
    path("vaststelling/<int:pk>/", v.determination_detail, name="determination_detail"),
    path("vaststelling/<int:pk>/stap/<str:name>/", v.determination_step, name="determination_step"),
    path("vaststelling/<int:pk>/brief.pdf", v.determination_letter, name="determination_letter"),
    path("vaststelling/<int:pk>/brief-opnieuw/", v.determination_letter_retry, name="determination_letter_retry"),
    path("vaststelling/reeks/<str:regulation>/nieuw/", v.batch_new, name="determination_batch_new"),
    path("vaststelling/reeks/<int:pk>/", v.batch_detail, name="determination_batch"),
    path("vaststelling/reeks/<int:pk>/voortgang/", v.batch_progress, name="determination_batch_progress"),
    path("vaststelling/reeks/<int:pk>/opnieuw/", v.batch_restart, name="determination_batch_restart"),
]
