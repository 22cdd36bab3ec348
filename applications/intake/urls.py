"""Applying: the application pages, versions, receipts, and the application periods."""

from django.urls import path

from . import receipt, views

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
    path("<int:pk>/versies/<int:number>/ontvangstbewijs/", receipt.receipt_download, name="receipt"),
    path("periodes/", views.period_list, name="period_list"),
    path("periodes/nieuw/", views.period_edit, name="period_create"),
    path("periodes/<int:pk>/", views.period_edit, name="period_edit"),
    path("periodes/<int:pk>/uitstel/", views.extension_grant, name="extension_grant"),
]
