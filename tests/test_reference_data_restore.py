"""The test suite's own machinery (tests/conftest.py): after a transactional test empties the database, the
`reference_data` fixture brings back the reference and demo data exactly as first loaded, files included."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from applications.models import Application, Attachment
from budgets.models import Allocation, Component
from regions.models import Municipality, Region
from spukportal.models import RoleAssignment
from tests.conftest import reference_data_back


def _contents():
    return {
        "municipalities": sorted(Municipality.objects.values_list("pk", "cbs_code", "name")),
        "regions": Region.objects.count(),
        "components": Component.objects.count(),
        "allocations": Allocation.objects.count(),
        "users": sorted(get_user_model().objects.values_list("pk", "username", "password")),
        "roles": RoleAssignment.objects.count(),
        "applications": sorted(Application.objects.values_list("pk", "state", "reference")),
        "attachments": sorted(Attachment.objects.values_list("stored_name", "sha256")),
    }


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_the_reference_and_demo_data_come_back_as_first_loaded(reference_data):
    from tests import conftest

    if conftest._snapshot is None:
        pytest.skip("Zonder PostgreSQL worden de demodata opnieuw geladen, met nieuwe wachtwoordhashes: niet zoals eerst.")
    before = _contents()
    assert before["municipalities"] and before["users"] and before["attachments"]
    call_command("flush", interactive=False, verbosity=0)
    assert not Municipality.objects.exists() and not get_user_model().objects.exists()

    reference_data_back()

    assert _contents() == before
    for stored_name, _sha in before["attachments"]:  # the demo data's files are in this test's private folder
        assert storages["private"].exists(stored_name), stored_name
    newest = max(pk for pk, *_ in before["municipalities"])
    added = Municipality.objects.create(cbs_code="GM9999", name="Nieuwgemeente")
    assert added.pk > newest  # a new row gets a fresh id, none of the restored rows
    client = Client()  # the demo accounts log in with their password
    response = client.post(reverse("login"), {"username": "gemeente", "password": "spuk-demo"})
    assert response.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.django_db(transaction=True)
def test_the_end_of_a_transactional_test_puts_back_what_it_added_changed_and_deleted(reference_data):
    from tests import conftest

    if conftest._snapshot is None:
        pytest.skip("Zonder PostgreSQL wordt de database geleegd in plaats van teruggezet.")
    before = _contents()
    first = Municipality.objects.create(cbs_code="GM9998", name="Nieuwgemeente")
    Municipality.objects.filter(cbs_code="GM0034").update(name="Andere naam")  # Almere
    Application.objects.get(attachments__stored_name=before["attachments"][0][0]).delete()  # with what points at it
    assert _contents() != before

    conftest._snapshot.reset()  # what the teardown of this test does (TransactionTestCase._fixture_teardown)

    assert _contents() == before
    again = Municipality.objects.create(cbs_code="GM9998", name="Nieuwgemeente")
    assert again.pk == first.pk  # the sequences are back too
