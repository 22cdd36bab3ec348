"""What the monitoring app books in the grant ledger (budgets.ledger):
- pre-portal grants (PriorGrant): one grant per beschikking — the rows of one recipient, regulation and kenmerk
  together, booked as GRANTED with source PRIOR_GRANT and the id of the beschikking's first row; a changed row
  books the beschikking anew (it replaces itself). A beschikking whose years overlap another live grant of the
  recipient is refused with the ledger's reason;
- SiSa spending: a submitted report books its /01 spending as SPENT for its year, its /03 correction as SPENT
  for the year before, and its carry-over as CARRIED_OVER; a correction, once submitted, reverses the version
  it replaces.
For a regulation applied for by region (SPUK IZA) the recipient is the region; else the gemeente."""

from applications.regulations import definition
from budgets import ledger
from budgets.ledger import services as ledger_services
from budgets.ledger import sources

from .models import PriorGrant


def _recipient(row):
    return row.region if definition(row.regulation).by_region else row.municipality


def prior_grant_group(grant) -> list:
    """The rows of the same beschikking (recipient, regulation, kenmerk), oldest first."""
    rows = PriorGrant.objects.filter(regulation=grant.regulation, reference=grant.reference)
    rows = rows.filter(region=grant.region) if definition(grant.regulation).by_region else rows.filter(
        municipality=grant.municipality)
    return list(rows.select_related("municipality", "region").order_by("pk"))


def post_prior_grant(grant, *, by=None, booked_on=None):
    """Book (or book anew) the beschikking `grant` belongs to; raises LedgerConflict on an overlap."""
    rows = prior_grant_group(grant)
    first = rows[0]
    source = (sources.PRIOR_GRANT, first.pk)
    lines = {}
    for row in rows:
        # (a row without a component in a per-component year stays on the regulation's line, as it was imported)
        key = (row.year, ledger.line_key(row.regulation, row.year, row.component_id)
               if definition(row.regulation).per_component(row.year) and row.component_id else "")
        lines[key] = lines.get(key, 0) + row.amount
    recipient = _recipient(first)
    live = {(g.source_kind, g.source_id) for g in ledger_services.live_grants(recipient, first.regulation)}
    return ledger_services.post_grant(
        recipient=recipient, regulation=first.regulation, lines=lines, source=source,
        booked_on=booked_on or first.imported_at.date(), by=by, replaces=source if source in live else None,
        note=f"Beschikking van vóór het portaal {first.reference}")


def prior_grant_moved(old_group, grant, *, by=None):
    """A row that changed its kenmerk (or region) left its old beschikking: that one is withdrawn and its other
    rows booked again."""
    ledger_services.withdraw(source=(sources.PRIOR_GRANT, old_group[0].pk), by=by, booked_on=ledger_services.today(),
                             note="rij van deze beschikking gewijzigd")
    rest = [row for row in old_group if row.pk != grant.pk]
    if rest:
        post_prior_grant(rest[0], by=by)


def prior_grant_reference(source_id) -> str:
    return PriorGrant.objects.filter(pk=source_id).values_list("reference", flat=True).first() or ""


def _line(component_id) -> str:
    return str(component_id) if component_id else ""


def post_report(report, *, by=None):
    """Book a submitted SiSa report: spending, last year's correction and the carry-over."""
    recipient = report.region if definition(report.regulation).by_region and report.region_id else report.municipality
    source = (sources.SISA, report.pk)
    booked_on = (report.submitted_at.date() if report.submitted_at else None) or ledger_services.today()
    common = dict(recipient=recipient, regulation=report.regulation, source=source, booked_on=booked_on, by=by,
                  note=f"SiSa {report.year} versie {report.version}")
    posted = []
    corrections = {}
    for line in report.lines.all():
        posted += ledger_services.post_spent(year=report.year, line=_line(line.component_id),
                                             amount=line.expenditure, **common)
        if line.correction_previous:
            key = _line(line.component_id)
            corrections[key] = corrections.get(key, 0) + line.correction_previous
    for key, amount in corrections.items():
        posted += ledger_services.post_spent(year=report.year - 1, line=key, amount=amount, **common)
    posted += ledger_services.post_carried_over(year=report.year, line="", amount=report.carry_over, **common)
    return posted


def withdraw_report(report, *, by=None, booked_on=None):
    """A replaced version: what it booked is reversed."""
    return ledger_services.withdraw(source=(sources.SISA, report.pk), by=by,
                                    booked_on=booked_on or ledger_services.today(),
                                    note=f"SiSa {report.year} versie {report.version} vervangen door een correctie")
