"""Every reviewer or ministry transition of the workflow table: an officer of the applicant, and a kerngroep
member who is not the assigned reviewer, get PermissionDenied and nothing changes."""

import pytest
from django.core.exceptions import PermissionDenied

from applications import permissions
from applications.intake import services, flow as workflow
from applications.models import Application

from . import factories as f

pytestmark = pytest.mark.django_db

STAFF_TRANSITIONS = [t for t in workflow.TRANSITIONS.values() if t.guard is not permissions.acts_as_applicant]


def test_the_loop_covers_every_reviewer_and_ministry_transition():
    names = {t.name for t in STAFF_TRANSITIONS}
    assert {"in_beoordeling_nemen", "aanvulling_vragen", "positief_adviseren", "negatief_adviseren", "toekennen",
            "afwijzen"} <= names


@pytest.mark.parametrize("transition", STAFF_TRANSITIONS, ids=lambda t: t.name)
@pytest.mark.parametrize("username", ["gemeente", "kerngroep2"])
def test_no_reviewer_or_ministry_transition_for_the_wrong_person(transition, username):
    app = f.submitted(f.scenario())
    Application.objects.filter(pk=app.pk).update(state=sorted(transition.sources)[0],
                                                 first_reviewer=f.user("kerngroep"),
                                                 second_reviewer=f.user("voorzitter"))
    app.refresh_from_db()
    before = (app.state, app.first_reviewer_id, app.second_reviewer_id, app.versions.count())
    with pytest.raises(PermissionDenied):
        services.application_transition(actor=f.user(username), application=app, transition=transition.name,
                                        note="x", data={"points": ["x"], "comment": "x"})
    app.refresh_from_db()
    assert (app.state, app.first_reviewer_id, app.second_reviewer_id, app.versions.count()) == before
