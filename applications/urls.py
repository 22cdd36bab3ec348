from django.urls import path

from .decisions import views as decision_views
from .intake import receipt, views
from .review import views as review_views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("starten/<int:period_pk>/", views.application_start, name="start"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/onderdelen/", views.application_components, name="components"),
    path("<int:pk>/plan/", views.application_plan, name="plan"),
    path("<int:pk>/plan/<slug:key>/", views.section_save, name="section_save"),
    path("<int:pk>/ondertekening/", views.application_signature, name="signature"),
    path("<int:pk>/bijlagen/", views.application_attachments, name="attachments"),
    path("<int:pk>/bijlagen/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/bijlagen/<int:attachment_pk>/verwijderen/", views.attachment_remove, name="attachment_remove"),
    path("<int:pk>/indienen/", views.application_submit, name="submit"),
    path("<int:pk>/begroting/", views.application_lines, name="lines"),
    path("<int:pk>/verklaringen/", views.application_declarations, name="declarations"),
    path("<int:pk>/verklaringen/herinnering/", views.declaration_reminder, name="declaration_reminder"),
    path("<int:pk>/verklaringen/<int:declaration_pk>/", views.declaration_download, name="declaration_download"),
    path("<int:pk>/verklaringen/<int:declaration_pk>/intrekken/", views.declaration_withdraw,
         name="declaration_withdraw"),
    path("<int:pk>/intrekken/", views.application_withdraw, name="withdraw"),
    path("<int:pk>/versies/vergelijken/", views.version_diff, name="version_diff"),
    path("<int:pk>/versies/<int:number>/", views.version_detail, name="version_detail"),
    # notifications and receipts
    path("<int:pk>/versies/<int:number>/ontvangstbewijs/", receipt.receipt_download, name="receipt"),
    # --- the kerngroep's review ---
    path("beoordeling/", review_views.review_queue, name="review_queue"),
    path("<int:pk>/beoordeling/nemen/", review_views.review_take, name="review_take"),
    path("<int:pk>/beoordeling/tweede/", review_views.review_second_take, name="review_second_take"),
    path("<int:pk>/beoordeling/toewijzen/", review_views.review_assign, name="review_assign"),
    path("<int:pk>/beoordeling/", review_views.assessment, name="assessment"),
    path("<int:pk>/beoordeling/akkoord/", review_views.assessment_agree, name="assessment_agree"),
    path("<int:pk>/beoordeling/terugsturen/", review_views.assessment_send_back, name="assessment_return"),
    path("<int:pk>/beoordeling/aanvulling/", review_views.additions_request, name="additions_request"),
    path("<int:pk>/aanvulling/antwoorden/", review_views.additions_answer, name="additions_answer"),
    path("<int:pk>/opmerkingen/", review_views.comment_add, name="comment_add"),
    # --- end of the review block ---
    path("periodes/", views.period_list, name="period_list"),
    path("periodes/nieuw/", views.period_edit, name="period_create"),
    path("periodes/<int:pk>/", views.period_edit, name="period_edit"),
    path("periodes/<int:pk>/uitstel/", views.extension_grant, name="extension_grant"),
    # decisions by the ministry
    path("<int:pk>/besluit/", decision_views.decision_form, name="decide"),
    path("<int:pk>/beschikking/", decision_views.decision_download, name="decision_download"),
    path("<int:pk>/beschikking/opnieuw/", decision_views.decision_retry, name="decision_retry"),
    path("<int:pk>/voorschot/<int:payment_pk>/betaald/", decision_views.advance_paid, name="advance_paid"),
    path("beschikkingen/", decision_views.batch_list, name="decision_batches"),
    path("beschikkingen/<int:pk>/", decision_views.batch_detail, name="decision_batch"),
    path("beschikkingen/<int:pk>/voortgang/", decision_views.batch_progress, name="decision_batch_progress"),
    path("beschikkingen/<int:pk>/opnieuw/", decision_views.batch_restart, name="decision_batch_restart"),
]
