"""A form with errors starts with an error summary (a linked list of the errors), the
page title starts with "Fout: ", and each field is rendered with the NL Design System form-field classes,
says it is invalid and points at its message."""

import re

import pytest
from django.urls import reverse

from tests.applications import factories as f
from tests.applications.test_views import components_post

pytestmark = pytest.mark.django_db


def title(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_an_error_at_the_bottom_of_the_long_amounts_form_is_listed_at_the_top_and_linked(login):
    app = f.draft(f.scenario(amount=100_000))
    client = login("gemeente")
    last_year = f.YEARS[-1]
    response = client.post(reverse("applications:components", args=(app.pk,)),
                           components_post(app, **{f"c15_{last_year}": "veel"}))
    html = response.content.decode()
    assert response.status_code == 422
    assert title(html).startswith("Fout: ")
    summary = re.search(r'<div class="utrecht-alert utrecht-alert--error error-summary".*?</div>\s*</div>\s*</div>',
                        html, re.S)
    assert summary, "error summary missing"
    main = html.split("<main", 1)[1]
    assert main.index("error-summary") < main.index("<form"), "the summary comes before the form"
    assert f'href="#id_c15_{last_year}"' in summary.group(0)
    assert "is geen bedrag" in summary.group(0)
    # The field itself: NL DS classes, marked invalid, described by its message.
    field = re.search(rf'<input[^>]*id="id_c15_{last_year}"[^>]*>', html).group(0)
    assert "utrecht-textbox" in field and 'aria-invalid="true"' in field
    assert re.search(rf'aria-describedby="[^"]*\bid_c15_{last_year}_fout\b', field)
    assert f'id="id_c15_{last_year}_fout"' in html
    assert "utrecht-form-field--invalid" in html


def test_a_page_without_errors_has_no_summary_and_a_plain_title(login):
    app = f.draft(f.scenario())
    client = login("gemeente")
    html = client.get(reverse("applications:components", args=(app.pk,))).content.decode()
    assert "error-summary" not in html and not title(html).startswith("Fout")
    assert "utrecht-form-field" in html and "(niet verplicht)" in html


def test_a_failed_login_starts_with_the_summary(client):
    html = client.post(reverse("login"), {"username": "gemeente", "password": "fout"}).content.decode()
    assert title(html) == "Fout: Inloggen – SPUK-portaal"
    assert "error-summary" in html and "Er is een fout gevonden" in html


def test_a_django_form_with_translated_labels_gets_its_summary(login):
    """Django's own forms (password change) have lazily translated labels: the summary names them as text."""
    response = login("gemeente3").post(reverse("password_change"), {
        "old_password": "fout", "new_password1": "a", "new_password2": "b"})
    assert response.status_code in (200, 422)
    assert title(response.content.decode()).startswith("Fout: ")
    assert "Oud wachtwoord: " in response.content.decode().split('id="foutoverzicht"', 1)[1].split("</ul>", 1)[0]
