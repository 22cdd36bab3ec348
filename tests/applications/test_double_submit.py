"""Double submit: the second of two simultaneous submits gets a clear message, not a 500,
and only one version is frozen."""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from applications.intake import services
from applications.models import Application
from applications.intake.flow import ApplicationState

from . import factories as f


def _release_when_someone_waits_for_a_lock(release):
    """Let the first request commit once the second one waits for the row lock (PostgreSQL), or after 2 s."""
    try:
        for _ in range(200):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                   "AND datname = current_database()")
                    if cursor.fetchone()[0]:
                        break
            threading.Event().wait(0.01)
    finally:
        release.set()
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_second_of_two_simultaneous_submits_gets_a_message_not_a_500(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("Twee gelijktijdige indieningen wachten op elkaars rijvergrendeling; SQLite kent geen "
                    "rijvergrendeling (het laat schrijvers op hun beurt wachten), dus deze race bestaat daar niet.")
    app = f.fill_completely(f.draft(f.scenario()))
    locked, release = threading.Event(), threading.Event()
    errors = []

    def first_submit():
        # The first request: it holds the application's row lock while it submits, and commits a moment later.
        try:
            with transaction.atomic():
                services.application_submit(actor=f.user("gemeente"), application=Application.objects.get(pk=app.pk))
                locked.set()
                release.wait(10)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
            locked.set()
        finally:
            connection.close()

    thread = threading.Thread(target=first_submit)
    thread.start()
    assert locked.wait(10)
    client = Client(raise_request_exception=False)
    client.force_login(f.user("gemeente"))
    # The second request saw the draft (the first has not committed yet) and waits for the lock.
    threading.Thread(target=_release_when_someone_waits_for_a_lock, args=(release,)).start()
    response = client.post(reverse("applications:submit", args=(app.pk,)), {"confirm": "on"})
    thread.join(10)
    assert not errors
    assert response.status_code == 302, response.status_code
    assert response["Location"] == reverse("applications:detail", args=(app.pk,))
    page = client.get(response["Location"]).content.decode()
    assert "niet opnieuw ingediend" in page and "Ingediend" in page
    app.refresh_from_db()
    assert app.state == ApplicationState.INGEDIEND and app.versions.count() == 1
