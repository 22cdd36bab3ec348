"""The session's user, loaded on every request in one query with its roles and unread notifications
(spukportal/session_user.py), by every authentication backend of the portal."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from spukportal import notifications, permissions, session_user
from spukportal.models import Notification, Role
from spukportal.services import role_assign
from tests.applications import factories as f
from tests.spukportal.test_oidc import oidc_on  # noqa: F401 - the OIDC configuration its backend needs

pytestmark = pytest.mark.django_db

BACKENDS = ["spukportal.session_user.PortalModelBackend", "spukportal.oidc.PortalOIDCBackend",
            "spukportal.eherkenning.PortalEHerkenningBackend"]


def notify(user, n, read=False):
    for i in range(n):
        Notification.objects.create(user=user, event="test", subject=f"Melding {i}", body="Tekst.", url="/",
                                    read_at=timezone.now() if read else None)


def test_a_pages_menu_and_unread_badge_come_with_the_user_in_one_query(client):
    officer = f.user("gemeente")
    Notification.objects.filter(user=officer).delete()
    notify(officer, 2)
    notify(officer, 1, read=True)
    notify(f.user("gemeente2"), 4)
    client.force_login(officer)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("privacy")).content.decode()
    assert '<a class="rhc-nav-bar__link" href="/aanvragen/">Aanvragen</a>' in html  # the officer's menu
    assert '<span class="nl-number-badge">2<span class="portal-visually-hidden"> ongelezen</span>' in html
    sqls = [q["sql"] for q in queries.captured_queries]
    assert len(sqls) == 2, sqls  # the session, and the user with roles and count
    assert 'FROM "auth_user"' in sqls[1] and '"spukportal_roleassignment"' in sqls[1]
    assert '"spukportal_notification"' in sqls[1]


def test_every_role_and_gemeente_of_a_user_is_loaded_and_a_user_without_roles_has_none(django_assert_num_queries):
    admin = f.user("beheer")
    person = get_user_model().objects.create_user("twee-gemeenten", "twee@example.nl", "x")
    first, second = f.municipality("GM0034"), f.municipality("GM0363")
    role_assign(actor=admin, user=person, role_code=Role.OFFICER, municipality=first)
    role_assign(actor=admin, user=person, role_code=Role.OFFICER, municipality=second)
    role_assign(actor=admin, user=person, role_code=Role.REVIEWER)
    notify(person, 3)
    with django_assert_num_queries(1):
        loaded = session_user.load(person.pk)
        assert permissions.roles_of(loaded) == {Role.OFFICER, Role.REVIEWER}
        assert permissions.officer_municipality_ids(loaded) == {first.pk, second.pk}
        assert notifications.unread_count(loaded) == 3
    nobody = get_user_model().objects.create_user("zonder-rol", "zonder@example.nl", "x")
    loaded = session_user.load(nobody.pk)
    assert loaded == nobody and permissions.roles_of(loaded) == frozenset()
    assert notifications.unread_count(loaded) == 0
    assert session_user.load(10**9) is None and session_user.load("geen-getal") is None


def test_each_request_reads_the_roles_and_count_anew():
    person = get_user_model().objects.create_user("later-rol", "later@example.nl", "x")
    assert permissions.roles_of(session_user.load(person.pk)) == frozenset()
    role_assign(actor=f.user("beheer"), user=person, role_code=Role.MINISTRY)
    notify(person, 2)
    loaded = session_user.load(person.pk)
    assert permissions.roles_of(loaded) == {Role.MINISTRY} and notifications.unread_count(loaded) == 2


def test_an_inactive_account_has_no_roles_even_when_loaded():
    person = get_user_model().objects.create_user("uit", "uit@example.nl", "x", is_active=False)
    role_assign(actor=f.user("beheer"), user=person, role_code=Role.MINISTRY)
    assert permissions.roles_of(session_user.load(person.pk)) == frozenset()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_deactivated_user_is_sent_to_the_login_page_at_the_next_request_whatever_the_login(
        client, settings, request, backend):
    if "OIDC" in backend:
        request.getfixturevalue("oidc_on")
    elif backend not in settings.AUTHENTICATION_BACKENDS:
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, backend]
    person = get_user_model().objects.create_user("wordt-uitgezet", "uitgezet@example.nl", "x")
    role_assign(actor=f.user("beheer"), user=person, role_code=Role.OFFICER, municipality=f.municipality("GM0034"))
    client.force_login(person, backend=backend)
    assert client.get(reverse("notifications")).status_code == 200
    get_user_model().objects.filter(pk=person.pk).update(is_active=False)
    response = client.get(reverse("notifications"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
