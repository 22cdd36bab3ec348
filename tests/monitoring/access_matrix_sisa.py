"""Access matrix of the SiSa spending reports (monitoring/sisa_urls.py)."""

from tests.access import Case  # noqa: F401

CASES = []
