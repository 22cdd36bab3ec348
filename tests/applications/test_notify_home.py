"""The officer's start page: what is asked of their gemeente, at a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.intake import selectors

from . import factories as f

pytestmark = pytest.mark.django_db


def test_start_page_shows_additions_with_open_points_drafts_and_deadlines(client):
    app = f.with_additions_requested(f.submitted(f.scenario()), points=("Punt één.", "Punt twee."))
    draft = f.draft(f.scenario())
    client.force_login(f.user("gemeente"))
    html = client.get(reverse("home")).content.decode()
    assert "Aanvulling gevraagd:" in html and app.reference in html and "2 punten nog te beantwoorden" in html
    assert f'href="/aanvragen/{draft.pk}/"' in html and "indienen kan tot en met" in html
    client.force_login(f.user("gemeente3"))
    html = client.get(reverse("home")).content.decode()
    assert app.reference not in html and f'href="/aanvragen/{draft.pk}/"' not in html


def test_iza_missing_declarations_for_the_holder_and_for_a_member(client):
    app = f.iza_draft(f.iza_scenario())
    holder = selectors.officer_home(f.user("gemeente"))
    [entry] = [d for d in holder["declarations"] if d["application"].pk == app.pk]
    assert not entry["own"] and "Lelystad" in [m.name for m in entry["missing"]]
    member = selectors.officer_home(f.user("gemeente2"))
    [entry] = [d for d in member["declarations"] if d["application"].pk == app.pk]
    assert entry["own"] and [m.name for m in entry["missing"]] == ["Lelystad"]
    f.declare(app, "gemeente2", "GM0995")
    assert not [d for d in selectors.officer_home(f.user("gemeente2"))["declarations"]
                if d["application"].pk == app.pk]


def test_missing_declarations_name_the_period_of_the_iza_application(client):
    """A region can have an IZA application in more than one period (outline and completion): each reminder
    says which one it is about."""
    app = f.iza_draft(f.iza_scenario())
    client.force_login(f.user("gemeente"))
    html = " ".join(client.get(reverse("home")).content.decode().split())
    assert f"voor de IZA-aanvraag van Flevoland ({app.period.name}) ontbreken nog:" in html
    client.force_login(f.user("gemeente2"))
    html = " ".join(client.get(reverse("home")).content.decode().split())
    assert f"voor de IZA-aanvraag van Flevoland ({app.period.name}) is nog niet binnen" in html


def test_the_start_page_costs_the_same_number_of_queries_with_more_applications(client):
    client.force_login(f.user("gemeente"))
    f.draft(f.scenario())
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("home")).status_code == 200
    for _ in range(4):
        f.draft(f.scenario())
    f.with_additions_requested(f.submitted(f.scenario()))
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("home")).status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
