"""A decision letter and a SiSa appendix are background jobs like any other: a stuck one is failed by the
periodic sweep (with its reason, in the audit trail) and started again with the same button as before."""

import datetime

import pytest
from django.utils import timezone

import spukportal.tasks  # noqa: F401  (registers the mail task: notify's after-commit looks it up by name)
from applications.decisions import services as decision_services
from applications.models import DecisionLetter
from monitoring.models import SisaAppendix
from spukportal.models import AuditEvent
from spukportal.tasks import sweep_stale_jobs
from tests.applications import factories as f
from tests.monitoring import sisa_factories as sf

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(hours=2)


def test_a_stuck_decision_letter_is_swept_shown_as_failed_and_made_again(login, django_capture_on_commit_callbacks):
    app = f.with_final_advice(f.submitted(f.scenario()), "positief")
    decision = decision_services.decision_make(actor=f.user("ministerie"), application=app, outcome="toegekend",
                                               decided_on=datetime.date(2025, 3, 10))  # its task never ran
    DecisionLetter.objects.filter(decision=decision).update(status="bezig", started_at=LONG_AGO)
    assert sweep_stale_jobs()["marked"] >= 1
    letter = DecisionLetter.objects.get(decision=decision)
    assert letter.status == "mislukt" and "stond stil" in letter.error
    assert AuditEvent.objects.filter(action="taak.stilgevallen", object_type="applications.decisionletter",
                                     object_id=str(letter.pk)).exists()
    ministry = login("ministerie")
    page = ministry.get(f"/aanvragen/{app.pk}/").content.decode()
    assert "stond stil" in page and "Brief opnieuw maken" in page
    assert ministry.get(f"/aanvragen/{app.pk}/beschikking/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert ministry.post(f"/aanvragen/{app.pk}/beschikking/opnieuw/").status_code == 302
    letter.refresh_from_db()
    assert letter.status == "klaar" and letter.file and letter.error == ""
    assert "downloaden (pdf)" in ministry.get(f"/aanvragen/{app.pk}/").content.decode()


def test_a_stuck_sisa_appendix_is_swept_shown_as_failed_and_made_again(login, django_capture_on_commit_callbacks):
    report = sf.almere_2024()
    SisaAppendix.objects.update_or_create(report=report, defaults={"status": "wachtrij", "file": ""})
    SisaAppendix.objects.filter(report=report).update(created_at=LONG_AGO)  # lost with the broker
    assert sweep_stale_jobs()["marked"] >= 1
    appendix = SisaAppendix.objects.get(report=report)
    assert appendix.status == "mislukt" and "stond stil" in appendix.error
    client = login("gemeente")
    page = client.get(f"/verantwoording/{report.pk}/").content.decode()
    assert "stond stil" in page and "Bijlage opnieuw maken" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/verantwoording/{report.pk}/bijlage-opnieuw/").status_code == 302
    appendix.refresh_from_db()
    assert appendix.status == "klaar" and appendix.file
    assert client.get(f"/verantwoording/{report.pk}/sisa.pdf").status_code == 200
