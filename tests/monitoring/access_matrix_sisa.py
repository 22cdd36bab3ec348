"""Access matrix of the SiSa spending reports (monitoring/accountability/urls.py).

The scenario is the demo's: Almere (gemeente) has its brede SPUK 2024 report submitted and 2025 in concept,
and, as Flevoland's mandate holder, the IZA 2024 report (H35/H35B). Lelystad (gemeente2) is a Flevoland member:
it reads the region's IZA report, not Almere's brede SPUK reports. Kerkrade (gemeente3) is in another region
and sees none of them. The kerngroep does not read spending reports (monitoring/permissions.py)."""

from tests.access import Case

OFFICERS = {"gemeente", "gemeente2", "gemeente3"}
ALMERE = {"gemeente"}
ALMERE_READERS = {"gemeente", "ministerie"}
REGION_READERS = {"gemeente", "gemeente2", "ministerie"}
MINISTRY = {"ministerie"}


def _pk(getter):
    def args():
        from tests.monitoring import sisa_factories as f

        return (getter(f).pk,)
    return args


brede_2024 = _pk(lambda f: f.almere_2024())
brede_2025 = _pk(lambda f: f.almere_2025())
iza_2024 = _pk(lambda f: f.flevoland_2024())


def _rendered(getter):
    """The report, its PDF made in this test's private storage."""
    def args():
        from monitoring.accountability import services as sisa_services
        from monitoring.models import SisaAppendix
        from tests.monitoring import sisa_factories as f

        rep = getter(f)
        SisaAppendix.objects.filter(report=rep).update(status="wachtrij", file="")
        sisa_services.appendix_render(report_id=rep.pk)
        return (rep.pk,)
    return args


def batch(kind=None):
    def args():
        from django.contrib.auth import get_user_model
        from django.core.files.base import ContentFile
        from django.core.files.storage import storages

        from monitoring.models import SisaBatch

        private = storages["private"]
        zip_name = private.save("sisa/landelijk/matrix.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18))
        xlsx_name = private.save("sisa/landelijk/matrix.xlsx", ContentFile(b"PK"))
        row, _ = SisaBatch.objects.update_or_create(year=2024, defaults={
            "status": "klaar", "created_by": get_user_model().objects.get(username="ministerie"),
            "zip_file": zip_name, "xlsx_file": xlsx_name, "total": 2, "done": 2})
        return (row.pk, kind) if kind else (row.pk,)
    return args


CASES = [
    Case("monitoring:sisa_list", OFFICERS | MINISTRY),
    # An officer's empty start form: 422 with the errors (nothing stored); others may not start.
    Case("monitoring:sisa_start", OFFICERS, method="post", data={}, ok_status=422),
    Case("monitoring:sisa_detail", ALMERE_READERS, args=brede_2024, label="detail-brede"),
    Case("monitoring:sisa_detail", REGION_READERS, args=iza_2024, label="detail-iza-region-reads"),
    Case("monitoring:sisa_edit", ALMERE, args=brede_2025, label="edit-concept"),
    Case("monitoring:sisa_edit", set(), args=brede_2024, label="edit-submitted-locked"),
    Case("monitoring:sisa_edit", set(), args=iza_2024, label="edit-iza-submitted-locked"),
    Case("monitoring:sisa_submit", ALMERE, args=brede_2025, label="submit-concept"),
    Case("monitoring:sisa_submit", set(), args=brede_2024, label="submit-submitted"),
    Case("monitoring:sisa_correct", ALMERE, args=brede_2024, method="post", data={}, ok_status=422,
         label="correct-needs-reason"),
    Case("monitoring:sisa_correct", set(), args=brede_2025, method="post", data={"reason": "x"},
         label="correct-concept"),
    Case("monitoring:sisa_pdf", ALMERE_READERS, args=_rendered(lambda f: f.almere_2024()), label="pdf-brede"),
    Case("monitoring:sisa_pdf", REGION_READERS, args=_rendered(lambda f: f.flevoland_2024()), label="pdf-iza"),
    Case("monitoring:sisa_csv", ALMERE_READERS, args=brede_2024, label="csv-brede"),
    Case("monitoring:sisa_csv", REGION_READERS, args=iza_2024, label="csv-iza"),
    Case("monitoring:sisa_pdf_retry", ALMERE_READERS, args=_rendered(lambda f: f.almere_2024()), method="post",
         ok_status=302),
    Case("monitoring:sisa_export", MINISTRY, args=("csv",), label="export-csv"),
    Case("monitoring:sisa_export", MINISTRY, args=("xlsx",), label="export-xlsx"),
    Case("monitoring:sisa_prior_grants", MINISTRY),
    Case("monitoring:sisa_batches", MINISTRY),
    Case("monitoring:sisa_batch", MINISTRY, args=batch()),
    Case("monitoring:sisa_batch_progress", MINISTRY, args=batch()),
    Case("monitoring:sisa_batch_restart", MINISTRY, args=batch(), method="post", ok_status=302),
    Case("monitoring:sisa_batch_download", MINISTRY, args=batch("zip"), label="batch-zip"),
    Case("monitoring:sisa_batch_download", MINISTRY, args=batch("xlsx"), label="batch-xlsx"),
]
