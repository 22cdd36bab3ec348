"""The grant ledger's data migration on existing data: the database is taken back to the state before the backfill
(budgets 0004 made the empty ledger; monitoring 0004 fills it), rows are made with the models as they were then
(pre-portal grants, decisions with their lines and advances, SiSa reports), and migrating forward books them: kinds,
amounts, years, lines and recipients as the portal itself would have booked them. Migrating back empties the ledger
so that migrating forward again books what was added meanwhile; a ledger holding what its sources cannot give again
(an amended decision, a determination) is refused with the reason, and nothing is lost.

The schema is changed, so the test runs outside a transaction on an emptied database and always ends on the latest
migrations."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection, models
from django.db.migrations.exceptions import IrreversibleError
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE_BACKFILL = [("budgets", "0004_ledger"), ("monitoring", "0003_sisa_appendix_job"),
                   ("applications", "0011_advance_payment_year_paid")]
AFTER_BACKFILL = [("monitoring", "0004_ledger_backfill")]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    """Migrate to `targets`; the models as the database now has them (every app at its applied migrations)."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader
    applied = [node for node in loader.applied_migrations if node in loader.graph.nodes]
    return loader.project_state(applied, at_end=True).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


class Maker:
    """Rows of the historical models; required fields the test does not care about get a plain value (a unique
    one where the field is unique), required foreign keys it does not name get a row of their own."""

    def __init__(self, apps):
        self.apps, self.counter = apps, 0

    def model(self, label):
        return self.apps.get_model(*label.split("."))

    def __call__(self, label, **values):
        model = self.model(label)
        for f in model._meta.concrete_fields:
            if f.primary_key or f.name in values or f.attname in values or f.null or f.has_default():
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                continue
            if f.is_relation:
                values[f.name] = self(f"{f.related_model._meta.app_label}.{f.related_model._meta.model_name}")
                continue
            self.counter += 1
            values[f.name] = self._plain(f)
        return model.objects.create(**values)

    def _plain(self, f):
        n = self.counter
        if f.choices:
            return f.choices[0][0]
        if isinstance(f, models.DateTimeField):
            return timezone.now()
        if isinstance(f, models.DateField):
            return datetime.date(2024, 1, 1)
        if isinstance(f, models.BooleanField):
            return False
        if isinstance(f, (models.IntegerField, models.DecimalField, models.FloatField)):
            return n
        if isinstance(f, models.JSONField):
            return {}
        return f"t{n}"[: f.max_length or 40]


def _existing_data(apps):
    """What a portal had before the ledger, and the entries the backfill must book for it (as tuples of
    (recipient, kind, year, line, amount, source kind, source pk))."""
    make = Maker(apps)
    officer = make("auth.user", username="t-officer")
    a = make("regions.municipality", cbs_code="GM9901", name="Testdorp")
    b = make("regions.municipality", cbs_code="GM9902", name="Proefstad")
    region = make("regions.region", name="Testregio", slug="testregio")
    c1, c2 = make("budgets.component", regulation="brede_spuk", number=91), make("budgets.component",
                                                                               regulation="brede_spuk", number=92)
    expected = set()

    # Testdorp: one pre-portal beschikking, 2024 per component, 2025 on the one line
    p1 = make("monitoring.priorgrant", municipality=a, regulation="brede_spuk", year=2024, component=c1, amount=100_000,
              reference="P-TD", imported_by=officer)
    make("monitoring.priorgrant", municipality=a, regulation="brede_spuk", year=2024, component=c2, amount=50_000,
         reference="P-TD", imported_by=officer)
    make("monitoring.priorgrant", municipality=a, regulation="brede_spuk", year=2025, component=None, amount=200_000,
         reference="P-TD", imported_by=officer)
    expected |= {(a.pk, None, "granted", 2024, str(c1.pk), 100_000, "prior_grant", p1.pk),
                 (a.pk, None, "granted", 2024, str(c2.pk), 50_000, "prior_grant", p1.pk),
                 (a.pk, None, "granted", 2025, "", 200_000, "prior_grant", p1.pk)}

    # Proefstad: a pre-portal 2025 grant, then a portal decision for 2025–2026 that replaces it; advances
    p2 = make("monitoring.priorgrant", municipality=b, regulation="brede_spuk", year=2025, component=None, amount=90_000,
              reference="P-PS", imported_by=officer)
    period = make("applications.applicationperiod", regulation="brede_spuk", first_year=2025, last_year=2026)
    application = make("applications.application", municipality=b, period=period, regulation="brede_spuk",
                       created_by=officer)
    decision = make("applications.grantdecision", application=application, outcome="toegekend", reference="VWS-T-1",
                    decided_on=datetime.date(2025, 1, 15), decided_by=officer)
    make("applications.grantdecisionline", decision=decision, component=c1, year=2025, amount=120_000)
    make("applications.grantdecisionline", decision=decision, component=c1, year=2026, amount=130_000)
    paid = make("applications.advancepayment", decision=decision, year=2025, amount=120_000,
                due_on=datetime.date(2025, 2, 12), paid_on=datetime.date(2025, 2, 14))
    due = make("applications.advancepayment", decision=decision, year=2026, amount=130_000,
               due_on=datetime.date(2026, 2, 1))
    expected |= {(b.pk, None, "granted", 2025, "", 90_000, "prior_grant", p2.pk),
                 (b.pk, None, "granted", 2025, "", -90_000, "prior_grant", p2.pk),  # replaced by the decision
                 (b.pk, None, "granted", 2025, "", 120_000, "decision", decision.pk),
                 (b.pk, None, "granted", 2026, "", 130_000, "decision", decision.pk),
                 (b.pk, None, "advance_scheduled", 2025, "", 120_000, "advance", paid.pk),
                 (b.pk, None, "advance_paid", 2025, "", 120_000, "advance", paid.pk),
                 (b.pk, None, "advance_scheduled", 2026, "", 130_000, "advance", due.pk)}
    # a refusal books nothing
    refused = make("applications.application", municipality=a, period=period, regulation="brede_spuk",
                   created_by=officer)
    make("applications.grantdecision", application=refused, outcome="afgewezen", reference="VWS-T-2",
         decided_on=datetime.date(2025, 1, 16), decided_by=officer)

    # SPUK IZA: the region's pre-portal grant, Testdorp its mandate holder
    p3 = make("monitoring.priorgrant", municipality=a, region=region, regulation="spuk_iza", year=2024, component=None,
              amount=300_000, reference="P-IZA", imported_by=officer)
    expected.add((None, region.pk, "granted", 2024, "", 300_000, "prior_grant", p3.pk))

    # SiSa: Testdorp 2024 per component and 2025 with a correction of 2024 and a carry-over; the region's 2024;
    # a concept and a replaced version book nothing
    submitted = dict(status="ingediend", submitted_at=timezone.make_aware(datetime.datetime(2025, 6, 1, 12)),
                     created_by=officer)
    r2024 = make("monitoring.spendingreport", municipality=a, regulation="brede_spuk", year=2024, version=2, **submitted)
    make("monitoring.spendingline", report=r2024, component=c1, expenditure=80_000, correction_previous=0,
         cumulative=80_000)
    make("monitoring.spendingline", report=r2024, component=c2, expenditure=50_000, correction_previous=0,
         cumulative=50_000)
    old = make("monitoring.spendingreport", municipality=a, regulation="brede_spuk", year=2024, version=1,
               status="vervangen", created_by=officer)
    make("monitoring.spendingline", report=old, component=c1, expenditure=1, correction_previous=0, cumulative=1)
    r2025 = make("monitoring.spendingreport", municipality=a, regulation="brede_spuk", year=2025, carry_over=20_000,
                 **{**submitted, "submitted_at": timezone.make_aware(datetime.datetime(2026, 6, 1, 12))})
    make("monitoring.spendingline", report=r2025, component=None, expenditure=150_000, correction_previous=5_000,
         cumulative=285_000)
    iza = make("monitoring.spendingreport", municipality=a, region=region, regulation="spuk_iza", year=2024,
               **submitted)
    make("monitoring.spendingline", report=iza, component=None, expenditure=250_000, correction_previous=0,
         cumulative=250_000)
    concept = make("monitoring.spendingreport", municipality=b, regulation="brede_spuk", year=2025, status="concept",
                   created_by=officer)
    make("monitoring.spendingline", report=concept, component=None, expenditure=7, correction_previous=0, cumulative=7)
    expected |= {(a.pk, None, "spent", 2024, str(c1.pk), 80_000, "sisa", r2024.pk),
                 (a.pk, None, "spent", 2024, str(c2.pk), 50_000, "sisa", r2024.pk),
                 (a.pk, None, "spent", 2025, "", 150_000, "sisa", r2025.pk),
                 (a.pk, None, "spent", 2024, "", 5_000, "sisa", r2025.pk),
                 (a.pk, None, "carried_over", 2025, "", 20_000, "sisa", r2025.pk),
                 (None, region.pk, "spent", 2024, "", 250_000, "sisa", iza.pk)}
    return expected, {"a": a.pk, "officer": officer.pk, "region": region.pk}


def _entries(apps):
    Entry = apps.get_model("budgets", "LedgerEntry")
    return {(e.municipality_id, e.region_id, e.kind, e.year, e.line, e.amount, e.source_kind, e.source_id)
            for e in Entry.objects.all()}


@pytest.fixture
def emptied_database(transactional_db):
    """An empty database (the demo's rows would be backfilled too), back on the latest migrations afterwards
    whatever happens; the end of the test puts the reference data back (tests/conftest.py)."""
    call_command("flush", interactive=False, verbosity=0)
    yield
    _migrate(_latest())


def test_the_backfill_books_existing_grants_decisions_advances_and_reports(emptied_database):
    old = _migrate(BEFORE_BACKFILL)
    expected, _ = _existing_data(old)
    assert not _entries(old)

    new = _migrate(AFTER_BACKFILL)
    assert _entries(new) == expected
    Entry = new.get_model("budgets", "LedgerEntry")
    reversal = Entry.objects.get(amount=-90_000)
    assert reversal.reverses.amount == 90_000 and "VWS-T-1" in reversal.note


def test_back_and_forward_again_books_what_was_added_meanwhile(emptied_database):
    old = _migrate(BEFORE_BACKFILL)
    expected, ids = _existing_data(old)
    _migrate(AFTER_BACKFILL)

    old = _migrate(BEFORE_BACKFILL)  # back: the ledger is emptied, its sources stay
    assert not _entries(old)
    grant = old.get_model("monitoring", "PriorGrant").objects.create(
        municipality_id=ids["a"], regulation="brede_spuk", year=2026, amount=70_000, reference="P-LATER",
        imported_by_id=ids["officer"])

    new = _migrate(AFTER_BACKFILL)
    assert _entries(new) == expected | {(ids["a"], None, "granted", 2026, "", 70_000, "prior_grant", grant.pk)}


def test_back_is_refused_while_the_ledger_holds_what_its_sources_cannot_give_again(emptied_database):
    old = _migrate(BEFORE_BACKFILL)
    expected, ids = _existing_data(old)
    new = _migrate(AFTER_BACKFILL)
    new.get_model("budgets", "LedgerEntry").objects.create(
        municipality_id=ids["a"], regulation="brede_spuk", year=2025, kind="determined", amount=180_000,
        booked_on=datetime.date(2027, 1, 10), source_kind="determination", source_id=1)

    with pytest.raises(IrreversibleError, match="vaststelling"):
        _migrate(BEFORE_BACKFILL)
    still = _migrate(AFTER_BACKFILL)  # nothing was undone
    assert len(_entries(still)) == len(expected) + 1
