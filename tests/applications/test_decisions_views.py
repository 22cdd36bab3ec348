"""The decision form (with its confirmation step), the letter's download, and the batch pages and services."""

import datetime
import time

import pytest

import spukportal.tasks  # noqa: F401  (registers the mail task that notify's after-commit looks up by name)
from applications.decisions import services as decision_services, decide as decisions
from applications.models import DecisionBatch, GrantDecision
from tests.applications import factories as f

from .test_decisions import DAY, positive

pytestmark = pytest.mark.django_db


def form_data(app, **overrides):
    data = {"outcome": "toegekend", "decided_on": DAY.isoformat(), "reasons": ""}
    for c in f.components():
        for year in f.YEARS:
            data[f"bedrag-component-{c.pk}-{year}"] = "50.000"
    data.update(overrides)
    return data


def test_the_form_is_prefilled_with_the_requested_amounts_and_shows_the_cap(login):
    app = positive()
    page = login("ministerie").get(f"/aanvragen/{app.pk}/besluit/")
    assert page.status_code == 200
    html = page.content.decode()
    valpreventie = next(c for c in f.components() if c.number == 7)
    assert f'name="bedrag-component-{valpreventie.pk}-2025"' in html and 'value="50.000"' in html
    assert "toekenning uit de verdeling: €\xa0100.000" in html and "Aangevraagd: €\xa050.000" in html


def test_grant_goes_through_a_confirmation_step_before_anything_is_stored(login, django_capture_on_commit_callbacks):
    app = positive()
    client = login("ministerie")
    first = f.components()[0]
    data = form_data(app, **{f"bedrag-component-{first.pk}-2026": "40.000"})
    page = client.post(f"/aanvragen/{app.pk}/besluit/", data)
    assert page.status_code == 200 and "Besluit bevestigen" in page.content.decode()
    assert "€\xa02.240.000" in page.content.decode()  # the total, with the lowered amount
    assert not GrantDecision.objects.filter(application=app).exists()
    back = client.post(f"/aanvragen/{app.pk}/besluit/", {**data, "edit": "1"})
    assert 'value="40.000"' in back.content.decode() and not GrantDecision.objects.filter(application=app).exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/aanvragen/{app.pk}/besluit/", {**data, "confirmed": "1"})
    assert done.status_code == 302 and done["Location"] == f"/aanvragen/{app.pk}/"
    decision = GrantDecision.objects.get(application=app)
    assert decision.total == 2_240_000 and decision.letter.status == "klaar"
    detail = client.get(f"/aanvragen/{app.pk}/").content.decode()
    assert decision.reference in detail and "€\xa02.240.000" in detail and "downloaden (pdf)" in detail
    # A second decision: a clear message, nothing stored.
    again = client.post(f"/aanvragen/{app.pk}/besluit/", {**data, "confirmed": "1"}, follow=True)
    assert "al een besluit genomen" in again.content.decode()
    assert GrantDecision.objects.filter(application=app).count() == 1


def test_an_amount_above_the_allocation_is_shown_at_its_field_with_the_input_kept(login):
    app = positive()
    first = f.components()[0]
    name = f"bedrag-component-{first.pk}-2025"
    page = login("ministerie").post(f"/aanvragen/{app.pk}/besluit/", form_data(app, **{name: "150.000",
                                                                                         "confirmed": "1"}))
    assert page.status_code == 422
    html = page.content.decode()
    assert "in 2025 wordt €\xa0150.000 toegekend, maar de toekenning uit de verdeling is ten hoogste €\xa0100.000" in html
    assert 'value="150.000"' in html and f'href="#id_{name}"' in html  # error summary links to the field
    assert not GrantDecision.objects.filter(application=app).exists()


def test_a_rejection_without_reasons_is_refused_at_the_field(login):
    app = positive()
    page = login("ministerie").post(f"/aanvragen/{app.pk}/besluit/", form_data(app, outcome="afgewezen",
                                                                              confirmed="1"))
    assert page.status_code == 422 and "Geef de redenen van de afwijzing" in page.content.decode()
    assert not GrantDecision.objects.filter(application=app).exists()


def test_no_decision_form_without_a_final_advice(login):
    app = f.in_review(f.submitted(f.scenario()))
    page = login("ministerie").post(f"/aanvragen/{app.pk}/besluit/", form_data(app, confirmed="1"), follow=True)
    assert "nog geen definitief advies" in page.content.decode()
    assert not GrantDecision.objects.filter(application=app).exists()


def test_the_letter_is_downloaded_by_the_applicant_kerngroep_and_ministry_only(login, client,
                                                                               django_capture_on_commit_callbacks):
    app = positive()
    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_services.decision_make(actor=f.user("ministerie"), application=app,
                                                   outcome="toegekend", decided_on=DAY)
    url = f"/aanvragen/{app.pk}/beschikking/"
    for username, status in [("gemeente", 200), ("kerngroep", 200), ("ministerie", 200), ("gemeente2", 403),
                             ("gemeente3", 403), ("beheer", 403)]:
        response = login(username).get(url)
        assert response.status_code == status, username
        if status == 200:
            assert response["Content-Type"] == "application/pdf"
            assert f"beschikking-{decision.reference}.pdf" in response["Content-Disposition"]


def _next_application_id(at_least):
    """Let the next application get an id ≥ `at_least` (real databases soon have ids in the thousands)."""
    from django.db import connection

    from applications.models import Application

    table = Application._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, at_least])
        else:
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [at_least, table])


@pytest.mark.parametrize("first_id", [None, 12_345], ids=["ids below 1000", "ids above 1000"])
def test_batch_page_lists_what_awaits_a_decision_and_starts_a_batch(login, first_id):
    """Ids above 999 were written "12.346" in the checkbox values, so a chosen application never matched."""
    if first_id:
        _next_application_id(first_id)
    one = positive()
    two = positive(f.scenario(municipalities=("GM0995",)), "GM0995", "gemeente2")
    other = f.in_review(f.submitted(f.scenario(municipalities=("GM0928",)), "GM0928", "gemeente3"))
    client = login("ministerie")
    page = client.get("/aanvragen/beschikkingen/").content.decode()
    assert f'value="{one.pk}"' in page and f'value="{two.pk}"' in page and f'value="{other.pk}"' not in page
    refused = client.post("/aanvragen/beschikkingen/", {"decided_on": DAY.isoformat()})
    assert refused.status_code == 422 and "Kies ten minste één aanvraag" in refused.content.decode()
    chosen = {"applications": [one.pk, two.pk], "decided_on": DAY.isoformat()}
    confirm = client.post("/aanvragen/beschikkingen/", chosen)
    assert confirm.status_code == 200 and not DecisionBatch.objects.exists()
    assert "Bevestigen: 2 beschikkingen maken" in confirm.content.decode()
    started = client.post("/aanvragen/beschikkingen/", {**chosen, "confirmed": "1"})
    batch = DecisionBatch.objects.get()
    assert started.status_code == 302 and started["Location"] == f"/aanvragen/beschikkingen/{batch.pk}/"
    assert batch.total == 2 and set(batch.applications.values_list("pk", flat=True)) == {one.pk, two.pk}


def test_a_refused_batch_keeps_the_ticked_applications_and_each_row_says_whose_it_is(login):
    """The rows are written in Python (applications.decisions.rows): a checkbox labelled with the applicant, the
    regulation, the period and a link to the application; what was ticked stays ticked after an error."""
    one = positive()
    two = positive(f.scenario(municipalities=("GM0995",)), "GM0995", "gemeente2")
    client = login("ministerie")
    refused = client.post("/aanvragen/beschikkingen/", {"applications": [one.pk], "decided_on": "geen datum"})
    page = refused.content.decode()
    assert refused.status_code == 422
    row = page[page.index(f'value="{one.pk}"'):].split("</tr>", 1)[0]
    assert f'id="aanvraag-{one.pk}" checked>' in row and f'<label for="aanvraag-{one.pk}">Almere</label>' in row
    assert f">Brede SPUK</td><td class=\"utrecht-table__cell\">{one.period.name}</td>" in row
    assert f'<a href="/aanvragen/{one.pk}/">{one.reference}</a>' in row
    assert f'id="aanvraag-{two.pk}">' in page and f'id="aanvraag-{two.pk}" checked' not in page


def test_the_batch_asks_for_confirmation_showing_who_gets_which_amounts(login):
    one = positive()
    two = positive(f.scenario(municipalities=("GM0995",)), "GM0995", "gemeente2")
    client = login("ministerie")
    chosen = {"applications": [one.pk, two.pk], "decided_on": DAY.isoformat()}
    page = client.post("/aanvragen/beschikkingen/", chosen)
    html = page.content.decode().replace("\xa0", " ")
    assert page.status_code == 200 and not DecisionBatch.objects.exists()
    assert not GrantDecision.objects.filter(application__in=[one, two]).exists()
    assert "Reeks beschikkingen bevestigen" in html and "Almere" in html and "Lelystad" in html
    per_app = sum(line["amount"] for line in decisions.capped_to_allocation(
        one, decisions.requested_lines(one)))
    assert per_app > 0 and f"€ {per_app:,}".replace(",", ".") in html
    assert f"€ {2 * per_app:,}".replace(",", ".") in html  # the grand total
    assert "Terug en wijzigen" in html
    # Back: the list again with both still chosen, nothing stored.
    back = client.post("/aanvragen/beschikkingen/", {**chosen, "edit": "1"}).content.decode()
    assert back.count("checked") >= 2 and "Beschikkingen maken" in back and not DecisionBatch.objects.exists()


def _run_job(batch, capture):
    """The batch's job as production runs it: the task splits it into parts, each part its own task (eager here)."""
    from applications.tasks import run_decision_batch

    with capture(execute=True):
        run_decision_batch.delay(batch.pk)


def test_the_batch_service_run_twice_makes_the_same_decisions_and_references(django_capture_on_commit_callbacks):
    apps = [positive(), positive(f.scenario(municipalities=("GM0995",)), "GM0995", "gemeente2")]
    with django_capture_on_commit_callbacks(execute=True):  # the start enqueues the job after commit
        batch = decision_services.decision_batch_start(actor=f.user("ministerie"), applications=apps,
                                                       decided_on=DAY)
    batch.refresh_from_db()
    assert batch.status == "klaar" and batch.done == 2 == batch.total
    first = sorted(GrantDecision.objects.filter(application__in=apps).values_list("application_id", "reference", "pk", "letter__sha256"))
    assert len(first) == 2 and all(sha for *_, sha in first)
    # Interrupted and run again (e.g. redelivered after a worker died): nothing new, same references.
    DecisionBatch.objects.filter(pk=batch.pk).update(status="bezig", done=1)
    _run_job(batch, django_capture_on_commit_callbacks)
    batch.refresh_from_db()
    assert sorted(GrantDecision.objects.filter(application__in=apps).values_list("application_id", "reference", "pk", "letter__sha256")) == first
    assert batch.status == "klaar" and batch.done == 2
    # A new batch over the same applications: still no second decision.
    with django_capture_on_commit_callbacks(execute=True):
        decision_services.decision_batch_start(actor=f.user("ministerie"), applications=apps, decided_on=DAY)
    assert sorted(GrantDecision.objects.filter(application__in=apps).values_list("application_id", "reference", "pk", "letter__sha256")) == first


def test_a_failed_batch_says_which_failed_and_a_restart_finishes_it(login, monkeypatch,
                                                                   django_capture_on_commit_callbacks):
    from spukportal import pdf

    apps = [positive(), positive(f.scenario(municipalities=("GM0995",)), "GM0995", "gemeente2")]
    real = pdf.render_pdf
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("schijf vol")
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf, "render_pdf", flaky)
    with django_capture_on_commit_callbacks(execute=True):  # the start enqueues the job after commit
        batch = decision_services.decision_batch_start(actor=f.user("ministerie"), applications=apps,
                                                       decided_on=DAY)
    batch.refresh_from_db()
    assert batch.status == "mislukt" and "Lelystad" in batch.error and "schijf vol" in batch.error
    page = login("ministerie").get(f"/aanvragen/beschikkingen/{batch.pk}/").content.decode()
    assert "Opnieuw starten" in page and "Niet alles is gelukt" in page
    with django_capture_on_commit_callbacks(execute=True):  # eager: the job runs right after commit
        login("ministerie").post(f"/aanvragen/beschikkingen/{batch.pk}/opnieuw/")
    batch.refresh_from_db()
    assert batch.status == "klaar" and batch.done == 2
    mine = GrantDecision.objects.filter(application__in=apps)
    assert mine.count() == 2 and set(mine.values_list("letter__status", flat=True)) == {"klaar"}


def test_a_stale_batch_can_be_restarted_a_running_one_not(login):
    from django.utils import timezone

    app = positive()
    batch = decision_services.decision_batch_start(actor=f.user("ministerie"), applications=[app], decided_on=DAY)
    DecisionBatch.objects.filter(pk=batch.pk).update(status="bezig", started_at=timezone.now(), done=0)
    client = login("ministerie")
    running = client.get(f"/aanvragen/beschikkingen/{batch.pk}/voortgang/").content.decode()
    assert "hx-get" in running and "Opnieuw starten" not in running
    DecisionBatch.objects.filter(pk=batch.pk).update(started_at=timezone.now() - datetime.timedelta(hours=1))
    stale = client.get(f"/aanvragen/beschikkingen/{batch.pk}/voortgang/").content.decode()
    assert "staat stil" in stale and "Opnieuw starten" in stale


@pytest.mark.worker
def test_a_small_batch_runs_on_the_real_worker_to_100_percent(reference_data, celery_worker_process):
    apps = [positive(), positive(f.scenario(municipalities=("GM0995",)), "GM0995", "gemeente2"),
            positive(f.scenario(municipalities=("GM0928",)), "GM0928", "gemeente3")]
    batch = decision_services.decision_batch_start(actor=f.user("ministerie"), applications=apps, decided_on=DAY)
    deadline = time.monotonic() + 90
    seen = set()
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        seen.add(batch.done)
        if batch.is_done:
            break
        time.sleep(0.1)
    assert batch.status == "klaar", batch.error
    assert batch.task_id and batch.done == batch.total == 3
    assert GrantDecision.objects.filter(batch=batch, letter__status="klaar").count() == 3


def test_the_ministry_start_page_shows_what_awaits_a_decision_and_failed_letters(login, monkeypatch,
                                                                                 django_capture_on_commit_callbacks):
    from spukportal import pdf

    positive()
    failed = positive(f.scenario(municipalities=("GM0995",)), "GM0995", "gemeente2")
    monkeypatch.setattr(pdf, "render_pdf", lambda *a, **k: (_ for _ in ()).throw(OSError("schijf vol")))
    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_services.decision_make(actor=f.user("ministerie"), application=failed,
                                                   outcome="toegekend", decided_on=DAY)
    from applications.models import Application

    # Ours, and any waiting in the session's demo data (Noordoostpolder's positive advice).
    waiting = Application.objects.filter(state="advies_positief", decision__isnull=True).count()
    total = Application.objects.filter(state__in=["advies_positief", "advies_negatief"], decision__isnull=True).count()
    assert waiting >= 1
    page = login("ministerie").get("/").content.decode()
    assert (f"{total} aanvraag wacht op een besluit" if total == 1 else
            f"{total} aanvragen wachten op een besluit") in page
    assert f"Brede SPUK, positief advies: {waiting}</a>" in page  # a link to the queue that lists exactly them
    assert "Brieven mislukt (1)" in page and decision.reference in page
    assert "Te besluiten" not in login("kerngroep").get("/").content.decode()
    assert "Te besluiten" not in login("gemeente").get("/").content.decode()


def test_the_ministry_start_page_lists_running_and_recent_batches(login):
    """Running batches first, then the five latest that ended (finished or failed), each with its progress."""
    from django.urls import reverse

    ministry = f.user("ministerie")
    running = DecisionBatch.objects.create(decided_on=DAY, created_by=ministry, status="bezig", total=4, done=1)
    ended = [DecisionBatch.objects.create(decided_on=DAY, created_by=ministry, status="klaar", total=2, done=2)
             for _ in range(6)]
    for n, batch in enumerate(ended):  # the first is the oldest
        DecisionBatch.objects.filter(pk=batch.pk).update(created_at=running.created_at - datetime.timedelta(days=6 - n))
    page = login("ministerie").get("/").content.decode()
    links = [reverse("applications:decision_batch", args=[b.pk]) for b in (running, *reversed(ended))]
    at = [page.find(f'href="{link}"') for link in links]
    assert -1 not in at[:6] and at[:6] == sorted(at[:6]) and at[6] == -1  # the oldest ended one is not listed
    assert ": 1 van 4" in page


def test_an_application_page_reads_its_decision_once_and_shows_it_and_what_may_change(login):
    """The decision block and the amendment block below it both show the decision (applications.decisions
    .selectors.decision_on): one read of it per page, for the gemeente and the ministry alike."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tests.applications.test_decisions import grant

    app = positive()
    decision = grant(app)
    url = reverse("applications:detail", args=[app.pk])
    for username in ("gemeente", "ministerie"):
        client = login(username)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        reads = [q["sql"] for q in queries.captured_queries
                 if q["sql"].startswith("SELECT") and 'FROM "applications_grantdecision"' in q["sql"]]
        assert len(reads) == 1, reads
        assert decision.reference in page and "Toegekend" in page
    assert "Wijziging aanvragen" in login("gemeente").get(url).content.decode()
