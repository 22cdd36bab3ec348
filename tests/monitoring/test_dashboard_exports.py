"""Large exports: a Celery job row with progress, the file in private storage, the downloads page with age and
creator, idempotent generation, retry after a failure."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import storages
from openpyxl import load_workbook

from monitoring.dashboards import exports as dashboard_exports
from monitoring.models import Export
from regions.models import Municipality
from spukportal.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def run_jobs(monkeypatch):
    """The task is enqueued after commit; these tests roll back instead of committing, so the callback runs at
    once (the task itself runs eagerly, see tests/conftest.py)."""
    from spukportal import jobs

    monkeypatch.setattr(jobs.transaction, "on_commit", lambda callback, *args, **kwargs: callback())


def _user(name):
    return get_user_model().objects.get(username=name)


def test_ministry_exports_the_spending_overview_of_a_province_and_downloads_it(login):
    client = login("ministerie")
    response = client.post("/monitoring/exports/nieuw/", {"provincie": "Flevoland", "jaar": "2025"})
    assert response.status_code == 302 and response["Location"] == "/monitoring/downloads/"
    export = Export.objects.latest("id")
    assert export.status == Export.Status.FINISHED and export.progress == 100  # eager in tests
    assert export.parameters == {"year": 2025, "province": "Flevoland"}
    page = client.get("/monitoring/downloads/").content.decode()
    assert "geleden" in page and "Eva Smit" in page and f"{export.filename} downloaden" in page
    download = client.get(f"/monitoring/downloads/{export.pk}/")
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    sheet = workbook["Gemeenten 2025"]
    assert [c.value for c in sheet[1]] == ["Gemeente", "CBS-code", "Provincie", "IZA-regio", "Regeling", "Verdeling",
                                           "Besteding", "Besteed (%)"]
    provinces = {row[2].value for row in sheet.iter_rows(min_row=2)}
    assert provinces == {"Flevoland"}
    names = {row[0].value for row in sheet.iter_rows(min_row=2)}
    assert names <= set(Municipality.objects.filter(province="Flevoland").values_list("name", flat=True))
    assert "Almere" in names and sheet.freeze_panes == "A2"
    assert {"Per onderdeel", "Per provincie", "Per IZA-regio"} <= set(workbook.sheetnames)
    assert AuditEvent.objects.filter(action="export.aangevraagd", object_id=str(export.pk)).exists()


def test_the_export_button_exports_the_year_and_province_on_screen(login):
    """The export form carries the dashboard's filters in hidden fields. A year written as a number ("2.025", with
    Django's thousands separator) came back as an unreadable year."""
    client = login("ministerie")
    page = client.get("/monitoring/landelijk/", {"jaar": "2025", "provincie": "Flevoland"}).content.decode()
    form = page[page.index('action="/monitoring/exports/nieuw/"'):]
    form = form[:form.index("</form>")]
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    assert {k: v for k, v in hidden.items() if k != "csrfmiddlewaretoken"} == {"jaar": "2025", "provincie": "Flevoland"}
    assert client.post("/monitoring/exports/nieuw/", hidden).status_code == 302
    assert Export.objects.latest("id").parameters == {"year": 2025, "province": "Flevoland"}


def test_generation_is_idempotent_a_finished_export_is_left_alone():
    export = dashboard_exports.export_request(actor=_user("ministerie"), parameters={"year": 2025})
    export.refresh_from_db()
    first_file = export.file
    again = dashboard_exports.export_generate(export_id=export.pk)
    assert again.pk == export.pk and again.file == first_file and again.attempts == 1
    assert Export.objects.filter(pk=export.pk).count() == 1


def test_a_failed_export_says_so_in_dutch_and_can_be_retried(login, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("schijf vol")

    working = dashboard_exports.spending_overview_xlsx
    monkeypatch.setattr(dashboard_exports, "spending_overview_xlsx", broken)
    client = login("kerngroep")
    client.post("/monitoring/exports/nieuw/", {"jaar": "2024"})
    export = Export.objects.latest("id")
    assert export.status == Export.Status.FAILED and "Probeer het opnieuw" in export.error
    assert not storages["private"].exists(f"exports/{export.pk}/{export.filename}")
    page = client.get("/monitoring/downloads/").content.decode()
    assert "Opnieuw proberen" in page
    monkeypatch.setattr(dashboard_exports, "spending_overview_xlsx", working)  # the disk has room again
    client.post(f"/monitoring/downloads/{export.pk}/opnieuw/")
    export.refresh_from_db()
    assert export.status == Export.Status.FINISHED and export.attempts == 2 and export.error == ""


def test_only_a_failed_export_can_be_retried(login):
    export = dashboard_exports.export_request(actor=_user("ministerie"), parameters={"year": 2025})
    response = login("ministerie").post(f"/monitoring/downloads/{export.pk}/opnieuw/", follow=True)
    assert "Alleen een mislukte (of vastgelopen) export kan opnieuw worden gestart." in response.content.decode()


def test_an_export_stuck_in_the_queue_for_hours_can_be_retried(login):
    import datetime

    from django.utils import timezone

    export = Export.objects.create(kind=Export.Kind.SPENDING_OVERVIEW, parameters={"year": 2025},
                                   created_by=_user("ministerie"))
    Export.objects.filter(pk=export.pk).update(created_at=timezone.now() - datetime.timedelta(hours=3))
    client = login("ministerie")
    assert "Opnieuw proberen" in client.get("/monitoring/downloads/").content.decode()
    client.post(f"/monitoring/downloads/{export.pk}/opnieuw/")
    export.refresh_from_db()
    assert export.status == Export.Status.FINISHED


def test_the_downloads_page_shows_kerngroep_only_its_own_exports_and_the_ministry_everyones(login):
    mine = dashboard_exports.export_request(actor=_user("kerngroep"), parameters={"year": 2025})
    theirs = dashboard_exports.export_request(actor=_user("ministerie"), parameters={"year": 2024})
    kerngroep = login("kerngroep").get("/monitoring/downloads/").content.decode()
    assert f"/monitoring/downloads/{mine.pk}/" in kerngroep and f"/monitoring/downloads/{theirs.pk}/" not in kerngroep
    ministry = login("ministerie").get("/monitoring/downloads/").content.decode()
    assert f"/monitoring/downloads/{mine.pk}/" in ministry and "Dirk Bakker" in ministry


def test_export_filters_are_checked():
    with pytest.raises(Exception) as exc:
        dashboard_exports.export_request(actor=_user("ministerie"), parameters={"year": 2025, "province": "Atlantis"})
    assert "Kies een provincie uit de lijst." in str(exc.value)
    with pytest.raises(Exception):
        dashboard_exports.export_request(actor=_user("ministerie"), parameters={"year": 1900})
