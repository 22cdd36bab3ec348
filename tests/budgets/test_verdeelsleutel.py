"""The allocation arithmetic: property tests (hypothesis) of the invariants the ministry relies on."""

import random
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from budgets import verdeelsleutel

FACTORS = ("population", "disadvantage")


@st.composite
def inputs(draw):
    n = draw(st.integers(min_value=1, max_value=30))
    codes = [f"GM{c:04d}" for c in draw(st.lists(st.integers(1, 9999), min_size=n, max_size=n, unique=True))]
    values = {c: {"population": draw(st.integers(0, 1_000_000)), "disadvantage": draw(st.integers(0, 300_000))}
              for c in codes}
    for factor in FACTORS:  # a factor's national total is never zero
        if not any(v[factor] for v in values.values()):
            values[codes[0]][factor] = 1
    weights = {"population": Fraction(draw(st.integers(0, 10))), "disadvantage": Fraction(draw(st.integers(0, 10)))}
    assume(sum(weights.values()) > 0)
    budget = draw(st.integers(0, 10**10))
    fixed_codes = draw(st.lists(st.sampled_from(codes), max_size=max(0, n - 1), unique=True))
    fixed = {}
    left = budget
    for code in fixed_codes:
        fixed[code] = draw(st.integers(0, left // 2))
        left -= fixed[code]
    sharing = [c for c in codes if c not in fixed]
    shares = verdeelsleutel.compute_shares(values, weights)
    assume(budget - sum(fixed.values()) == 0 or any(shares.numerators[c] for c in sharing))
    return budget, values, weights, fixed


@settings(max_examples=300, deadline=None)
@given(inputs())
def test_every_line_adds_up_exactly_and_nothing_is_negative(data):
    budget, values, weights, fixed = data
    amounts = verdeelsleutel.allocate(budget, values, weights, fixed)
    assert set(amounts) == set(values)
    assert sum(amounts.values()) == budget
    assert all(isinstance(a, int) and a >= 0 for a in amounts.values())


@settings(max_examples=300, deadline=None)
@given(inputs())
def test_fixed_amounts_are_honoured_and_the_rest_is_shared_by_weight(data):
    budget, values, weights, fixed = data
    amounts = verdeelsleutel.allocate(budget, values, weights, fixed)
    for code, amount in fixed.items():
        assert amounts[code] == amount
    rest = budget - sum(fixed.values())
    total_w = sum(weights.values())
    totals = {f: sum(v[f] for v in values.values()) for f in FACTORS}
    share = {c: sum(weights[f] / total_w * Fraction(v[f], totals[f]) for f in FACTORS) for c, v in values.items()}
    pool = sum(s for c, s in share.items() if c not in fixed)
    for code in values:
        if code not in fixed:
            exact = rest * share[code] / pool if pool else 0
            assert abs(amounts[code] - exact) < 1  # whole euros, never more than one euro from the exact share


@settings(max_examples=300, deadline=None)
@given(inputs())
def test_larger_factor_values_never_get_less(data):
    budget, values, weights, fixed = data
    amounts = verdeelsleutel.allocate(budget, values, weights, fixed)
    sharing = [c for c in values if c not in fixed]
    for a in sharing:
        for b in sharing:
            at_least = all(values[a][f] >= values[b][f] for f in FACTORS)
            larger = any(values[a][f] > values[b][f] and weights[f] > 0 for f in FACTORS)
            if at_least and larger:
                assert amounts[a] >= amounts[b], (a, b)
            elif values[a] == values[b]:  # equal inputs: at most the one rounding euro apart
                assert abs(amounts[a] - amounts[b]) <= 1


@settings(max_examples=200, deadline=None)
@given(inputs(), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_the_rows(data, rnd):
    budget, values, weights, fixed = data
    items = list(values.items())
    rnd.shuffle(items)
    assert verdeelsleutel.allocate(budget, dict(items), weights, fixed) == verdeelsleutel.allocate(budget, values, weights, fixed)


def test_equal_remainders_go_to_the_lowest_cbs_code_never_by_chance():
    values = {code: {"population": 1, "disadvantage": 1} for code in ("GM0300", "GM0100", "GM0200")}
    weights = {"population": Fraction(1, 2), "disadvantage": Fraction(1, 2)}
    for _ in range(5):
        items = list(values.items())
        random.shuffle(items)
        assert verdeelsleutel.allocate(10, dict(items), weights) == {"GM0100": 4, "GM0200": 3, "GM0300": 3}


def test_weights_decide_the_share():
    values = {"GM0001": {"population": 300, "disadvantage": 0}, "GM0002": {"population": 100, "disadvantage": 100}}
    only_population = verdeelsleutel.allocate(1000, values, {"population": 1, "disadvantage": 0})
    half_half = verdeelsleutel.allocate(1000, values, {"population": Fraction(1, 2), "disadvantage": Fraction(1, 2)})
    assert only_population == {"GM0001": 750, "GM0002": 250}
    assert half_half == {"GM0001": 375, "GM0002": 625}


def test_fixed_amounts_above_the_budget_are_refused_in_dutch():
    values = {"GM0001": {"population": 1, "disadvantage": 1}, "GM0002": {"population": 1, "disadvantage": 1}}
    with pytest.raises(verdeelsleutel.AllocationError, match="hoger dan het budget"):
        verdeelsleutel.allocate(100, values, {"population": 1}, {"GM0001": 101})


def test_explanation_adds_rounding_to_the_rounded_down_exact_amount():
    values = {code: {"population": 1, "disadvantage": 1} for code in ("GM0100", "GM0200", "GM0300")}
    shares = verdeelsleutel.compute_shares(values, {"population": 1})
    details = verdeelsleutel.allocate_line_detailed(10, shares)
    assert details["GM0100"].exact == Fraction(10, 3)
    assert (details["GM0100"].rounded_down, details["GM0100"].adjustment, details["GM0100"].amount) == (3, 1, 4)
    assert (details["GM0200"].adjustment, details["GM0200"].amount) == (0, 3)
    # Three equal remainders and one euro left: the lowest CBS code gets it, also when only one gemeente is asked.
    for code in values:
        assert verdeelsleutel.allocate_line_detailed(10, shares, only=code) == {code: details[code]}


@settings(max_examples=200, deadline=None)
@given(inputs(), st.data())
def test_one_gemeentes_explanation_is_exactly_its_part_of_the_whole_line(data, pick):
    """The explanation page computes only the asked gemeente's detail (load test): the same detail."""
    budget, values, weights, fixed = data
    shares = verdeelsleutel.compute_shares(values, weights)
    code = pick.draw(st.sampled_from(sorted(values)))
    everyone = verdeelsleutel.allocate_line_detailed(budget, shares, fixed)
    assert verdeelsleutel.allocate_line_detailed(budget, shares, fixed, only=code) == {code: everyone[code]}
