"""The assessment page: drafts, conflicts, proposing, agreeing, sending back; the request for additions."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from applications.review import services as review
from spukportal.models import Notification

from . import factories as f

pytestmark = pytest.mark.django_db


def url(name, app):
    return reverse(f"applications:{name}", args=[app.pk])


def form_data(app, verdict="voldoet", advice="positief", reasons="Voldoet aan het GALA.", **extra):
    a = review.current_assessment(app)
    data = {"version": a.edit_version, "advice": advice, "reasons": reasons}
    for i, item in enumerate(a.items.all()):
        data[f"item{i}_verdict"] = verdict
        data[f"item{i}_comment"] = f"Toelichting {i}"
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def in_review_with_second():
    app = f.in_review(f.submitted(f.scenario()))
    review.second_reviewer_take(actor=f.user("kerngroep2"), application=app)
    app.refresh_from_db()
    return app


def test_first_reviewer_sees_every_element_and_the_submitted_content(login):
    app = in_review_with_second()
    page = login("kerngroep").get(url("assessment", app)).content.decode()
    for item in review.current_assessment(app).items.all():
        assert escape(item.label) in page
    assert "Concept opslaan" in page and "Voorleggen aan de tweede beoordelaar" in page
    assert "Onderdelen en bedragen" in page  # the snapshot


def test_draft_saves_and_keeps_values(login):
    app = in_review_with_second()
    client = login("kerngroep")
    response = client.post(url("assessment", app), form_data(app, verdict="voldoet_deels", advice="", reasons=""))
    assert response.status_code == 302
    a = review.current_assessment(app)
    assert {i.verdict for i in a.items.all()} == {"voldoet_deels"} and a.status == "concept"


def test_conflict_keeps_the_typed_input(login):
    app = in_review_with_second()
    client = login("kerngroep")
    stale = form_data(app, reasons="Mijn getypte motivering")
    client.post(url("assessment", app), form_data(app, advice="", reasons=""))
    response = client.post(url("assessment", app), stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Een collega heeft de beoordeling intussen opgeslagen" in page and "Mijn getypte motivering" in page


def test_propose_needs_verdicts_advice_and_reasons(login):
    app = in_review_with_second()
    data = form_data(app, advice="", reasons="")
    data["item0_verdict"] = ""
    data["item0_comment"] = "Bewaard commentaar"
    response = login("kerngroep").post(url("assessment", app), {**data, "voorleggen": "1"})
    assert response.status_code == 422
    form = response.context["form"]
    assert "item0_verdict" in form.errors and "advice" in form.errors and "reasons" in form.errors
    assert "Bewaard commentaar" in response.content.decode()
    assert review.current_assessment(app).status == "concept"


def test_propose_agree_gives_positive_advice_and_notifies(login, client):
    app = in_review_with_second()
    login("kerngroep").post(url("assessment", app), {**form_data(app), "voorleggen": "1"})
    assert review.current_assessment(app).status == "ter_controle"
    assert Notification.objects.filter(user__username="kerngroep2", event="beoordeling.voorgelegd").exists()
    second = login("kerngroep2")
    page = second.get(url("assessment", app)).content.decode()
    assert "Akkoord: positief advies" in page and "Concept opslaan" not in page
    confirm = second.post(url("assessment_agree", app), {"akkoord-comment": "Eens."})
    html = confirm.content.decode().replace("\xa0", " ")
    assert confirm.status_code == 200 and "Advies bevestigen" in html and "status ‘Positief advies’" in html
    assert "De eerste beoordelaar" in html and "krijgt een melding" in html and "totaal € " in html
    assert 'name="akkoord-comment" value="Eens."' in html
    app.refresh_from_db()
    assert app.state == "in_beoordeling"  # nothing happened before the confirmation
    response = second.post(url("assessment_agree", app), {"akkoord-comment": "Eens.", "akkoord-confirmed": "1"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == "advies_positief"


def test_send_back_needs_a_comment_and_the_first_sees_it(login):
    app = in_review_with_second()
    login("kerngroep").post(url("assessment", app), {**form_data(app), "voorleggen": "1"})
    second = login("kerngroep2")
    response = second.post(url("assessment_return", app), {"terug-comment": ""})
    assert response.status_code == 422 and "Schrijf waarom u het advies terugstuurt." in response.content.decode()
    second.post(url("assessment_return", app), {"terug-comment": "Onderdeel 4 is te mager."})
    assert review.current_assessment(app).status == "teruggestuurd"
    assert Notification.objects.filter(user__username="kerngroep", event="beoordeling.teruggestuurd").exists()
    page = login("kerngroep").get(url("assessment", app)).content.decode()
    assert "Onderdeel 4 is te mager." in page and "Concept opslaan" in page


def test_others_cannot_change_the_assessment(login):
    app = in_review_with_second()
    assert login("kerngroep2").post(url("assessment", app), form_data(app)).status_code == 403
    assert login("gemeente").get(url("assessment", app)).status_code == 403
    assert login("ministerie").get(url("assessment", app)).status_code == 200


def test_request_for_additions_with_two_points(login):
    app = in_review_with_second()
    client = login("kerngroep")
    response = client.post(url("additions_request", app), {"points": ["", "  "]})
    assert response.status_code == 422 and "ten minste één punt" in response.content.decode()
    response = client.post(url("additions_request", app), {"points": ["Punt een", "Punt twee"], "meer": "1"})
    assert response.content.decode().count('name="points"') == 3
    response = client.post(url("additions_request", app), {"points": ["Punt een", "", "Punt twee"]})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == "aanvulling_gevraagd"
    assert list(app.addition_requests.get().points.values_list("text", flat=True)) == ["Punt een", "Punt twee"]


def test_only_the_first_reviewer_asks_for_additions(login):
    app = in_review_with_second()
    assert login("kerngroep2").get(url("additions_request", app)).status_code == 403
    assert login("gemeente").post(url("additions_request", app), {"points": ["x"]}).status_code == 403


def test_reviewer_home_shows_own_work(login):
    app = in_review_with_second()
    login("kerngroep").post(url("assessment", app), {**form_data(app), "voorleggen": "1"})
    page = login("kerngroep2").get(reverse("home")).content.decode()
    awaiting = page.split("Wacht op uw akkoord", 1)[1].split("Eerste beoordelaar", 1)[0]
    assert app.reference in awaiting
    first = login("kerngroep").get(reverse("home")).content.decode()
    assert app.reference in first.split("Eerste beoordelaar (", 1)[1] and "Naar de beoordelingslijst" in first
    assert "Naar de beoordelingslijst" not in login("gemeente").get(reverse("home")).content.decode()


def test_each_element_shows_what_the_gemeente_wrote_for_it_in_the_version_assessed(login):
    import re

    app = in_review_with_second()
    page = login("kerngroep").get(url("assessment", app)).content.decode()
    blocks = page.split('<fieldset class="portal-panel')[1:]  # one per element, up to the next
    fieldsets = {re.search(r'<legend class="nl-heading nl-heading--level-5">(.*?)</legend>', block).group(1): block for block in blocks}
    gala = fieldsets["GALA 4A: Samenhang met de doelen van het GALA"]
    assert "Wat de gemeente schreef (versie 1)" in gala
    assert "Tekst voor Samenhang met de doelen van het GALA." in gala and "Verbinding met het sociale" not in gala
    valpreventie = next(block for label, block in fieldsets.items() if label.startswith("Onderdeel 7:"))
    assert "7. Valpreventie: doelen en resultaten" in valpreventie
    assert "7. Valpreventie: uitvoering en partners" in valpreventie
    assert "Onderdeel 17" not in valpreventie and "1. Lokaal sportakkoord" not in valpreventie


def test_a_component_not_applied_for_shows_the_reason_given():
    from applications.regulations import ReviewElement, definition

    snapshot = {"sections": [{"key": "onderdeel-1-doelen", "title": "1. Sport: doelen", "text": "Meer bewegen."},
                             {"key": "onderdeel-10-doelen", "title": "10. Sociale basis: doelen", "text": "Wijken."}],
                "components": [{"number": 3, "name": "Achterstanden", "applied": False,
                                "reason": "Dit pakken we regionaal op."},
                               {"number": 1, "name": "Sport", "applied": True, "reason": ""}]}
    texts = definition("brede_spuk").element_texts(snapshot, [
        ReviewElement("onderdeel-1", "Onderdeel 1"), ReviewElement("onderdeel-3-niet", "Onderdeel 3 (niet)")])
    assert texts == {"onderdeel-1": [("1. Sport: doelen", "Meer bewegen.")],
                     "onderdeel-3-niet": [("Reden om dit onderdeel niet aan te vragen", "Dit pakken we regionaal op.")]}


def test_while_additions_are_asked_every_page_of_the_application_says_until_when_one_may_submit(login):
    """The header of an application's pages (its own, the assessment) says the last day to submit again: the
    period's closing date, or the gemeente's extension. The assessment page said "tot en met ." before."""
    import datetime

    from django.utils.formats import date_format

    from applications.models import PeriodExtension

    application = f.with_additions_requested(f.in_review(f.submitted(f.scenario())))
    period = application.period
    expected = f"Indienen kan tot en met {date_format(period.closes_on, 'j F Y')}."
    pages = [("gemeente", reverse("applications:detail", args=[application.pk])),
             ("kerngroep", reverse("applications:detail", args=[application.pk])),
             ("kerngroep", reverse("applications:assessment", args=[application.pk]))]
    for username, url in pages:
        assert expected in login(username).get(url).content.decode(), (username, url)
    extended = period.closes_on + datetime.timedelta(days=12)
    PeriodExtension.objects.create(period=period, municipality=application.municipality, closes_on=extended,
                                   reason="Raad vergadert later", granted_by=f.user("ministerie"))
    for username, url in pages:
        page = login(username).get(url).content.decode()
        assert f"Indienen kan tot en met {date_format(extended, 'j F Y')}." in page, (username, url)
