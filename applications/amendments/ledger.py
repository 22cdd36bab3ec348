"""The amendment's entry in the grant ledger (budgets.ledger): the amended decision's amounts REPLACE the live
grant of the decision (or of its previous amendment) — reversed and booked anew in one transaction."""

from budgets.ledger import services as ledger_services
from budgets.ledger import sources

from ..ledger_posting import ledger_lines, recipient_of


def replace_grant(*, amended, lines, replaces: tuple[str, int], actor):
    """Book the amended decision's lines ([{year, component, amount}]) as the live grant, reversing the grant
    `replaces` names (a LedgerConflict, a ValidationError, when that grant is not live)."""
    app = amended.decision.application
    return ledger_services.post_grant(
        recipient=recipient_of(app), regulation=app.regulation, lines=ledger_lines(app, lines),
        source=(sources.AMENDED_DECISION, amended.pk), booked_on=amended.decided_on, by=actor, replaces=replaces,
        note=f"Wijzigingsbesluit {amended.reference}")
