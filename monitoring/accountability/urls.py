"""SiSa spending reports (verantwoording), the SiSa appendix and the national SiSa batch."""

from django.urls import path

from . import views as v

urlpatterns = [
    path("verantwoording/", v.report_list, name="sisa_list"),
    path("verantwoording/nieuw/", v.report_start, name="sisa_start"),
    path("verantwoording/<int:pk>/", v.report_detail, name="sisa_detail"),
    path("verantwoording/<int:pk>/bewerken/", v.report_edit, name="sisa_edit"),
    path("verantwoording/<int:pk>/indienen/", v.report_submit, name="sisa_submit"),
    path("verantwoording/<int:pk>/corrigeren/", v.report_correct, name="sisa_correct"),
    path("verantwoording/<int:pk>/sisa.pdf", v.report_pdf, name="sisa_pdf"),
    path("verantwoording/<int:pk>/sisa.csv", v.report_csv, name="sisa_csv"),
    path("verantwoording/<int:pk>/bijlage-opnieuw/", v.report_pdf_retry, name="sisa_pdf_retry"),
    path("verantwoording/export/<str:fmt>/", v.report_export, name="sisa_export"),
    path("verantwoording/eerdere-toekenningen/", v.prior_grant_import, name="sisa_prior_grants"),
    path("verantwoording/landelijk/", v.batch_list, name="sisa_batches"),
    path("verantwoording/landelijk/<int:pk>/", v.batch_detail, name="sisa_batch"),
    path("verantwoording/landelijk/<int:pk>/voortgang/", v.batch_progress, name="sisa_batch_progress"),
    path("verantwoording/landelijk/<int:pk>/opnieuw/", v.batch_restart, name="sisa_batch_restart"),
    path("verantwoording/landelijk/<int:pk>/<str:kind>/", v.batch_download, name="sisa_batch_download"),
]
