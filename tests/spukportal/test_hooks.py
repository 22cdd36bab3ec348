"""The extension points through which higher apps add to lower apps' pages and commands (spukportal/hooks.py)."""

from spukportal import hooks
from spukportal.hooks import ExtensionPoint


def test_functions_run_in_their_order_and_a_second_registration_changes_nothing():
    point = ExtensionPoint("test", "a test point")
    point.register(lambda user: {"b": user}, order=20)
    first = point.register(lambda user: {"a": user, "b": "overwritten"}, order=10)
    point.register(first, order=10)
    assert point.collect("u") == {"a": "u", "b": "u"}  # order 10 first, then 20 wins on "b"
    assert len(list(point)) == 2


def test_the_apps_register_their_parts_when_django_starts():
    # The lower apps (spukportal, regions) never import the higher ones; the higher ones register here.
    modules = {f.__module__ for f in hooks.START_PAGE}
    assert modules == {"regions.selectors", "applications.intake.selectors", "applications.review.selectors",
                       "applications.decisions.selectors"}
    assert [f.__module__ for f in hooks.REFERENCE_DATA] == ["regions.reference", "budgets.reference"]
    assert [f.__module__ for f in hooks.DEMO_DATA] == [
        "budgets.demo", "applications.demo", "applications.decisions.demo", "monitoring.dashboards.demo",
        "monitoring.accountability.demo", "monitoring.determination.demo"]
    assert [f.__module__ for f in hooks.REGION_PAGE] == ["applications.intake.selectors"]
