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
