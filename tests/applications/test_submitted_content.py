"""What an applicant sees of their own application's content: the draft while they can change it, the version they
submitted once the workflow says the draft is that version (the same as the kerngroep sees)."""

import re

import pytest
from django.urls import reverse

from applications.intake.flow import CONTENT_IS_LAST_VERSION, ApplicationState
from applications.models import RequestedAmount

from . import factories as f

pytestmark = pytest.mark.django_db

S = ApplicationState


def test_the_states_in_which_the_content_is_the_last_version_follow_from_the_workflow():
    """Reached only by submitting (or from such a state) and closed to changes; not a draft, not a request for
    additions, not a withdrawal (which may come after unsent changes)."""
    assert CONTENT_IS_LAST_VERSION == {S.INGEDIEND, S.IN_BEOORDELING, S.ADVIES_POSITIEF, S.ADVIES_NEGATIEF,
                                       S.TOEGEKEND, S.AFGEWEZEN}


def _components_table(html):
    start = html.index('id="kop-onderdelen"')
    return re.sub(r"[ \n]+", " ", html[start:html.index("</section>", start)])


def _change_valpreventie_2025(application, amount):
    RequestedAmount.objects.filter(choice__application=application, choice__component__number=7,
                                   year=2025).update(amount=amount)


def test_the_applicant_sees_the_version_it_submitted_as_the_kerngroep_does(login, django_assert_max_num_queries):
    application = f.in_review(f.submitted(f.scenario()))
    # Rows in the draft that differ from what was submitted (nothing in the portal changes a submitted draft; this
    # makes the difference visible): the page shows the submitted € 50.000, not the draft's row.
    _change_valpreventie_2025(application, 12_345)
    url = reverse("applications:detail", args=[application.pk])
    officer = login("gemeente")
    with django_assert_max_num_queries(11):  # 17 while the draft's rows were put together again
        own = officer.get(url).content.decode()
    reviewer = login("kerngroep").get(url).content.decode()
    assert "€\xa050.000" in _components_table(own) and "12.345" not in _components_table(own)
    assert _components_table(own) == _components_table(reviewer)


def test_during_a_request_for_additions_the_applicant_sees_its_changes_and_the_kerngroep_the_submitted_version(login):
    application = f.with_additions_requested(f.submitted(f.scenario()))
    _change_valpreventie_2025(application, 12_345)
    url = reverse("applications:detail", args=[application.pk])
    assert "€\xa012.345" in _components_table(login("gemeente").get(url).content.decode())
    reviewer = _components_table(login("kerngroep").get(url).content.decode())
    assert "12.345" not in reviewer and "€\xa050.000" in reviewer
