"""The main menu (spukportal.navigation): each role sees its own links, every link opens for that user, and the
current page is marked — also when the same menu was written for another page before (the HTML is kept per
process)."""

import re

import pytest

pytestmark = pytest.mark.django_db

BAR = re.compile(r'<ul class="rhc-nav-bar__list portal-nav__list" id="hoofdmenu">(.*?)<details', re.S)
MORE = re.compile(r'<ul class="portal-nav__sublist">(.*?)</ul>', re.S)
LINK = re.compile(r'<a class="rhc-nav-bar__link" href="([^"]+)"( aria-current="page")?>([^<]+)</a>')

EXPECTED = {
    "gemeente": (["Start", "Aanvragen", "Mijn bedragen", "Monitoring", "Verantwoording", "Vaststelling"],
                 ["Onderdelen", "Begrotingen", "Gemeenten", "IZA-regio's"]),
    "kerngroep": (["Start", "Aanvragen", "Beoordeling", "Monitoring"],
                  ["Onderdelen", "Begrotingen", "Downloads", "Gemeenten", "IZA-regio's"]),
    "ministerie": (["Start", "Aanvragen", "Beoordeling", "Verdeling", "Monitoring", "Verantwoording", "Vaststelling"],
                   ["Aanvraagperiodes", "Verdeelsleutels", "Onderdelen", "Begrotingen", "Downloads", "Gemeenten",
                    "IZA-regio's", "Mandaathouders"]),
    "beheer": (["Start", "Beheer"], ["Onderdelen", "Begrotingen", "Gemeenten", "IZA-regio's"]),
}


def _menu(html):
    return LINK.findall(BAR.search(html).group(1)), LINK.findall(MORE.search(html).group(1))


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_role_sees_its_links_and_each_link_opens(login, username):
    client = login(username)
    bar, more = _menu(client.get("/privacy/").content.decode())
    assert ([label for _, _, label in bar], [label for _, _, label in more]) == EXPECTED[username]
    for href, _, label in bar + more:
        response = client.get(href)
        assert response.status_code in (200, 302), (label, href, response.status_code)
        if response.status_code == 302:  # the admin's start, or a gemeente's dashboards: to a page of its own
            assert client.get(response["Location"]).status_code == 200, (label, response["Location"])


def test_the_current_page_is_marked_and_only_there(login):
    client = login("gemeente")
    assert [label for _, current, label in sum(_menu(client.get("/aanvragen/").content.decode()), []) if current] \
        == ["Aanvragen"]
    # The same role on another page: the menu written for /aanvragen/ is not reused with its mark.
    assert not [label for _, current, label in sum(_menu(client.get("/privacy/").content.decode()), []) if current]
    assert [label for _, current, label in sum(_menu(client.get("/gemeenten/").content.decode()), []) if current] \
        == ["Gemeenten"]


def test_a_gemeente_s_monitoring_link_is_current_on_every_dashboard(login):
    client = login("gemeente")
    response = client.get("/monitoring/", follow=True)
    assert "/monitoring/" in response.redirect_chain[-1][0]
    bar, _ = _menu(response.content.decode())
    assert [label for _, current, label in bar if current] == ["Monitoring"]


def test_the_ministry_gets_the_national_monitoring_link(login):
    bar, _ = _menu(login("ministerie").get("/privacy/").content.decode())
    assert dict((label, href) for href, _, label in bar)["Monitoring"] == "/monitoring/landelijk/"
