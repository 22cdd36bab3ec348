"""The in-portal notifications: each user sees only their own, newest first, opening marks read."""

import pytest
from django.urls import reverse

from spukportal.models import Notification
from tests.applications import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clean():
    Notification.objects.all().delete()


def make(username, subject, url="/aanvragen/", read=False):
    from django.utils import timezone

    return Notification.objects.create(user=f.user(username), event="test", subject=subject, body="Tekst.",
                                       url=url, read_at=timezone.now() if read else None)


def test_the_list_shows_only_ones_own_notifications_newest_first_with_the_unread_badge(client):
    make("gemeente", "Oudste melding", read=True)
    make("gemeente", "Nieuwste melding")
    make("gemeente3", "Melding voor Kerkrade")
    client.force_login(f.user("gemeente"))
    html = client.get(reverse("notifications")).content.decode()
    assert html.index("Nieuwste melding") < html.index("Oudste melding")
    assert "Melding voor Kerkrade" not in html
    assert 'Meldingen <span class="nl-number-badge">1<' in html
    assert html.count(">Nieuw</span>") == 1


def test_opening_marks_read_and_goes_to_its_link_and_another_users_is_refused(client):
    mine, theirs = make("gemeente", "Mijn melding", url="/aanvragen/"), make("gemeente3", "Van Kerkrade")
    client.force_login(f.user("gemeente"))
    response = client.get(reverse("notification_open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/aanvragen/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get(reverse("notification_open", args=[theirs.pk])).status_code == 403
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "nl-number-badge" not in client.get(reverse("notifications")).content.decode()


def test_an_outside_link_is_never_followed(client):
    n = make("gemeente", "Vreemd", url="//evil.example/")
    client.force_login(f.user("gemeente"))
    assert client.get(reverse("notification_open", args=[n.pk]))["Location"] == reverse("notifications")


def test_mark_all_read_touches_only_ones_own(client):
    make("gemeente", "A")
    make("gemeente", "B")
    other = make("gemeente3", "C")
    client.force_login(f.user("gemeente"))
    assert client.post(reverse("notifications_mark_read")).status_code == 302
    assert not Notification.objects.filter(user__username="gemeente", read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_the_list_is_paginated_at_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for i in range(60):
        make("gemeente", f"Melding {i}")
    client.force_login(f.user("gemeente"))
    with django_assert_max_num_queries(12):
        html = client.get(reverse("notifications")).content.decode()
    assert "Pagina 1 van 3" in html and "Melding 59" in html and "Melding 10" not in html
    assert "Melding 0<" in client.get(reverse("notifications") + "?pagina=3").content.decode()


def test_the_officers_start_page_and_the_header_give_the_same_unread_count_from_one_query(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make("gemeente", "Gelezen", read=True)
    make("gemeente", "Eerste")
    make("gemeente", "Tweede")
    make("gemeente2", "Voor Lelystad")
    client.force_login(f.user("gemeente"))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("home")).content.decode()
    assert "2 ongelezen meldingen</a>" in html  # the start page's list of what is asked
    assert '<span class="nl-number-badge">2<span class="portal-visually-hidden"> ongelezen</span>' in html  # header
    counts = [q for q in queries.captured_queries if 'FROM "spukportal_notification"' in q["sql"]]
    assert len(counts) == 1, [q["sql"] for q in counts]
    make("gemeente", "Derde")  # the next request counts anew
    assert "3 ongelezen meldingen</a>" in client.get(reverse("home")).content.decode()
