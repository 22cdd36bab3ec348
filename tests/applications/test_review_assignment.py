"""Taking an application, becoming second reviewer, the chair's assignment, notifications, and the race."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from applications.review import services as review
from applications.intake import services
from applications.models import Application
from spukportal.models import Notification

from . import factories as f

pytestmark = pytest.mark.django_db


def detail(app):
    return reverse("applications:detail", args=[app.pk])


def test_kerngroep_takes_from_the_panel(login):
    app = f.submitted(f.scenario())
    client = login("kerngroep")
    page = client.get(detail(app)).content.decode()
    assert "In behandeling nemen" in page
    response = client.post(reverse("applications:review_take", args=[app.pk]), follow=True)
    assert "U heeft de aanvraag in behandeling genomen" in response.content.decode()
    app.refresh_from_db()
    assert app.state == "in_beoordeling" and app.first_reviewer.username == "kerngroep"


def test_officer_sees_no_panel_and_cannot_take(login):
    app = f.submitted(f.scenario())
    client = login("gemeente")
    assert "In behandeling nemen" not in client.get(detail(app)).content.decode()
    assert client.post(reverse("applications:review_take", args=[app.pk])).status_code == 403
    app.refresh_from_db()
    assert app.state == "ingediend" and app.first_reviewer is None


def test_second_reviewer_take_notifies_the_first(login):
    app = f.in_review(f.submitted(f.scenario()))
    response = login("kerngroep2").post(reverse("applications:review_second_take", args=[app.pk]), follow=True)
    assert "U bent tweede beoordelaar" in response.content.decode()
    app.refresh_from_db()
    assert app.second_reviewer.username == "kerngroep2"
    note = Notification.objects.get(user__username="kerngroep", event="beoordeling.tweede")
    assert detail(app) in note.url


def test_first_reviewer_cannot_become_second(login):
    app = f.in_review(f.submitted(f.scenario()))
    response = login("kerngroep").post(reverse("applications:review_second_take", args=[app.pk]), follow=True)
    assert "vier ogen" in response.content.decode()
    app.refresh_from_db()
    assert app.second_reviewer is None


def test_chair_assigns_and_the_reviewers_are_notified(login):
    app = f.submitted(f.scenario())
    client = login("voorzitter")
    assert "Beoordelaars toewijzen" in client.get(detail(app)).content.decode()
    response = client.post(reverse("applications:review_assign", args=[app.pk]),
                           {"first": f.user("kerngroep").pk, "second": f.user("kerngroep2").pk}, follow=True)
    assert "De beoordelaars zijn toegewezen." in response.content.decode()
    app.refresh_from_db()
    assert (app.first_reviewer.username, app.second_reviewer.username) == ("kerngroep", "kerngroep2")
    assert set(Notification.objects.filter(event="beoordeling.toegewezen").values_list("user__username", flat=True)) \
        == {"kerngroep", "kerngroep2"}


def test_chair_cannot_assign_the_same_person_twice(login):
    app = f.submitted(f.scenario())
    response = login("voorzitter").post(reverse("applications:review_assign", args=[app.pk]),
                                        {"first": f.user("kerngroep").pk, "second": f.user("kerngroep").pk},
                                        follow=True)
    assert "twee verschillende personen" in response.content.decode()
    app.refresh_from_db()
    assert app.first_reviewer is None and app.second_reviewer is None


def test_a_kerngroep_member_who_is_not_chair_cannot_assign(login):
    app = f.submitted(f.scenario())
    response = login("kerngroep").post(reverse("applications:review_assign", args=[app.pk]),
                                       {"first": f.user("kerngroep").pk})
    assert response.status_code == 403


def test_two_reviewers_taking_at_once_the_second_gets_a_clear_message():
    app = f.submitted(f.scenario())
    stale = Application.objects.get(pk=app.pk)  # what the second reviewer's page loaded
    services.application_transition(actor=f.user("kerngroep"), application=app, transition="in_beoordeling_nemen")
    with pytest.raises(Exception) as exc:
        services.application_transition(actor=f.user("kerngroep2"), application=stale,
                                        transition="in_beoordeling_nemen")
    text = " ".join(getattr(exc.value, "messages", [str(exc.value)]))
    assert "In beoordeling" in text or "andere beoordelaar" in text
    app.refresh_from_db()
    assert app.first_reviewer.username == "kerngroep"


def test_two_second_reviewers_at_once():
    app = f.in_review(f.submitted(f.scenario()))
    stale = Application.objects.get(pk=app.pk)
    review.second_reviewer_take(actor=f.user("kerngroep2"), application=app)
    with pytest.raises(ValidationError, match="al tweede beoordelaar"):
        review.second_reviewer_take(actor=f.user("voorzitter"), application=stale)


def test_database_refuses_first_equal_to_second():
    app = f.in_review(f.submitted(f.scenario()))
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=app.pk).update(second_reviewer=f.user("kerngroep"))
