from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spukportal.money import format_euro, format_number


@pytest.mark.parametrize("value,text", [
    (0, "€\u00a00"), (999, "€\u00a0999"), (1000, "€\u00a01.000"), (1234567, "€\u00a01.234.567"),
    (-1234, "€\u00a0-1.234"), (310475334, "€\u00a0310.475.334"),
])
def test_format_euro_dutch_style(value, text):
    assert format_euro(value) == text


def test_format_with_cents():
    assert format_euro(Decimal("1234.5"), 2) == "€\u00a01.234,50"
    assert format_number(Decimal("0.125"), 2) == "0,13"


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_formatted_number_reads_back_as_the_same_integer(n):
    assert int(format_number(n).replace(".", "")) == n


@given(st.one_of(st.integers(min_value=-10**15, max_value=10**15),
                 st.decimals(min_value=-10**12, max_value=10**12, places=4, allow_nan=False)),
       st.integers(min_value=0, max_value=3))
def test_a_formatted_number_has_dutch_groups_rounds_half_up_and_reads_back(value, decimals):
    """Dots between groups of three, a comma before the decimals, rounded half up, never '-0'."""
    text = format_number(value, decimals)
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = digits.partition(",")
    groups = whole.split(".")
    assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3 and "".join(groups).isdigit()
    assert len(fraction) == decimals and (fraction.isdigit() or not decimals)
    read = Decimal(sign + "".join(groups) + ("." + fraction if decimals else ""))
    step = Decimal(1).scaleb(-decimals)
    assert abs(read - Decimal(value)) <= step / 2  # the nearest, ties away from zero (half up)
    if abs(Decimal(value)) % step == step / 2:
        assert abs(read) > abs(Decimal(value))
    assert not (sign and read == 0)


def test_rounding_below_zero_to_nothing_is_zero_not_minus_zero():
    assert format_number(Decimal("-0.001"), 2) == "0,00"
    assert format_number(Decimal("-0.4")) == "0"
    assert format_number(Decimal("-1234.567"), 2) == "-1.234,57"


@pytest.mark.parametrize("text,expected", [
    ("43.100", 43100), ("43 100", 43100), ("43\u00a0100", 43100), ("43100", 43100), ("43.100,00", 43100),
    ("43.100,-", 43100), ("-5", -5), ("−1.000", -1000), ("", None), ("  ", None), ("0", 0),
])
def test_one_reader_for_dutch_whole_numbers(text, expected):
    from spukportal.money import parse_whole_number

    assert parse_whole_number(text) == expected


@pytest.mark.parametrize("text,kind", [
    ("4.31", "invalid"), ("43,1", "fraction"), ("43,10", "fraction"), ("1.2345", "invalid"), ("veel", "invalid"),
    ("1.234,567", "invalid"), ("4²", "invalid"), ("9" * 40, "too_long"), ("43.100.", "invalid"),
])
def test_what_is_not_a_whole_number_is_refused(text, kind):
    from spukportal.money import NumberError, parse_whole_number

    with pytest.raises(NumberError) as refused:
        parse_whole_number(text)
    assert refused.value.kind == kind


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_every_formatted_number_reads_back_through_the_reader(n):
    from spukportal.money import parse_euro, parse_whole_number

    assert parse_whole_number(format_number(n)) == n
    if 0 <= n < 10**11:
        assert parse_euro(format_euro(n)) == n
