"""What the applications app books in the grant ledger (budgets.ledger): a granted decision's lines
(GRANTED, per recipient — the gemeente, or the IZA-region — year and budget line) and its advances
(ADVANCE_SCHEDULED, and ADVANCE_PAID once marked paid). A decision whose years overlap a live grant of the same
recipient and regulation is refused with the ledger's Dutch reason, unless the ministry explicitly replaces
that grant."""

from budgets import ledger
from budgets.ledger import services as ledger_services
from budgets.ledger import sources


def recipient_of(app):
    """Who receives the money: the region for a regulation applied for by region, else the gemeente."""
    return app.region if app.definition.by_region else app.municipality


def ledger_lines(app, lines) -> dict:
    """{(year, line key): euros} of decision lines (dicts with year, amount and component: id or instance)."""
    result = {}
    for line in lines:
        component = line.get("component")
        component_id = getattr(component, "pk", component)
        key = (line["year"], ledger.line_key(app.definition, line["year"], component_id))
        result[key] = result.get(key, 0) + line["amount"]
    return result


def _with_implied(app, replaces) -> list:
    """`replaces` plus what a grant on this application replaces by its stage (an IZA completion's definitive
    grant replaces the provisional grant of the application it continues; applications.stages)."""
    from . import stages

    chosen = ledger_services._replaced_set(replaces)
    live = {(g.source_kind, g.source_id) for g in ledger_services.live_grants(recipient_of(app), app.regulation)}
    return sorted(chosen | {tuple(s) for s in stages.implied_replaces(app) if tuple(s) in live})


def conflict(app, lines, *, replaces=None):
    """The ledger's refusal of granting these lines to the application's recipient, or None."""
    years = {year for (year, _line), amount in ledger_lines(app, lines).items() if amount}
    return ledger_services.grant_conflict(recipient=recipient_of(app), regulation=app.regulation, years=years,
                                          replaces=_with_implied(app, replaces))


def overlapping(app, lines) -> list:
    """The live grants an explicit replacement of these lines would reverse."""
    years = {line["year"] for line in lines if line["amount"]}
    return ledger_services.overlapping_grants(recipient=recipient_of(app), regulation=app.regulation, years=years)


def post_decision(decision, lines, *, by, replaces=None):
    """Book a granted decision (raises LedgerConflict, a ValidationError, when it overlaps a live grant)."""
    app = decision.application
    return ledger_services.post_grant(
        recipient=recipient_of(app), regulation=app.regulation, lines=ledger_lines(app, lines),
        source=(sources.DECISION, decision.pk), booked_on=decision.decided_on, by=by,
        replaces=_with_implied(app, replaces),
        note=f"Beschikking {decision.reference}")


def post_advance(payment, *, by=None):
    """Book an advance as scheduled (and as paid when it is)."""
    app = payment.decision.application
    common = dict(recipient=recipient_of(app), regulation=app.regulation, year=payment.year or payment.due_on.year,
                  amount=payment.amount, due_on=payment.due_on, source=(sources.ADVANCE, payment.pk), by=by,
                  note=f"Voorschot beschikking {payment.decision.reference}")
    posted = ledger_services.post_advance(paid=False, **common)
    if payment.paid_on:
        posted += ledger_services.post_advance(paid=True, booked_on=payment.paid_on, **common)
    return posted


def decision_reference(decision_id) -> str:
    from .models import GrantDecision

    return GrantDecision.objects.filter(pk=decision_id).values_list("reference", flat=True).first() or ""
