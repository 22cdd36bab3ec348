"""The links of every page's frame (the brand, the user's links, logout, the footer) come from `{% frame_url %}`,
which reverses each URL once per process instead of on every page: the same addresses as Django's `{% url %}`,
also when the portal is served under a path prefix (SCRIPT_NAME)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse, set_script_prefix

FRAME_LINKS = {"home": "SPUK-portaal", "notifications": "Meldingen", "password_change": "Wachtwoord wijzigen",
               "two_factor_account": "Tweestapsverificatie", "privacy": "Privacyverklaring",
               "accessibility": "Toegankelijkheidsverklaring", "contact": "Contact"}


def _href_of(html, text):
    match = re.search(r'<a [^>]*href="([^"]+)"[^>]*>\s*(?:<span[^>]*>)?' + re.escape(text), html)
    assert match, text
    return match.group(1)


@pytest.mark.django_db
def test_the_frame_links_of_a_logged_in_page_lead_to_their_pages(client):
    client.force_login(get_user_model().objects.get(username="gemeente"))
    html = client.get("/aanvragen/").content.decode()
    for name, text in FRAME_LINKS.items():
        href = _href_of(html, text)
        assert href == reverse(name), name
        assert client.get(href).status_code == 200, href
    assert re.search(r'<form method="post" action="' + re.escape(reverse("logout")) + '"', html)


def test_under_a_path_prefix_the_frame_links_carry_it():
    template = Template("{% load spuk_layout %}{% frame_url 'privacy' %} {% url 'privacy' %}")
    try:
        set_script_prefix("/spuk/")
        cached, django = template.render(Context()).split()
        assert cached == django == "/spuk/privacy/"
    finally:
        set_script_prefix("/")
    assert template.render(Context()).split() == ["/privacy/", "/privacy/"]


def test_a_frame_url_without_a_quoted_name_is_a_clear_template_error():
    with pytest.raises(TemplateSyntaxError, match="één URL-naam tussen aanhalingstekens"):
        Template("{% load spuk_layout %}{% frame_url privacy %}")
