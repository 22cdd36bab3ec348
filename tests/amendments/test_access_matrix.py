import pytest
from django.urls import get_resolver

from tests.access import ROLES, check_access

from .access_matrix import CASES, scenario

pytestmark = pytest.mark.django_db


def test_every_url_of_the_amendments_is_in_the_matrix():
    resolver = get_resolver()
    names = {f"amendments:{name}" for name in resolver.namespace_dict["amendments"][1].reverse_dict
             if isinstance(name, str)}
    assert names == {case.url_name for case in CASES}


def test_access(client):
    """Each case for each role (one scenario for all: none of the allowed POSTs changes it — each is refused
    with its reason, which the assertions below check)."""
    from applications.amendments.models import AmendedDecision, ChangeRequest
    from spukportal.models import AuditEvent

    scenario()
    before = (ChangeRequest.objects.count(), AmendedDecision.objects.count(), AuditEvent.objects.count())
    for case in CASES:
        for role in ROLES:
            client.logout()
            check_access(client, case, role)
    assert (ChangeRequest.objects.count(), AmendedDecision.objects.count()) == before[:2]
    assert AuditEvent.objects.count() == before[2]
