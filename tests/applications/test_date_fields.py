"""Date fields are date inputs with a Dutch hint and bounds, checked on the server too."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.intake.forms import PeriodForm, SignatureForm

from . import factories as f

pytestmark = pytest.mark.django_db


def signature_post(app, signed_on):
    return {"signatory_name": "J. Jansen", "signatory_role": "wethouder", "signed_on": signed_on,
            "version": app.edit_version}


@pytest.mark.parametrize("typed", ["0001-01-01", "morgen"])
def test_a_signature_dated_in_year_1_or_nonsense_is_refused_with_a_dutch_message(login, typed):
    app = f.draft(f.scenario())
    client = login("gemeente")
    response = client.post(reverse("applications:signature", args=(app.pk,)), signature_post(app, typed))
    assert response.status_code in (200, 422)
    errors = " ".join(response.context["form"].errors.get("signed_on", []))
    assert errors, "the date was accepted"
    app.refresh_from_db()
    assert app.signed_on is None


def test_a_signature_cannot_be_dated_in_the_future_but_today_and_dutch_typing_are_fine():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = SignatureForm(data={"signatory_name": "X", "signatory_role": "wethouder", "signed_on": tomorrow.isoformat(),
                               "version": 0})
    assert not form.is_valid()
    assert "Vul een datum in tussen 1 januari 2020 en" in form.errors["signed_on"][0]
    typed_dutch = timezone.localdate().strftime("%d-%m-%Y")
    form = SignatureForm(data={"signatory_name": "X", "signatory_role": "wethouder", "signed_on": typed_dutch,
                               "version": 0})
    assert "signed_on" not in form.errors


def test_the_signature_page_offers_a_bounded_date_input_with_a_dutch_hint(login):
    app = f.draft(f.scenario())
    html = login("gemeente").get(reverse("applications:signature", args=(app.pk,))).content.decode()
    assert 'type="date"' in html and 'min="2020-01-01"' in html
    assert f'max="{timezone.localdate().isoformat()}"' in html
    assert "Dag-maand-jaar, bijvoorbeeld 12-09-2025." in html


def test_a_period_in_year_1_is_refused():
    form = PeriodForm(data={"name": "P", "regulation": "brede_spuk", "first_year": 1, "last_year": 2026,
                            "opens_on": "0001-01-01", "closes_on": "2026-01-01"})
    assert not form.is_valid()
    assert "Vul een jaar in van 2020 tot en met 2040." in form.errors["first_year"]
    assert form.errors["opens_on"]
