"""Granted decisions to amend, made through the real decision path."""

import datetime

from applications import decision_services
from budgets.ledger import selectors as ledger_selectors
from budgets.ledger import services as ledger_services
from budgets.ledger import sources
from tests.applications import factories as f

DAY = datetime.date(2025, 3, 10)


def book_if_missing(decision):
    """The decision's grant in the ledger: booked by the decision path once the ledger does that; else here, as
    the ledger's own import books decisions made before it."""
    app = decision.application
    recipient = app.region if app.definition.by_region else app.municipality
    if any((g.source_kind, g.source_id) == (sources.DECISION, decision.pk)
           for g in ledger_selectors.live_grants(recipient, app.regulation)):
        return
    from budgets.ledger import line_key

    lines = {}
    for line in decision.lines.all():
        key = (line.year, line_key(app.definition, line.year, line.component_id))
        lines[key] = lines.get(key, 0) + line.amount
    ledger_services.post_grant(recipient=recipient, regulation=app.regulation, lines=lines,
                               source=(sources.DECISION, decision.pk), booked_on=decision.decided_on)


def granted(period=None, cbs_code="GM0034", username="gemeente"):
    """A brede SPUK decision granting 15 components × 2024–2026 × € 50.000 (allocation € 100.000 each)."""
    period = period or f.scenario()
    app = f.with_final_advice(f.submitted(period, cbs_code, username), "positief")
    decision = decision_services.decision_make(actor=f.user("ministerie"), application=app, outcome="toegekend",
                                               decided_on=DAY)
    book_if_missing(decision)
    return decision
