"""The SiSa appendix (PDF with the indicators, CSV of the same rows), its download rights, the prior-grant
import, and the national batch (eager and on the real worker; a re-run makes no duplicates)."""

import io
import time
import zipfile

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from monitoring.accountability import batch as sisa_batch, services as sisa_services
from monitoring.models import PriorGrant, SisaAppendix, SisaBatch, SpendingReport
from spukportal.models import AuditEvent
from tests.monitoring import sisa_factories as f
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def fresh_pdf(rep):
    """The demo's PDF lives in the demo's storage; make it again in this test's private storage."""
    SisaAppendix.objects.filter(report=rep).update(status="wachtrij", file="")
    return sisa_services.appendix_render(report_id=rep.pk)


def test_the_pdf_has_the_sisa_table_with_every_indicator_and_aard_controle(login):
    rep = fresh_pdf(f.almere_2024())
    assert rep.appendix.status == "klaar" and len(rep.appendix.sha256) == 64
    response = login("gemeente").get(f"/verantwoording/{rep.pk}/sisa.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    text = pdf_text(content)
    for needle in ("Ministerie van Volksgezondheid, Welzijn en Sport", "H4", "Gemeente Almere (GM0034)",
                   "/01 Besteding", "/02 Zelfstandige", "/03 Correctie", "/04 Cumulatieve", "/05",
                   "Aard", "n.v.t.", "7. Valpreventie", "15 juli 2025"):
        assert needle in text, needle
    valpreventie = rep.lines.get(component__number=7)
    assert f"{valpreventie.expenditure:,}".replace(",", ".") in text  # Dutch thousands separator
    from pypdf import PdfReader

    catalog = PdfReader(io.BytesIO(content)).trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]  # tagged


def test_the_iza_pdf_has_h35_and_an_h35b_row_and_region_members_may_download_it(login):
    rep = fresh_pdf(f.flevoland_2024())
    response = login("gemeente2").get(f"/verantwoording/{rep.pk}/sisa.pdf")
    assert response.status_code == 200
    text = pdf_text(b"".join(response.streaming_content))
    assert "H35B" in text and "Lelystad (GM0995)" in text and "mandaathouder van IZA-regio Flevoland" in text
    assert login("gemeente3").get(f"/verantwoording/{rep.pk}/sisa.pdf").status_code == 403


def test_the_csv_has_the_same_rows():
    from monitoring.accountability import pdf as sisa_pdf

    rep = f.almere_2024()
    lines = sisa_pdf.csv_bytes(rep).decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Verstrekker;Code;Regeling;Ontvanger") and len(lines) == 1 + rep.lines.count()
    assert all(";H4;" in line for line in lines[1:])


def test_a_failed_pdf_shows_its_reason_and_can_be_retried(login, monkeypatch, django_capture_on_commit_callbacks):
    from monitoring.accountability import pdf as sisa_pdf

    rep = f.almere_2024()
    SisaAppendix.objects.filter(report=rep).update(status="wachtrij", file="")
    real = sisa_pdf.render
    monkeypatch.setattr(sisa_pdf, "render", lambda r, **kwargs: (_ for _ in ()).throw(OSError("schijf vol")))
    sisa_services.appendix_render(report_id=rep.pk)
    page = login("gemeente").get(f"/verantwoording/{rep.pk}/").content.decode()
    assert "schijf vol" in page and "Bijlage opnieuw maken" in page
    monkeypatch.setattr(sisa_pdf, "render", real)
    with django_capture_on_commit_callbacks(execute=True):
        assert login("gemeente").post(f"/verantwoording/{rep.pk}/bijlage-opnieuw/").status_code == 302
    rep.refresh_from_db()
    assert rep.appendix.status == "klaar"
    assert AuditEvent.objects.filter(action="sisa.bijlage_opnieuw", object_id=str(rep.pk)).exists()


# --- prior grants -----------------------------------------------------------------------------------

HEADER = "cbs_code,regeling,jaar,onderdeel,bedrag,kenmerk\n"


def upload(client, body: bytes, dry_run=False):
    data = {"file": SimpleUploadedFile("toekenningen.csv", body, "text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return client.post("/verantwoording/eerdere-toekenningen/", data)


def test_prior_grants_import_whole_or_nothing_with_the_line_number(login):
    client = login("ministerie")
    before = PriorGrant.objects.count()
    body = (HEADER + "GM0928,brede_spuk,2024,7,12000,K-1\nGM0928,brede_spuk,2024,3,-5,K-1\n").encode()
    response = upload(client, body)
    page = response.content.decode()
    assert response.status_code == 422 and "regel 3" in page and "niet kleiner zijn dan 0" in page
    assert PriorGrant.objects.count() == before
    body = (HEADER + "GM0928,brede_spuk,2024,7,12000,K-1\nGM0928,brede_spuk,2022,,1,K-1\n").encode()
    assert "regel 3" in upload(client, body).content.decode()
    body = (HEADER + "GM0928,brede_spuk,2024,7,12000,K-1\nGM0928,brede_spuk,2025,,9").encode() + b"\xff\n"
    page = upload(client, body).content.decode()
    assert "regel 3" in page and "UTF-8" in page
    body = (HEADER + "GM0928,brede_spuk,2024,7,12000,K-1\nGM0014,brede_spuk,2025,,90000,K-2\n").encode()
    assert upload(client, body).status_code == 302
    assert PriorGrant.objects.count() == before + 2
    assert AuditEvent.objects.filter(action="import.eerdere_toekenningen").exists()
    # What was imported counts as granted: Kerkrade may now report over 2024.
    kerkrade = f.Municipality.objects.get(cbs_code="GM0928")
    assert sisa_services.grants.granted_for(municipality_id=kerkrade.pk, regulation="brede_spuk", year=2024).total == 12000


def test_an_iza_prior_grant_must_go_to_a_mandate_holder(login):
    body = (HEADER + "GM0995,spuk_iza,2024,,1000,K-3\n").encode()
    page = upload(login("ministerie"), body).content.decode()
    assert "regel 2" in page and "geen mandaathouder" in page


# --- the national batch ---------------------------------------------------------------------------

def _zip_names(batch):
    with storages["private"].open(batch.zip_file, "rb") as handle:
        return sorted(zipfile.ZipFile(io.BytesIO(handle.read())).namelist())


def test_the_national_batch_makes_a_zip_and_an_xlsx_and_a_rerun_makes_no_duplicates(login, django_capture_on_commit_callbacks):
    client = login("ministerie")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/verantwoording/landelijk/", {"year": "2024"})
    batch = SisaBatch.objects.get(year=2024)
    assert response.status_code == 302 and batch.status == "klaar", batch.error
    # The demo's submitted 2024 reports: Almere's brede SPUK (H4) and Flevoland's SPUK IZA (H35, by Almere), and
    # Heerlen's brede SPUK (the money chain's).
    assert batch.total == batch.done == 3
    names = _zip_names(batch)
    assert names == ["sisa-GM0034-h35-2024-v1.pdf", "sisa-GM0034-h4-2024-v1.pdf", "sisa-GM0917-h4-2024-v1.pdf"]
    with storages["private"].open(batch.xlsx_file, "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    assert sheet["A1"].value == "Verstrekker" and sheet.freeze_panes == "A2"
    heerlen_2024 = SpendingReport.objects.get(municipality__cbs_code="GM0917", year=2024, status="ingediend")
    # H4 per component (Almere, Heerlen), H35 and one H35B row
    assert sheet.max_row == 1 + f.almere_2024().lines.count() + heerlen_2024.lines.count() + 2
    page = client.get(f"/verantwoording/landelijk/{batch.pk}/").content.decode()
    assert "3 van 3 bijlagen klaar" in page and "ZIP met bijlagen" in page
    assert client.get(f"/verantwoording/landelijk/{batch.pk}/zip/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/verantwoording/landelijk/{batch.pk}/opnieuw/")
    assert SisaBatch.objects.filter(year=2024).count() == 1
    batch.refresh_from_db()
    assert batch.status == "klaar" and _zip_names(batch) == names
    assert sorted(storages["private"].listdir("sisa/landelijk")[1]) == ["sisa-2024.xlsx", "sisa-2024.zip"]


def test_a_batch_that_is_running_is_not_started_twice():
    from django.core.exceptions import ValidationError

    SisaBatch.objects.create(year=2024, status="bezig", created_by=f.user("ministerie"))
    with pytest.raises(ValidationError):
        sisa_batch.batch_start(actor=f.user("ministerie"), year=2024)


def test_a_failed_batch_names_the_failures(monkeypatch):
    from monitoring.accountability import pdf as sisa_pdf

    for rep in SpendingReport.objects.filter(year=2024, status="ingediend"):
        SisaAppendix.objects.filter(report=rep).update(status="wachtrij", file="")
    monkeypatch.setattr(sisa_pdf, "render", lambda r, **kwargs: (_ for _ in ()).throw(OSError("schijf vol")))
    batch = SisaBatch.objects.create(year=2024, created_by=f.user("ministerie"))
    batch = sisa_batch.batch_run(batch_id=batch.pk)
    assert batch.status == "mislukt" and "3 van 3 niet gelukt" in batch.error and "schijf vol" in batch.error
    assert sisa_batch.restartable(batch)


@pytest.mark.worker
def test_the_batch_runs_on_the_real_worker_and_a_rerun_finishes_the_same_job(reference_data, celery_worker_process):
    batch = sisa_batch.batch_start(actor=f.user("ministerie"), year=2024)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.is_done:
            break
        time.sleep(0.2)
    assert batch.status == "klaar", batch.error
    assert batch.task_id and batch.done == batch.total == 3  # Almere's H4 and H35, Heerlen's H4
    first_names = _zip_names(batch)
    again = sisa_batch.batch_start(actor=f.user("ministerie"), year=2024)
    assert again.pk == batch.pk
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        again.refresh_from_db()
        if again.is_done:
            break
        time.sleep(0.2)
    assert again.status == "klaar" and again.done == 3 and _zip_names(again) == first_names
    assert SisaBatch.objects.count() == 1
