"""Withdrawal is not a dead end: confirm with a reason, then start again in the same period."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.intake import services
from applications.models import Application

from . import factories as f

pytestmark = pytest.mark.django_db


def test_withdraw_needs_confirmation_and_a_reason(client):
    app = f.submitted(f.scenario())
    client.force_login(f.user("gemeente"))
    response = client.post(reverse("applications:withdraw", args=[app.pk]), {"note": "", "confirm": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Vink aan dat u de aanvraag wilt intrekken." in html
    app.refresh_from_db()
    assert app.state == "ingediend"


def test_after_withdrawal_a_new_application_can_be_started_and_the_old_stays_readable(client):
    period = f.scenario()
    old = f.submitted(period)
    client.force_login(f.user("gemeente"))
    start = reverse("applications:start", args=[period.pk])
    assert start not in client.get(reverse("applications:list")).content.decode()  # one already exists
    response = client.post(reverse("applications:withdraw", args=[old.pk]),
                           {"note": "Plan wordt herschreven.", "confirm": "on"})
    assert response.status_code == 302
    listing = client.get(reverse("applications:list")).content.decode()
    assert start in listing and "Ingetrokken" in listing
    response = client.post(start, {"municipality": f.municipality("GM0034").pk})
    assert response.status_code == 302
    new = Application.objects.exclude(pk=old.pk).get(period=period, municipality__cbs_code="GM0034")
    assert new.state == "concept"
    old_page = client.get(reverse("applications:detail", args=[old.pk]))
    assert old_page.status_code == 200 and "Ingetrokken" in old_page.content.decode()
    assert client.get(reverse("applications:version_detail", args=[old.pk, 1])).status_code == 200


def test_a_second_open_application_is_still_refused():
    period = f.scenario()
    withdrawn = f.draft(period)
    services.application_withdraw(actor=f.user("gemeente"), application=withdrawn, note="Opnieuw.")
    f.draft(period)
    with pytest.raises(ValidationError, match="heeft al een aanvraag"):
        f.draft(period)
