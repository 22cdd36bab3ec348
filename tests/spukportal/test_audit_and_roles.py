import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from regions.models import Municipality
from spukportal import audit, permissions
from spukportal.models import AuditEvent, RoleAssignment
from spukportal.services import role_assign, role_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return get_user_model().objects.create_user("nieuw", password="x")


def test_assigning_and_revoking_a_role_is_audited_and_takes_effect(officer):
    admin = get_user_model().objects.get(username="beheer")
    kerkrade = Municipality.objects.get(cbs_code="GM0928")
    assert not permissions.can_act_for_municipality(officer, kerkrade)
    assignment = role_assign(actor=admin, user=officer, role_code="gemeente", municipality=kerkrade)
    assert permissions.can_act_for_municipality(officer, kerkrade)
    event = AuditEvent.objects.filter(action="rol.toegekend", object_id=str(officer.pk)).get()
    assert event.actor == admin and event.details == {"rol": "gemeente", "gemeente": "GM0928"}
    role_revoke(actor=admin, assignment=assignment)
    assert not permissions.can_act_for_municipality(officer, kerkrade)
    assert AuditEvent.objects.filter(action="rol.ingetrokken", object_id=str(officer.pk)).exists()


def test_an_officer_role_needs_a_gemeente(officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        role_assign(actor=None, user=officer, role_code="gemeente")
    assert not RoleAssignment.objects.filter(user=officer).exists()


def test_role_change_in_the_admin_writes_an_audit_event(client, officer):
    from spukportal.models import Role

    client.force_login(get_user_model().objects.get(username="beheer"))
    response = client.post("/beheer/spukportal/roleassignment/add/", {
        "user": officer.pk, "role": Role.objects.get(code="kerngroep").pk, "municipality": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert permissions.is_reviewer(get_user_model().objects.get(pk=officer.pk))
    event = AuditEvent.objects.filter(action="rol.toegekend", object_id=str(officer.pk)).get()
    assert event.actor_name == "beheer" and event.details["na"] == {"rol": "kerngroep", "gemeente": None}


def test_editing_reference_data_in_the_admin_is_audited(client):
    client.force_login(get_user_model().objects.get(username="beheer"))
    almere = Municipality.objects.get(cbs_code="GM0034")
    response = client.post(f"/beheer/regions/municipality/{almere.pk}/change/", {
        "cbs_code": "GM0034", "name": "Almere", "province": "Utrecht",
        "kvk_number": almere.kvk_number, "oin": almere.oin,  # unchanged (the form shows them)
        "postal_address": almere.postal_address, "postal_code": almere.postal_code, "postal_city": almere.postal_city,
        "statistics-TOTAL_FORMS": "0", "statistics-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="beheer.gewijzigd", object_id=str(almere.pk)).get()
    assert event.details["wijzigingen"] == {"province": "Utrecht"}


def test_the_beheer_sets_a_gemeentes_postal_address_whole_and_audited(client):
    client.force_login(get_user_model().objects.get(username="beheer"))
    lelystad = Municipality.objects.get(cbs_code="GM0995")
    url = f"/beheer/regions/municipality/{lelystad.pk}/change/"
    data = {"cbs_code": "GM0995", "name": "Lelystad", "province": "Flevoland", "kvk_number": lelystad.kvk_number,
            "oin": lelystad.oin, "postal_address": "Postbus 91", "postal_code": "", "postal_city": "",
            "statistics-TOTAL_FORMS": "0", "statistics-INITIAL_FORMS": "0"}
    response = client.post(url, data)
    assert response.status_code == 200 and "Vul het postadres helemaal in" in response.content.decode()
    response = client.post(url, {**data, "postal_code": "8200ab", "postal_city": "LELYSTAD"})
    assert response.status_code == 200 and "Een postcode is vier cijfers" in response.content.decode()
    response = client.post(url, {**data, "postal_code": "8200 AB", "postal_city": "LELYSTAD"})
    assert response.status_code == 302
    lelystad.refresh_from_db()
    assert lelystad.postal_lines == ["Postbus 91", "8200 AB  LELYSTAD"]
    event = AuditEvent.objects.filter(action="beheer.gewijzigd", object_id=str(lelystad.pk)).latest("timestamp")
    assert event.details["wijzigingen"]["postal_address"] == "Postbus 91"


def test_audit_events_are_append_only():
    with transaction.atomic():
        event = audit.record(actor=None, action="rol.toegekend", object_type="x", object_id=1, message="iets")
    event.message = "anders"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(message="anders")
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).message == "iets"


@pytest.mark.django_db(transaction=True)
def test_audit_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside transaction.atomic"):
        audit.record(actor=None, action="rol.toegekend", object_type="x", object_id=1)


def test_admin_is_refused_to_other_roles_with_403(login):
    assert login("ministerie").get("/beheer/").status_code == 403
    assert login("beheer").get("/beheer/").status_code == 200


def test_user_changes_in_the_admin_are_audited_without_the_password(client):
    client.force_login(get_user_model().objects.get(username="beheer"))
    response = client.post("/beheer/auth/user/add/", {
        "username": "nieuwe.collega", "password1": "Geheim-wachtwoord-2026", "password2": "Geheim-wachtwoord-2026",
        "usable_password": "true",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    user = get_user_model().objects.get(username="nieuwe.collega")
    event = AuditEvent.objects.filter(action="beheer.toegevoegd", object_id=str(user.pk)).get()
    assert event.actor_name == "beheer"
    assert "Geheim-wachtwoord-2026" not in str(event.details)
    assert event.details["wijzigingen"]["username"] == "nieuwe.collega"


@pytest.mark.django_db
def test_an_unregistered_event_code_is_refused_and_nothing_is_written():
    from django.db import transaction

    before = AuditEvent.objects.count()
    with pytest.raises(ValueError, match="Unregistered audit event"), transaction.atomic():
        audit.record(actor=None, action="aanvraag.iets_nieuws", object_type="x", object_id=1)
    assert AuditEvent.objects.count() == before


def test_every_event_code_used_in_the_code_is_registered():
    """Every literal `action="…"` and every transition's audit code is in the registry."""
    import re
    from pathlib import Path

    from applications.intake.flow import TRANSITIONS

    root = Path(__file__).resolve().parents[2]
    used = set()
    for package in ("spukportal", "regions", "budgets", "applications", "monitoring", "api"):
        for path in (root / package).rglob("*.py"):
            used |= set(re.findall(r'(?:action|audit_action)\s*=\s*"([a-z_]+\.[a-z_]+)"', path.read_text()))
    used |= {t.audit_action for t in TRANSITIONS.values()}
    assert len(used) >= 30
    assert used - set(audit.EVENTS) == set()
