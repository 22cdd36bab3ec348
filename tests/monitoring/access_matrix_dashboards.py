"""Access matrix of the dashboards, ketenaanpak monitoring and exports (monitoring/dashboard_urls.py)."""

from tests.access import Case  # noqa: F401

CASES = []
