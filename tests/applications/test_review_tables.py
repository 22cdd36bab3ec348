"""The review as tables: the assessment page offers what the transitions allow, the second reviewer hears of a
proposal (mail and portal), a resubmission stays with its reviewers, and the queue filter "Wacht op mij"."""

import pytest
from django.core import mail
from django.urls import reverse

import spukportal.tasks  # noqa: F401  (registers the mail task: notify's after-commit looks it up by name)
from applications.review import services as review
from applications.intake import services, flow as workflow
from spukportal.models import Notification

from . import factories as f
from .test_review_assessment import form_data

pytestmark = pytest.mark.django_db

ASK = "Aanvulling vragen aan de gemeente"


def url(name, app):
    return reverse(f"applications:{name}", args=[app.pk])


def queue(client, **params):
    return client.get(reverse("applications:review_queue"), params).content.decode()


def test_the_assessment_page_offers_additions_exactly_when_the_transition_allows_it(login):
    app = f.proposed(f.submitted(f.scenario()))  # first kerngroep, second kerngroep2; the proposal waits
    for username in ("kerngroep", "kerngroep2", "ministerie"):
        allowed = bool(workflow.check(f.user(username), app, "aanvulling_vragen"))
        page = login(username).get(url("assessment", app)).content.decode()
        assert (ASK in page) == allowed, username
    # the first reviewer may still ask for additions while the proposal waits (the guard allows it)
    assert ASK in login("kerngroep").get(url("assessment", app)).content.decode()
    assert ASK not in login("kerngroep2").get(url("assessment", app)).content.decode()
    app = services.application_transition(actor=f.user("kerngroep"), application=app,
                                          transition="aanvulling_vragen", data={"points": ["Meer detail."]})
    assert ASK not in login("kerngroep").get(url("assessment", app)).content.decode()


def test_the_second_reviewer_is_mailed_and_notified_of_a_proposal(login, django_capture_on_commit_callbacks):
    app = f.in_review(f.submitted(f.scenario()))
    review.second_reviewer_take(actor=f.user("kerngroep2"), application=app)
    mail.outbox.clear()
    client = login("kerngroep")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("assessment", app), {**form_data(app), "voorleggen": "1"})
    assert response.status_code == 302
    notice = Notification.objects.get(event="beoordeling.voorgelegd", subject__contains=app.reference)
    assert notice.user.username == "kerngroep2" and "positief advies" in notice.body
    assert [m.to for m in mail.outbox if "Advies ter controle" in m.subject] == [[f.user("kerngroep2").email]]


def test_a_second_reviewer_who_joins_while_a_proposal_waits_is_told(django_capture_on_commit_callbacks):
    app = f.in_review(f.submitted(f.scenario()))
    assessment = review.current_assessment(app)
    review.assessment_save(actor=f.user("kerngroep"), application=app, base_version=assessment.edit_version,
                           items={i.key: {"verdict": "voldoet", "comment": ""} for i in assessment.items.all()},
                           advice="negatief", reasons="Onvoldoende onderbouwd.", propose=True)
    proposals = Notification.objects.filter(event="beoordeling.voorgelegd", subject__contains=app.reference)
    assert not proposals.exists()  # nobody to tell yet
    review.second_reviewer_take(actor=f.user("kerngroep2"), application=app)
    notice = proposals.get()
    assert notice.user.username == "kerngroep2" and "negatief advies" in notice.body


def test_a_resubmission_stays_with_the_assigned_reviewers(login):
    app = f.proposed(f.submitted(f.scenario()))
    app = services.application_transition(actor=f.user("kerngroep"), application=app,
                                          transition="aanvulling_vragen", data={"points": ["Meer detail."]})
    app = services.application_submit(actor=f.user("gemeente"), application=f.answer_points(app))
    assert app.state == "in_beoordeling"
    assert (app.first_reviewer.username, app.second_reviewer.username) == ("kerngroep", "kerngroep2")
    assessment = review.current_assessment(app)
    assert assessment.version.number == 2 and assessment.status == "concept"
    assert {i.verdict for i in assessment.items.all()} == {"voldoet"}  # the earlier verdicts carried over
    page = login("kerngroep").get(url("detail", app)).content.decode()
    assert "In behandeling nemen" not in page and "Status: In beoordeling" in page
    assert "Voorleggen aan de tweede beoordelaar" in login("kerngroep").get(url("assessment", app)).content.decode()
    body = Notification.objects.get(event="aanvraag.opnieuw_indienen", user__username="kerngroep",
                                    subject__contains=app.reference).body
    assert "weer bij u in beoordeling" in body


def test_the_queue_filter_waiting_for_me_shows_what_awaits_my_step(login):
    period = f.scenario()
    waiting = f.proposed(f.submitted(period))  # awaits kerngroep2's agreement
    other = f.in_review(f.submitted(period, "GM0995", "gemeente2"))  # awaits kerngroep's draft, not kerngroep2
    second = queue(login("kerngroep2"), waiting="on")
    assert waiting.reference in second and other.reference not in second
    first = queue(login("kerngroep"), waiting="on")
    assert other.reference in first and waiting.reference not in first
    assert waiting.reference in queue(login("kerngroep2"))  # without the filter: everything
    home = login("kerngroep2").get(reverse("home")).content.decode()
    assert waiting.reference in home.split("Wacht op uw akkoord", 1)[1].split("Eerste beoordelaar", 1)[0]


def test_every_notice_of_the_tables_reaches_a_known_audience_with_words_it_can_fill_in():
    """A notice with an unknown audience, link or word would fail only when its transition is taken."""
    from applications import notify
    from applications.review import flow as review_flow

    app = f.proposed(f.submitted(f.scenario()))
    words = notify.words(app, actor=f.user("kerngroep"), details={"versie": 1, "punten": ["x"], "advies": "positief",
                                                                   "beschikking": "VWS-1", "datum": "2025-03-10",
                                                                   "totaal": 5}, target="toegekend")
    for step in workflow.TRANSITIONS.values():
        for notice in step.notices:
            assert isinstance(notify.audience(app, notice.audience), list), (step.name, notice.audience)
            assert notify.link(app, notice.link, {"versie": 1}).startswith("/aanvragen/")
            assert notice.subject.format(**words) and notice.body.format(**words)
    for step in review_flow.TRANSITIONS.values():
        for notice in step.notices:
            assert review._audience(app, notice.audience) is not None
            review.send_review_notices(step, app=app, actor=f.user("kerngroep"),
                                       assessment=review.current_assessment(app), note="n")
