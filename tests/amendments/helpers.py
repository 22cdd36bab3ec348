"""Granted decisions to amend, made through the real decision path (which books them in the grant ledger)."""

import datetime

from applications.decisions import services as decision_services
from tests.applications import factories as f

DAY = datetime.date(2025, 3, 10)


def granted(period=None, cbs_code="GM0034", username="gemeente"):
    """A brede SPUK decision granting 15 components × 2024–2026 × € 50.000 (allocation € 100.000 each)."""
    period = period or f.scenario()
    app = f.with_final_advice(f.submitted(period, cbs_code, username), "positief")
    return decision_services.decision_make(actor=f.user("ministerie"), application=app, outcome="toegekend",
                                           decided_on=DAY)
