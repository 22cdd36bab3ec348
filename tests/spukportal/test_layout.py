"""The page frame every user sees: NL Design System styles served from our own static files, a footer with
privacy, accessibility, contact and version, a favicon, and no inline scripts (a strict CSP forbids them). No
stylesheet changes a colour with the width of the screen."""

import re
from pathlib import Path

import pytest
import tinycss2
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders


@pytest.fixture
def home_html(client):
    client.force_login(get_user_model().objects.get(username="gemeente"))
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_nl_design_system_is_served_from_our_own_static_files(home_html):
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', home_html)
    assert "/static/vendor/rijkshuisstijl/design-tokens.css" in stylesheets
    assert "/static/vendor/rijkshuisstijl/components.css" in stylesheets
    assert all(href.startswith("/static/") for href in stylesheets), "no CDN"
    assert 'class="rhc-theme' in home_html
    for name in ("design-tokens.css", "components.css", "LICENSE-components-css.md", "LICENSE-design-tokens.md",
                 "VERSION"):
        assert finders.find(f"vendor/rijkshuisstijl/{name}"), name
    assert ".utrecht-button" in open(finders.find("vendor/rijkshuisstijl/components.css")).read()


@pytest.mark.django_db
def test_pages_have_no_inline_scripts(home_html):
    scripts = re.findall(r"<script\b([^>]*)>", home_html)
    assert scripts and all("src=" in attrs for attrs in scripts), scripts
    assert not re.search(r"\son[a-z]+=", home_html), "no inline event handlers"


@pytest.mark.django_db
def test_footer_has_privacy_accessibility_contact_and_version(home_html, client):
    footer = home_html.split("<footer", 1)[1]
    for text in ("Privacyverklaring", "Toegankelijkheidsverklaring", "Contact", f"Versie {settings.PORTAL_VERSION}"):
        assert text in footer
    assert 'rel="icon"' in home_html and finders.find("img/favicon.svg")
    client.logout()
    for url, heading in (("/privacy/", "Privacyverklaring"), ("/toegankelijkheid/", "Toegankelijkheidsverklaring"),
                         ("/contact/", "Contact")):
        response = client.get(url)  # also before logging in
        assert response.status_code == 200 and f"<h1>{heading}</h1>" in response.content.decode()


@pytest.mark.django_db
def test_main_navigation_has_a_menu_button_for_narrow_screens(home_html):
    assert re.search(r'<button[^>]*aria-controls="hoofdmenu"[^>]*aria-expanded="false"[^>]*>Menu</button>', home_html)
    assert 'id="hoofdmenu"' in home_html


@pytest.mark.django_db
def test_no_text_for_developers_reaches_users(home_html):
    """The officer's start page showed "(zie README)" as the source of a figure."""
    main = home_html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "README" not in main
    assert "geschat uit de vastgestelde bedragen 2025 (geen CBS-meting)" in main


@pytest.mark.django_db
def test_the_beheer_pages_wear_the_portals_look_and_lead_back_to_the_portal(client):
    """Not the stock Django admin look."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="beheer"))
    page = client.get("/beheer/").content.decode()
    assert "css/admin.css" in page and "design-tokens.css" in page
    assert "Naar het portaal" in page and "SPUK-portaal" in page
    assert "Django administration" not in page and "Django-beheer" not in page


# Properties that can change the contrast of text against what is behind it.
COLOUR_PROPERTY = re.compile(
    r"^(color|background(-color|-image)?|opacity|filter|mix-blend-mode|--.*(color|background).*)$")


def _declarations_by_width(nodes, selector="", within_width=False):
    """(selector, property) of every declaration inside a width rule (`@media`/`@container` on the width), nested
    CSS included."""
    for node in nodes:
        if node.type == "at-rule" and node.content is not None:
            width = within_width or (node.lower_at_keyword in ("media", "container")
                                     and "width" in tinycss2.serialize(node.prelude))
            yield from _declarations_by_width(tinycss2.parse_blocks_contents(node.content), selector, width)
        elif node.type == "qualified-rule":
            yield from _declarations_by_width(tinycss2.parse_blocks_contents(node.content),
                                              tinycss2.serialize(node.prelude).strip(), within_width)
        elif node.type == "declaration" and within_width:
            yield selector, node.lower_name


def test_no_stylesheet_changes_a_colour_with_the_width():
    """The look sweep (tests/e2e/test_look.py) checks colour contrast on every page at 390 px and at 1280 px only on
    the main pages; that holds because no stylesheet of the portal (our own and the vendored NL Design System) sets a
    colour inside a width rule, except for the main navigation, which every role's main pages show (and axe checks)
    at both widths."""
    static = Path(settings.BASE_DIR) / "static"
    sheets = sorted(static.rglob("*.css"))
    assert any(p.name == "portal.css" for p in sheets) and any(p.name == "components.css" for p in sheets)
    colour_changes = [
        f"{sheet.relative_to(static)}: {selector} {{{name}}}"
        for sheet in sheets
        for selector, name in _declarations_by_width(
            tinycss2.parse_stylesheet(sheet.read_text(), skip_comments=True, skip_whitespace=True))
        if COLOUR_PROPERTY.match(name) and not selector.startswith(".portal-nav")
    ]
    assert not colour_changes, ("Kleur die met de breedte verandert (de contrastcontrole van de look-sweep gaat "
                                "ervan uit dat dat niet gebeurt):\n" + "\n".join(colour_changes))
