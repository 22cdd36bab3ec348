"""Money is exact (int euros or Decimal) and printed the Dutch way: € 1.234.567 / € 1.234,50."""

from decimal import ROUND_HALF_UP, Decimal

from . import bounds


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


def format_decimal(value) -> str:
    """A decimal with only the digits it needs, the Dutch way: Decimal('0.500000') → '0,5', '1.000' → '1',
    '1234.25' → '1.234,25'."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    exponent = number.normalize().as_tuple().exponent
    return format_number(number, max(0, -exponent))


def format_euro(value, decimals: int = 0) -> str:
    """`format_euro(1234567)` → '€ 1.234.567'; negative: '€ -1.234'."""
    if value is None or value == "":
        return ""
    return f"€\u00a0{format_number(value, decimals)}"


class AmountError(ValueError):
    """An amount that cannot be read; the message is Dutch and fit for a form field."""


def parse_euro(text) -> int | None:
    """Read an amount in whole euros as people type it the Dutch way.

    '€ 1.234.567', '1.234.567', '1234567', '1.234,00' and '€1.234,-' → 1234567; '' → None.
    Cents other than ,00 / ,-, amounts above `bounds.MAX_AMOUNT_EUR` and negative or non-numeric text raise `AmountError` with a Dutch message.
    """
    if text is None:
        return None
    if isinstance(text, int):
        value = text
    else:
        cleaned = str(text).replace("€", "").replace("EUR", "").replace("\u00a0", "").replace(" ", "").strip()
        if cleaned == "":
            return None
        if cleaned.startswith("-") or cleaned.startswith("−"):
            raise AmountError("Een bedrag kan niet negatief zijn.")
        whole, sep, fraction = cleaned.partition(",")
        if sep and fraction not in ("", "-", "0", "00", "--"):
            if fraction.isdigit() and len(fraction) <= 2:
                raise AmountError("Vul een bedrag in hele euro's in (zonder centen), bijvoorbeeld 1.234.567.")
            raise AmountError(f"‘{text}’ is geen bedrag. Vul een bedrag in hele euro's in, bijvoorbeeld 1.234.567.")
        if not whole.isascii():  # '²' and other Unicode digits are not amounts
            raise AmountError(f"‘{text}’ is geen bedrag. Vul een bedrag in hele euro's in, bijvoorbeeld 1.234.567.")
        groups = whole.split(".")
        valid = whole.isdigit() or (
            len(groups) > 1 and 1 <= len(groups[0]) <= 3 and all(g.isdigit() for g in groups)
            and all(len(g) == 3 for g in groups[1:])
        )
        if not valid:
            raise AmountError(f"‘{text}’ is geen bedrag. Vul een bedrag in hele euro's in, bijvoorbeeld 1.234.567.")
        digits = whole.replace(".", "").lstrip("0") or "0"
        if len(digits) > len(str(bounds.MAX_AMOUNT_EUR)):  # before int(): no huge conversions
            raise AmountError(bounds.amount_problem(bounds.MAX_AMOUNT_EUR + 1))
        value = int(digits)
    problem = bounds.amount_problem(value)
    if problem:
        raise AmountError(problem)
    return value
