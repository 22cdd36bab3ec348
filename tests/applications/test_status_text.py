"""The status explanation on the application page speaks to its reader: the applicant, a member gemeente reading
along, the kerngroep or the ministry."""

import pytest
from django.urls import reverse

from applications.intake.flow import STATES, Reader

from . import factories as f

pytestmark = pytest.mark.django_db


def _status(client, app) -> str:
    page = client.get(reverse("applications:detail", args=(app.pk,))).content.decode()
    start = page.index('role="status"')
    return page[start:page.index("</div>", start)]


def test_every_state_has_words_for_every_reader_besides_the_applicant():
    for state in STATES.values():
        for reader in (Reader.MEMBER, Reader.REVIEWER, Reader.MINISTRY):
            assert state.explanation_for(reader) != state.explanation, (state.code, reader)
        assert state.explanation_for(Reader.APPLICANT) == state.explanation


def test_a_member_gemeente_reading_the_regions_concept_is_not_told_it_works_on_it(login):
    app = f.iza_draft(f.iza_scenario())
    almere = _status(login("gemeente"), app)
    assert "Uw gemeente werkt nog aan deze aanvraag" in almere
    lelystad = _status(login("gemeente2"), app)
    assert "Uw gemeente werkt nog aan deze aanvraag" not in lelystad
    assert "De mandaatgemeente werkt nog aan deze aanvraag" in lelystad


def test_reviewers_and_the_ministry_are_not_asked_to_change_the_application(login):
    app = f.with_additions_requested(f.in_review(f.submitted(f.scenario())))
    assert "Pas de aanvraag aan" in _status(login("gemeente"), app)
    for username in ("kerngroep", "ministerie"):
        text = _status(login(username), app)
        assert "Pas de aanvraag aan" not in text, username
        assert "om een aanvulling gevraagd" in text, username


def test_the_ministry_reads_that_an_advised_application_waits_for_its_decision(login):
    app = f.with_final_advice(f.in_review(f.submitted(f.scenario())))
    assert "wacht op uw besluit" in _status(login("ministerie"), app)
    assert "U ontvangt het besluit van het ministerie" in _status(login("gemeente"), app)
