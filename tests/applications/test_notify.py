"""Transition notifications: the right people hear of each transition, by mail (text and HTML)
and in the portal; a mail that fails never undoes a transition and is retried."""

import io

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from pypdf import PdfReader

from applications.intake import services
from applications.models import Application
from spukportal.models import Notification

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_demo_notifications():
    """The demo data has its own notifications; each test starts without them."""
    Notification.objects.all().delete()


def recipients(event):
    return sorted(Notification.objects.filter(event=event).values_list("user__username", flat=True))


def test_submission_sends_a_receipt_to_the_gemeentes_officers_only(django_capture_on_commit_callbacks):
    period = f.scenario()
    f.submitted(period, "GM0928", "gemeente3")  # Kerkrade's, to check nobody else hears of it
    Notification.objects.filter(user__username="gemeente3").delete()
    with django_capture_on_commit_callbacks(execute=True):
        app = f.submitted(period)
    assert recipients("aanvraag.indienen") == ["gemeente"]
    n = Notification.objects.get(event="aanvraag.indienen")
    assert app.reference in n.subject and n.url == f"/aanvragen/{app.pk}/versies/1/ontvangstbewijs/"
    assert "Versie: 1" in n.body and n.mailed_at is not None and n.mail_error == ""
    [message] = mail.outbox
    assert message.to == ["gemeente@example.org"] and app.reference in message.subject
    assert app.reference in message.body and f"/aanvragen/{app.pk}/versies/1/ontvangstbewijs/" in message.body
    [(html, kind)] = message.alternatives
    assert kind == "text/html" and app.reference in html


def test_iza_submission_goes_to_the_mandate_holders_officers():
    period = f.iza_scenario()
    app = f.iza_draft(period)
    services.notify.after_transition(app=Application.objects.get(pk=app.pk), transition="aanvulling_vragen",
                                     actor=f.user("kerngroep"), details={"punten": ["Governance uitwerken."]})
    assert recipients("aanvraag.aanvulling_vragen") == ["gemeente"]  # Almere holds Flevoland's mandate


def test_request_for_additions_names_the_points_to_the_applicant():
    app = f.in_review(f.submitted(f.scenario()))
    f.submitted(app.period, "GM0995", "gemeente2")
    f.with_additions_requested(app, points=("Graag valpreventie uitwerken.", "Begroting 2026 toelichten."))
    assert recipients("aanvraag.aanvulling_vragen") == ["gemeente"]
    body = Notification.objects.get(event="aanvraag.aanvulling_vragen").body
    assert "1. Graag valpreventie uitwerken." in body and "2. Begroting 2026 toelichten." in body


def test_resubmission_reaches_the_applicant_and_the_assigned_reviewers():
    app = f.proposed(f.submitted(f.scenario()))  # first kerngroep, second kerngroep2
    app = services.application_transition(actor=f.user("kerngroep"), application=app,
                                          transition="aanvulling_vragen", data={"points": ["Meer detail."]})
    app = services.application_submit(actor=f.user("gemeente"), application=f.answer_points(app))
    assert recipients("aanvraag.opnieuw_indienen") == ["gemeente", "kerngroep", "kerngroep2"]
    receipt = Notification.objects.get(event="aanvraag.opnieuw_indienen", user__username="gemeente")
    assert receipt.url.endswith("/versies/2/ontvangstbewijs/")


@pytest.mark.parametrize("advice", ["positief", "negatief"])
def test_final_advice_reaches_the_applicant_and_the_ministry(advice):
    app = f.with_final_advice(f.submitted(f.scenario()), advice)
    assert recipients(f"aanvraag.{advice}_adviseren") == ["gemeente", "ministerie"]
    assert advice in Notification.objects.filter(user__username="gemeente").latest("pk").subject
    assert app.state == f"advies_{advice}"


def test_withdrawal_tells_the_assigned_reviewers_and_no_one_when_unassigned():
    period = f.scenario()
    draft = f.draft(period, "GM0995", "gemeente2")
    services.application_withdraw(actor=f.user("gemeente2"), application=draft, note="Toch niet.")
    assert recipients("aanvraag.intrekken") == []
    app = f.in_review(f.submitted(period))
    services.application_withdraw(actor=f.user("gemeente"), application=app, note="Plan herzien.")
    assert recipients("aanvraag.intrekken") == ["kerngroep"]
    assert "Plan herzien." in Notification.objects.get(event="aanvraag.intrekken").body


class FailingBackend(BaseEmailBackend):
    attempts = 0

    def send_messages(self, messages):
        FailingBackend.attempts += 1
        raise ConnectionRefusedError("mailserver weigert")


def test_a_failing_mail_never_undoes_the_transition_and_is_retried(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.applications.test_notify.FailingBackend"
    FailingBackend.attempts = 0
    application = f.fill_completely(f.draft(f.scenario()))
    with django_capture_on_commit_callbacks(execute=True):
        app = services.application_submit(actor=f.user("gemeente"), application=application)
    app.refresh_from_db()
    assert app.state == "ingediend" and app.reference
    n = Notification.objects.get(event="aanvraag.indienen")
    assert "mailserver weigert" in n.mail_error and n.mailed_at is None
    assert FailingBackend.attempts == 6  # the first try and five retries (eager Celery retries in-process)


def test_receipt_pdf_holds_the_kenmerk_and_the_submitted_amounts(client):
    app = f.submitted(f.scenario())
    client.force_login(f.user("gemeente"))
    response = client.get(f"/aanvragen/{app.pk}/versies/1/ontvangstbewijs/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).replace("\xa0", " ")
    assert app.reference in text and "Versie" in text and "€ 50.000" in text
    assert "Anna de Vries" in text and "ondertekend.pdf" in text
    sha = app.attachments.get().sha256
    assert sha[:16] in text.replace("\n", "")


def test_a_receipt_over_several_pages_says_the_total_once_under_the_table():
    from applications.intake.receipt import render_receipt
    from tests.pdf import pdf_pages

    app = f.submitted(f.scenario())
    version = app.versions.get(number=1)
    components = version.snapshot["components"]
    version.snapshot["components"] = [{**c, "number": c["number"] + 15 * i} for i in range(5) for c in components]
    pages = pdf_pages(render_receipt(app, version))
    assert len(pages) > 2 and "75. " in pages[1] + pages[2]  # the table of amounts runs over more than one page
    text = " ".join(pages)
    assert text.count("Totaal") == 1 and "Totaal €" in text


def test_receipt_pdf_is_refused_to_another_gemeente_and_404_for_a_missing_version(client):
    app = f.submitted(f.scenario())
    client.force_login(f.user("gemeente3"))
    assert client.get(f"/aanvragen/{app.pk}/versies/1/ontvangstbewijs/").status_code == 403
    client.force_login(f.user("gemeente"))
    assert client.get(f"/aanvragen/{app.pk}/versies/2/ontvangstbewijs/").status_code == 404


def test_receipt_pdf_is_rendered_once_and_then_served_from_private_storage(client):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    app = f.submitted(f.scenario())
    url = f"/aanvragen/{app.pk}/versies/1/ontvangstbewijs/"
    client.force_login(f.user("gemeente"))
    first = client.get(url).content
    storage = storages["private"]
    [stored] = storage.listdir(f"ontvangstbewijzen/{app.pk}")[1]
    with storage.open(f"ontvangstbewijzen/{app.pk}/{stored}", "rb") as handle:
        assert handle.read() == first
    # What the second download serves is the stored file, not a new rendering: replace the stored file and
    # the download follows it.
    storage.delete(f"ontvangstbewijzen/{app.pk}/{stored}")
    storage.save(f"ontvangstbewijzen/{app.pk}/{stored}", ContentFile(first + b"%bewaard\n"))
    assert client.get(url).content == first + b"%bewaard\n"
    client.force_login(f.user("gemeente3"))  # the stored file does not skip the permission check
    assert client.get(url).status_code == 403
