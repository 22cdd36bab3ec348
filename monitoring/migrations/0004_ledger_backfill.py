"""Books what existed before the grant ledger into it, in the order it happened:
1. pre-portal grants (PriorGrant): one grant per beschikking (recipient, regulation, kenmerk), source id = its
   first row;
2. granted decisions with their advances: a decision whose years overlap a pre-portal grant booked in step 1
   REPLACES that grant (its entries reversed, with a note) — the portal's decision is the later word, and the
   ledger cannot hold the same year twice;
3. submitted SiSa reports: /01 as spent in its year, /03 as spent in the year before, the carry-over.
For a regulation applied for by region the recipient is the region (IZA), else the gemeente. Line key: the
component id in years the regulation is split per component, else "" (ask the regulation definitions).

Back: the ledger is emptied, so that migrating forward again books its sources anew (with what was added to them
meanwhile). Refused while the ledger holds entries its sources cannot give again (an amended decision, a
determination): those exist only in the ledger and in tables that come later."""

import datetime

from django.db import migrations
from django.db.migrations.exceptions import IrreversibleError

REBUILT = ["prior_grant", "decision", "advance", "sisa"]  # the sources the backfill books

ONE_LINE_FROM = {"brede_spuk": 2025}  # regulations split per component before this year (the definitions')
BY_REGION = {"spuk_iza"}


def _line(regulation, year, component_id):
    try:
        from budgets import ledger
        import applications.regulations  # noqa: F401  (registers the definitions with the ledger)

        return ledger.line_key(regulation, year, component_id) if component_id else ""
    except (KeyError, ValueError):
        return str(component_id) if component_id and year < ONE_LINE_FROM.get(regulation, 0) else ""


def backfill(apps, schema_editor):
    Entry = apps.get_model("budgets", "LedgerEntry")
    PriorGrant = apps.get_model("monitoring", "PriorGrant")
    GrantDecision = apps.get_model("applications", "GrantDecision")
    AdvancePayment = apps.get_model("applications", "AdvancePayment")
    SpendingReport = apps.get_model("monitoring", "SpendingReport")
    if Entry.objects.exists():
        return
    today = datetime.date.today()

    def recipient(regulation, municipality_id, region_id):
        if regulation in BY_REGION and region_id:
            return {"municipality_id": None, "region_id": region_id}
        return {"municipality_id": municipality_id, "region_id": None}

    live = {}  # {(recipient key, regulation): {source: {years}}}

    def key_of(rec, regulation):
        return (rec["municipality_id"], rec["region_id"], regulation)

    groups = {}
    for grant in PriorGrant.objects.order_by("pk"):
        rec = recipient(grant.regulation, grant.municipality_id, grant.region_id)
        groups.setdefault((key_of(rec, grant.regulation), grant.reference), []).append(grant)
    for (rkey, reference), rows in groups.items():
        first = rows[0]
        rec = recipient(first.regulation, first.municipality_id, first.region_id)
        for row in rows:
            Entry.objects.create(**rec, regulation=row.regulation, year=row.year,
                                 line=_line(row.regulation, row.year, row.component_id), kind="granted",
                                 amount=row.amount, booked_on=first.imported_at.date(), source_kind="prior_grant",
                                 source_id=first.pk, note=f"Beschikking van vóór het portaal {reference} (overgenomen)")
        live.setdefault(rkey, {})[("prior_grant", first.pk)] = {row.year for row in rows}

    decisions = GrantDecision.objects.filter(outcome="toegekend").select_related("application").order_by(
        "decided_on", "pk")
    for decision in decisions:
        app = decision.application
        rec = recipient(app.regulation, app.municipality_id, app.region_id)
        rkey = key_of(rec, app.regulation)
        lines = list(decision.lines.all())
        years = {line.year for line in lines if line.amount}
        for source, source_years in list(live.get(rkey, {}).items()):
            if source_years & years:  # the decision replaces the overlapping grant
                for entry in Entry.objects.filter(source_kind=source[0], source_id=source[1], kind="granted",
                                                  reverses__isnull=True, **rec):
                    Entry.objects.create(**rec, regulation=entry.regulation, year=entry.year, line=entry.line,
                                         kind="granted", amount=-entry.amount, booked_on=decision.decided_on,
                                         source_kind=entry.source_kind, source_id=entry.source_id, reverses=entry,
                                         note=f"vervangen door beschikking {decision.reference} (bij de overgang "
                                              "naar het grootboek: een jaar kan maar één keer worden toegekend)")
                del live[rkey][source]
        for line in lines:
            if line.amount:
                Entry.objects.create(**rec, regulation=app.regulation, year=line.year,
                                     line=_line(app.regulation, line.year, line.component_id), kind="granted",
                                     amount=line.amount, booked_on=decision.decided_on, source_kind="decision",
                                     source_id=decision.pk, note=f"Beschikking {decision.reference}")
        live.setdefault(rkey, {})[("decision", decision.pk)] = years
        for payment in AdvancePayment.objects.filter(decision=decision).order_by("pk"):
            common = dict(**rec, regulation=app.regulation, year=payment.year or payment.due_on.year, line="",
                          amount=payment.amount, source_kind="advance", source_id=payment.pk,
                          note=f"Voorschot beschikking {decision.reference}")
            if payment.amount:
                Entry.objects.create(kind="advance_scheduled", booked_on=payment.due_on, **common)
                if payment.paid_on:
                    Entry.objects.create(kind="advance_paid", booked_on=payment.paid_on, **common)

    for report in SpendingReport.objects.filter(status="ingediend").order_by("pk"):
        rec = recipient(report.regulation, report.municipality_id, report.region_id)
        booked_on = report.submitted_at.date() if report.submitted_at else today
        common = dict(**rec, regulation=report.regulation, source_kind="sisa", source_id=report.pk,
                      booked_on=booked_on, note=f"SiSa {report.year} versie {report.version} (overgenomen)")
        corrections = {}
        for line in report.lines.all():
            key = str(line.component_id) if line.component_id else ""
            if line.expenditure:
                Entry.objects.create(**common, year=report.year, line=key, kind="spent", amount=line.expenditure)
            if line.correction_previous:
                corrections[key] = corrections.get(key, 0) + line.correction_previous
        for key, amount in corrections.items():
            Entry.objects.create(**common, year=report.year - 1, line=key, kind="spent", amount=amount)
        if report.carry_over:
            Entry.objects.create(**common, year=report.year, line="", kind="carried_over", amount=report.carry_over)


def unbook(apps, schema_editor):
    Entry = apps.get_model("budgets", "LedgerEntry")
    kept = sorted(set(Entry.objects.exclude(source_kind__in=REBUILT).values_list("source_kind", flat=True)))
    if kept:
        labels = {"amended_decision": "gewijzigde beschikking", "determination": "vaststelling"}
        raise IrreversibleError(
            "Het grootboek terugdraaien is geweigerd: het bevat boekingen die niet opnieuw uit hun bron kunnen "
            f"worden gemaakt ({', '.join(labels.get(k, k) for k in kept)}); het grootboek is ongewijzigd.")
    # one statement for the whole table: PostgreSQL's append-only trigger refuses row deletes, not TRUNCATE
    table = schema_editor.quote_name(Entry._meta.db_table)
    schema_editor.execute(f"TRUNCATE {table}" if schema_editor.connection.vendor == "postgresql"
                          else f"DELETE FROM {table}", params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("monitoring", "0003_sisa_appendix_job"),
        ("applications", "0011_advance_payment_year_paid"),
        ("budgets", "0004_ledger"),
    ]

    operations = [
        migrations.RunPython(backfill, unbook),
    ]
