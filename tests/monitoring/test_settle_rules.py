"""The final settlement year by year (monitoring.sisa_rules.settle): the carry-over cap binds every year."""

from hypothesis import HealthCheck, given, settings, strategies as st

from monitoring.accountability.rules import YearFigures, final_year_problem, settle


def test_the_cap_binds_year_by_year():
    """2025 underspent by 30k of which 10k (the cap) is carried over; 2026 overspent by 25k: the 20k above the
    cap is reclaimed, the overspending of 2026 is not paid (netting the period would give 5k)."""
    s = settle([YearFigures(2025, granted=100_000, spent=70_000), YearFigures(2026, granted=100_000, spent=125_000)],
               carry_over_years={2025})
    y2025, y2026 = s.years
    assert (y2025.cap, y2025.carried_out, y2025.reclaim) == (10_000, 10_000, 20_000)
    assert (y2026.carried_in, y2026.determined, y2026.reclaim, y2026.not_paid) == (10_000, 110_000, 0, 15_000)
    assert s.reclaim == 20_000
    assert s.determined == 180_000


def test_no_carry_over_without_a_next_year_or_outside_the_carry_over_year():
    s = settle([YearFigures(2025, granted=100_000, spent=70_000)], carry_over_years={2025})
    assert s.reclaim == 30_000 and s.years[0].carried_out == 0
    s = settle([YearFigures(2024, granted=100_000, spent=70_000), YearFigures(2025, granted=100_000, spent=140_000)],
               carry_over_years={2025})
    assert s.reclaim == 30_000


def test_unspent_carry_over_is_reclaimed_in_the_next_year():
    s = settle([YearFigures(2025, granted=100_000, spent=95_000), YearFigures(2026, granted=100_000, spent=102_000)],
               carry_over_years={2025})
    assert [y.reclaim for y in s.years] == [0, 3_000]
    assert s.reclaim == 3_000


def test_per_component_lines_do_not_make_up_for_each_other():
    lines = {"1": (50_000, 60_000), "2": (50_000, 30_000)}
    s = settle([YearFigures(2024, granted=100_000, spent=90_000, lines=lines)])
    assert s.years[0].determined == 80_000 and s.reclaim == 20_000 and s.years[0].not_paid == 10_000


year_figures = st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 2 * 10**9)), min_size=1, max_size=4)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a busy shared machine
@given(year_figures, st.sets(st.integers(2023, 2026)))
def test_settlement_invariants(amounts, carry_years):
    figures = [YearFigures(2023 + i, granted=g, spent=s) for i, (g, s) in enumerate(amounts)]
    s = settle(figures, carry_over_years=carry_years)
    assert s.reclaim >= 0
    assert s.determined + s.reclaim == s.granted
    for y in s.years:
        assert y.reclaim >= 0 and y.determined >= 0
        assert y.carried_out <= y.cap <= y.granted // 10
        assert y.determined <= y.spent
    for before, after in zip(s.years, s.years[1:]):
        assert after.carried_in == before.carried_out


def test_final_accounting_only_in_the_grant_s_last_year():
    assert final_year_problem(is_final=True, year=2026, last_grant_year=2026) is None
    assert final_year_problem(is_final=False, year=2025, last_grant_year=2026) is None
    assert "laatste jaar van de toekenning (2026)" in final_year_problem(is_final=True, year=2025, last_grant_year=2026)
