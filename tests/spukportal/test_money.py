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
