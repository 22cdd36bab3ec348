"""The ministry's decisions: the decision form, letters and decision batches."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/besluit/", views.decision_form, name="decide"),
    path("<int:pk>/beschikking/", views.decision_download, name="decision_download"),
    path("<int:pk>/beschikking/opnieuw/", views.decision_retry, name="decision_retry"),
    path("<int:pk>/voorschot/<int:payment_pk>/betaald/", views.advance_paid, name="advance_paid"),
    path("beschikkingen/", views.batch_list, name="decision_batches"),
    path("beschikkingen/<int:pk>/", views.batch_detail, name="decision_batch"),
    path("beschikkingen/<int:pk>/voortgang/", views.batch_progress, name="decision_batch_progress"),
    path("beschikkingen/<int:pk>/opnieuw/", views.batch_restart, name="decision_batch_restart"),
]
