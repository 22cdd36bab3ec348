"""The gemeente answers the points of a request for additions; comments, internal ones never for the gemeente."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from applications.review import services as review
from applications.intake import services
from applications.intake.services import SubmissionBlocked

from . import factories as f

pytestmark = pytest.mark.django_db

SECRET = "Interne twijfel over de begroting XYZ"


def url(name, app, *extra):
    return reverse(f"applications:{name}", args=[app.pk, *extra])


def asked(points=("Werk valpreventie uit.", "Noem de partners.")):
    return f.with_additions_requested(f.submitted(f.scenario()), points=points)


def test_gemeente_sees_the_points_answers_and_resubmits(login):
    app = asked()
    client = login("gemeente")
    page = client.get(url("detail", app)).content.decode()
    assert "Werk valpreventie uit." in page and "Noem de partners." in page
    points = list(app.addition_requests.get().points.all())
    with pytest.raises(SubmissionBlocked, match="beantwoord elk gevraagd punt"):
        services.application_submit(actor=f.user("gemeente"), application=app)
    client.post(url("additions_answer", app), {f"point_{points[0].pk}": "Uitgewerkt in het plan."})
    with pytest.raises(SubmissionBlocked, match="punt 2"):
        services.application_submit(actor=f.user("gemeente"), application=app)
    client.post(url("additions_answer", app), {f"point_{points[1].pk}": "GGD en welzijn."})
    app = services.application_submit(actor=f.user("gemeente"), application=app)
    assert app.state == "in_beoordeling"  # straight back to its reviewers
    reviewer_page = login("kerngroep").get(url("detail", app)).content.decode()
    assert "GGD en welzijn." in reviewer_page and "Uitgewerkt in het plan." in reviewer_page


def test_only_the_applicant_answers():
    app = asked()
    point = app.addition_requests.get().points.first()
    for name in ("kerngroep", "gemeente2"):
        with pytest.raises(PermissionDenied):
            review.addition_answers_save(actor=f.user(name), application=app, answers={point.pk: "x"})
    point.refresh_from_db()
    assert point.answer == ""


def test_an_answer_too_long_is_refused(login):
    app = asked()
    point = app.addition_requests.get().points.first()
    response = login("gemeente").post(url("additions_answer", app), {f"point_{point.pk}": "x" * 6000}, follow=True)
    assert "5.000" in response.content.decode() or "te lang" in response.content.decode().lower()
    point.refresh_from_db()
    assert point.answer == ""


def test_internal_comments_never_reach_the_gemeente(login):
    app = asked()
    kerngroep = login("kerngroep")
    kerngroep.post(url("comment_add", app), {"text": SECRET, "audience": "intern"})
    kerngroep.post(url("comment_add", app), {"text": "Graag ook de begroting toelichten.", "audience": "aanvrager"})
    assert SECRET in kerngroep.get(url("detail", app)).content.decode()
    assert SECRET in login("ministerie").get(url("detail", app)).content.decode()
    gemeente = login("gemeente")
    pages = [url("detail", app), url("version_detail", app, 1), url("version_diff", app), url("plan", app),
             url("submit", app)]
    for page_url in pages:
        response = gemeente.get(page_url)
        assert response.status_code == 200, page_url
        assert SECRET not in response.content.decode(), page_url
    page = gemeente.get(url("detail", app)).content.decode()
    assert "Graag ook de begroting toelichten." in page
    gemeente.post(url("comment_add", app), {"text": "Doen we.", "audience": "intern"})  # forced to aanvrager
    assert app.comments.get(text="Doen we.").audience == "aanvrager"
    assert "Doen we." in kerngroep.get(url("detail", app)).content.decode()


def test_other_gemeenten_cannot_comment(login):
    app = asked()
    assert login("gemeente3").post(url("comment_add", app), {"text": "Hallo"}).status_code == 403
    assert not app.comments.exists()


def test_an_empty_comment_is_refused(login):
    app = asked()
    response = login("kerngroep").post(url("comment_add", app), {"text": "  "}, follow=True)
    assert "Schrijf een opmerking." in response.content.decode()
    assert not app.comments.exists()
