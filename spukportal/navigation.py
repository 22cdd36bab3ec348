"""The main menu of every page (the bar and its "Meer" list): which links a user sees, in one place.

Who sees a link follows the role checks of the views (`context_processors.navigation` gives them as `nav`); a
link still leads to a 403 page when the view says no. The menu is the same for everyone with the same roles on
the same page, so its HTML is written once per process for each combination of roles and current link, and the
URLs are reversed once: every page used to spend about 1–2 ms on the 16 `{% url %}` tags and five includes.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

OFFICER, REVIEWER, MINISTRY, ADMINISTRATOR = "is_officer", "is_reviewer", "is_ministry", "is_administrator"
EVERYONE = frozenset({"*"})


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    shown_to: frozenset  # the `nav` flags of which one is enough, or EVERYONE
    more: bool = False  # under "Meer" (reference pages and the less frequent ones), not on the bar
    hidden_from: frozenset = frozenset()  # not shown to whoever has one of these flags (the other link wins)
    section: str = ""  # current on every page under this path (otherwise only on the link's own page)
    marks_current: bool = True

    def shown(self, flags: frozenset) -> bool:
        return (self.shown_to is EVERYONE or bool(self.shown_to & flags)) and not self.hidden_from & flags


# In the order of the menu. The bar must fit on one line at 1280 px.
LINKS = (
    Link("Start", "home", EVERYONE),
    Link("Aanvragen", "applications:list", frozenset({OFFICER, REVIEWER, MINISTRY})),
    Link("Beoordeling", "applications:review_queue", frozenset({REVIEWER, MINISTRY})),
    Link("Mijn bedragen", "budgets:own_amounts", frozenset({OFFICER})),
    Link("Verdeling", "budgets:run_list", frozenset({MINISTRY})),
    Link("Monitoring", "monitoring:national_dashboard", frozenset({MINISTRY, REVIEWER})),
    # A gemeente's dashboards: current on all of them.
    Link("Monitoring", "monitoring:dashboards_home", frozenset({OFFICER}), hidden_from=frozenset({MINISTRY, REVIEWER}),
         section="/monitoring/"),
    Link("Verantwoording", "monitoring:sisa_list", frozenset({OFFICER, MINISTRY})),
    Link("Vaststelling", "monitoring:determination_list", frozenset({OFFICER, MINISTRY})),
    Link("Beheer", "admin:index", frozenset({ADMINISTRATOR}), marks_current=False),
    Link("Aanvraagperiodes", "applications:period_list", frozenset({MINISTRY}), more=True),
    Link("Verdeelsleutels", "budgets:key_list", frozenset({MINISTRY}), more=True),
    Link("Onderdelen", "budgets:component_list", EVERYONE, more=True),
    Link("Begrotingen", "budgets:budget_version_list", EVERYONE, more=True),
    Link("Downloads", "monitoring:download_list", frozenset({MINISTRY, REVIEWER}), more=True),
    Link("Gemeenten", "regions:municipality_list", EVERYONE, more=True),
    Link("IZA-regio's", "regions:region_list", EVERYONE, more=True),
    Link("Mandaathouders", "regions:mandate_overview", frozenset({MINISTRY}), more=True),
)


@lru_cache(maxsize=64)
def _urls(script_prefix: str) -> tuple[str, ...]:
    return tuple(reverse(link.url_name) for link in LINKS)


def _is_current(link: Link, url: str, path: str) -> bool:
    if not link.marks_current:
        return False
    return link.section in path if link.section else path == url


@lru_cache(maxsize=1024)
def _menu(flags: frozenset, current: frozenset, script_prefix: str) -> str:
    urls = _urls(script_prefix)
    items = {False: [], True: []}
    for index, link in enumerate(LINKS):
        if link.shown(flags):
            attribute = ' aria-current="page"' if index in current else ""
            items[link.more].append(f'<li><a class="rhc-nav-bar__link" href="{conditional_escape(urls[index])}"'
                                    f'{attribute}>{link.label}</a></li>')
    return "\n".join([
        *items[False],
        '<li class="portal-nav__more"><details data-nav-more>',
        '<summary class="rhc-nav-bar__link">Meer</summary>',
        '<ul class="portal-nav__sublist">',
        *items[True],
        "</ul>",
        "</details></li>",
    ])


def menu_items(nav: dict, path: str) -> str:
    """The `<li>` items of the main menu for a user with these `nav` flags on the page at `path`."""
    flags = frozenset(name for name in (OFFICER, REVIEWER, MINISTRY, ADMINISTRATOR) if nav.get(name))
    script_prefix = get_script_prefix()
    urls = _urls(script_prefix)
    current = frozenset(i for i, link in enumerate(LINKS) if link.shown(flags) and _is_current(link, urls[i], path))
    return mark_safe(_menu(flags, current, script_prefix))
