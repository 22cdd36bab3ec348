"""403, 404, 500 and a CSRF failure are pages in the portal's layout that say what
happened in plain Dutch and offer a way back (previous page, start page, contact)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory

from spukportal.views import server_error

pytestmark = pytest.mark.django_db


def assert_in_layout_with_ways_back(html):
    assert 'class="rhc-theme' in html and "<footer" in html and "Toegankelijkheidsverklaring" in html
    assert 'href="/">Terug naar de startpagina</a>' in html
    assert 'href="/contact/">Contact opnemen</a>' in html


def test_404_is_a_portal_page_with_a_way_back(login):
    client = login("gemeente")
    response = client.get("/bestaat-niet/", HTTP_REFERER="http://testserver/gemeenten/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Pagina niet gevonden</h1>" in html
    assert_in_layout_with_ways_back(html)
    assert 'href="http://testserver/gemeenten/">Terug naar de vorige pagina</a>' in html
    assert 'aria-label="Hoofdmenu"' in html  # the navigation is there, the user is not stuck


def test_403_explains_and_never_links_back_to_another_site(login):
    client = login("gemeente")
    response = client.get("/ministerie/mandaathouders/", HTTP_REFERER="https://evil.example/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Geen toegang</h1>" in html and "rol" in html
    assert_in_layout_with_ways_back(html)
    assert "evil.example" not in html


def test_500_is_a_portal_page_even_without_the_request_context():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Er ging iets mis</h1>" in html
    assert_in_layout_with_ways_back(html)


def test_csrf_failure_says_the_form_expired():
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="gemeente"))
    response = client.post("/uitloggen/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Het formulier is verlopen</h1>" in html
    assert_in_layout_with_ways_back(html)
