"""The amendment's entry in the grant ledger (budgets.ledger): the amended decision's amounts REPLACE the live
grant of the decision (or of its previous amendment)."""

from budgets.ledger import line_key, sources
from budgets.ledger.services import post_grant


def recipient_of(application):
    """The ledger's recipient: the gemeente (brede SPUK) or the IZA-regio."""
    return application.region if application.definition.by_region else application.municipality


def replace_grant(*, amended, lines, replaces: tuple[str, int], actor):
    """Post the amended decision's lines as the live grant, reversing the grant `replaces` names."""
    app = amended.decision.application
    amounts = {}
    for line in lines:
        key = (line["year"], line_key(app.definition, line["year"], line.get("component")))
        amounts[key] = amounts.get(key, 0) + line["amount"]
    return post_grant(recipient=recipient_of(app), regulation=app.regulation, lines=amounts,
                      source=(sources.AMENDED_DECISION, amended.pk), booked_on=amended.decided_on, by=actor,
                      replaces=replaces, note=f"Wijzigingsbesluit {amended.reference}")
