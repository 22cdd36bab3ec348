"""Money is exact (int euros or Decimal) and printed the Dutch way: € 1.234.567 / € 1.234,50."""

from decimal import ROUND_HALF_UP, Decimal


def format_number(value, decimals: int = 0) -> str:
    if value is None or value == "":
        return ""
    number = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):.{decimals}f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ".".join(groups)
    return f"{sign}{text},{fraction}" if decimals else f"{sign}{text}"


def format_euro(value, decimals: int = 0) -> str:
    """`format_euro(1234567)` → '€ 1.234.567'; negative: '€ -1.234'."""
    if value is None or value == "":
        return ""
    return f"€\u00a0{format_number(value, decimals)}"
