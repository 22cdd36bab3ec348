"""The grant ledger: append-only (model, queryset and the PostgreSQL trigger), one grant per year per recipient
and regulation (an overlap is refused unless it explicitly replaces), withdrawal, replacing figures, position."""

import datetime

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from applications.regulations import BREDE_SPUK, SPUK_IZA
from budgets import ledger
from budgets.ledger import selectors, services, sources
from budgets.ledger.models import LedgerEntry
from budgets.models import Component
from regions.models import Municipality, Region

Kind = LedgerEntry.Kind
DAY = datetime.date(2025, 1, 15)


@pytest.fixture
def gemeente(db):
    return Municipality.objects.get(name="Zwolle")


@pytest.fixture
def other(db):
    return Municipality.objects.get(name="Deventer")


@pytest.fixture
def region(db):
    return Region.objects.order_by("pk").first()


@pytest.fixture
def component(db):
    return Component.objects.filter(regulation=BREDE_SPUK.code, is_total=False).order_by("number").first()


def grant(recipient, years_amounts, source_id, *, kind=sources.DECISION, regulation=BREDE_SPUK.code, **kwargs):
    return services.post_grant(recipient=recipient, regulation=regulation, lines=years_amounts,
                               source=(kind, source_id), booked_on=DAY, **kwargs)


def test_line_key_follows_the_definition(component):
    assert ledger.line_key(BREDE_SPUK, 2024, component.pk) == str(component.pk)
    assert ledger.line_key(BREDE_SPUK.code, 2025, component.pk) == ""
    assert ledger.line_key(SPUK_IZA.code, 2024, None) == ""
    with pytest.raises(ValueError):
        ledger.line_key(BREDE_SPUK, 2024, None)


def test_grant_and_position(gemeente, component):
    line = ledger.line_key(BREDE_SPUK, 2024, component.pk)
    grant(gemeente, {(2024, line): 1000, (2025, ""): 2500}, 1)
    pos = selectors.position(gemeente, BREDE_SPUK.code)
    assert pos[2024].granted == 1000 and pos[2024].line("granted") == {line: 1000}
    assert pos[2025].granted == 2500 and pos[2025].spent == 0
    assert selectors.position(gemeente, BREDE_SPUK.code, years=[2026])[2026].granted == 0
    [live] = selectors.live_grants(gemeente, BREDE_SPUK.code)
    assert (live.source_kind, live.source_id, live.years, live.total) == (sources.DECISION, 1, [2024, 2025], 3500)


def test_overlapping_grant_is_refused_with_a_dutch_message(gemeente):
    grant(gemeente, {(2025, ""): 2500, (2026, ""): 2000}, 7, kind=sources.PRIOR_GRANT)
    with pytest.raises(services.LedgerConflict) as refused:
        grant(gemeente, {(2026, ""): 100}, 8)
    message = refused.value.messages[0]
    assert "2026 al toegekend" in message and "vóór het portaal" in message and "2025–2026" in message
    assert selectors.position(gemeente, BREDE_SPUK.code)[2026].granted == 2000  # nothing of the refused grant
    assert LedgerEntry.objects.filter(source_kind=sources.DECISION, source_id=8).count() == 0


def test_other_recipient_regulation_or_years_do_not_conflict(gemeente, other, region):
    before = selectors.totals_by_recipient(regulation=BREDE_SPUK.code, year=2025)
    before_regions = selectors.totals_by_region(regulation=SPUK_IZA.code)
    grant(gemeente, {(2025, ""): 100}, 1)
    grant(other, {(2025, ""): 100}, 2)
    grant(gemeente, {(2026, ""): 100}, 3)
    grant(region, {(2025, ""): 100}, 4, regulation=SPUK_IZA.code)
    assert selectors.totals_by_recipient(regulation=BREDE_SPUK.code, year=2025) == {
        **before, gemeente.pk: 100, other.pk: 100}
    assert selectors.totals_by_region(regulation=SPUK_IZA.code) == {**before_regions,
                                                                    region.pk: before_regions.get(region.pk, 0) + 100}


def test_replace_reverses_the_old_grant_and_posts_the_new(gemeente):
    grant(gemeente, {(2024, ""): 0, (2025, ""): 2500, (2026, ""): 2000}, 7, kind=sources.PRIOR_GRANT)
    grant(gemeente, {(2025, ""): 3000, (2026, ""): 1000}, 9, replaces=(sources.PRIOR_GRANT, 7))
    pos = selectors.position(gemeente, BREDE_SPUK.code)
    assert (pos[2025].granted, pos[2026].granted) == (3000, 1000)
    [live] = selectors.live_grants(gemeente, BREDE_SPUK.code)
    assert (live.source_kind, live.source_id) == (sources.DECISION, 9)
    reversals = LedgerEntry.objects.filter(source_kind=sources.PRIOR_GRANT, reverses__isnull=False)
    assert sorted(reversals.values_list("amount", flat=True)) == [-2500, -2000]
    with pytest.raises(services.LedgerConflict):  # what is replaced already is not live any more
        grant(gemeente, {(2025, ""): 1}, 10, replaces=(sources.PRIOR_GRANT, 7))


def test_withdraw_reverses_every_live_entry_of_the_source(gemeente):
    grant(gemeente, {(2025, ""): 2500, (2026, ""): 2000}, 5)
    services.post_advance(recipient=gemeente, regulation=BREDE_SPUK.code, year=2025, amount=1000, due_on=DAY,
                          source=(sources.DECISION, 5), paid=False)
    services.withdraw(source=(sources.DECISION, 5), by=None, booked_on=DAY, note="ingetrokken")
    pos = selectors.position(gemeente, BREDE_SPUK.code)
    assert (pos[2025].granted, pos[2026].granted, pos[2025].advance_scheduled) == (0, 0, 0)
    assert selectors.live_grants(gemeente, BREDE_SPUK.code) == []
    grant(gemeente, {(2025, ""): 10}, 6)  # the year is free again
    assert services.withdraw(source=(sources.DECISION, 5), by=None, booked_on=DAY, note="nog eens") == []


def test_withdrawing_a_source_of_many_lines_costs_no_query_per_line(gemeente, django_assert_max_num_queries):
    """A withdrawn decision of a line per component over two years is reversed in a fixed number of queries: the
    recipient was fetched once per entry before (a query for each) to find whom to lock."""
    components = Component.objects.filter(regulation=BREDE_SPUK.code, is_total=False).values_list("pk", flat=True)
    assert len(components) >= 10
    lines = {(year, ledger.line_key(BREDE_SPUK, year, pk)): 100 for year in (2023, 2024) for pk in components}
    grant(gemeente, lines, 5)
    with django_assert_max_num_queries(8):
        reversals = services.withdraw(source=(sources.DECISION, 5), by=None, booked_on=DAY, note="ingetrokken")
    assert len(reversals) == 2 * len(components)
    position = selectors.position(gemeente, BREDE_SPUK.code)
    assert (position[2023].granted, position[2024].granted) == (0, 0)


def test_spent_and_advances_replace_the_same_sources_earlier_figure(gemeente):
    args = dict(recipient=gemeente, regulation=BREDE_SPUK.code, year=2025, line="", source=(sources.SISA, 3),
                booked_on=DAY)
    services.post_spent(amount=800, **args)
    services.post_spent(amount=900, **args)
    assert services.post_spent(amount=900, **args) == []  # unchanged: nothing booked
    services.post_carried_over(amount=90, **args)
    services.post_spent(amount=50, **{**args, "source": (sources.SISA, 4)})
    advance = dict(recipient=gemeente, regulation=BREDE_SPUK.code, year=2025, amount=600, due_on=DAY,
                   source=(sources.ADVANCE, 1))
    services.post_advance(paid=False, **advance)
    services.post_advance(paid=True, booked_on=datetime.date(2025, 2, 1), **advance)
    services.post_determined(recipient=gemeente, regulation=BREDE_SPUK.code, year_amounts={2025: 800},
                             source=(sources.DETERMINATION, 1), booked_on=DAY)
    services.post_reclaimed(recipient=gemeente, regulation=BREDE_SPUK.code, year=2025, amount=120,
                            source=(sources.DETERMINATION, 1), booked_on=DAY)
    pos = selectors.position(gemeente, BREDE_SPUK.code)[2025]
    assert (pos.spent, pos.carried_over, pos.advance_scheduled, pos.advance_paid, pos.determined, pos.reclaimed) == \
        (950, 90, 600, 600, 800, 120)
    assert selectors.totals_by_recipient(kind=Kind.SPENT, year=2025)[gemeente.pk] == 950


def test_entries_are_append_only_in_python(gemeente):
    [entry] = grant(gemeente, {(2025, ""): 100}, 1)
    entry.amount = 5
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=5)
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == 100


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's")
def test_the_database_refuses_update_and_delete(gemeente):
    [entry] = grant(gemeente, {(2025, ""): 100}, 1)
    for sql in ("UPDATE budgets_ledgerentry SET amount = 5 WHERE id = %s",
                "DELETE FROM budgets_ledgerentry WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
            c.execute(sql, [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).amount == 100


def test_exactly_one_recipient(gemeente, region):
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(municipality=gemeente, region=region, regulation=BREDE_SPUK.code, year=2025,
                                   kind=Kind.GRANTED, amount=1, booked_on=DAY, source_kind=sources.DECISION,
                                   source_id=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(regulation=BREDE_SPUK.code, year=2025, kind=Kind.GRANTED, amount=1,
                                   booked_on=DAY, source_kind=sources.DECISION, source_id=1)
