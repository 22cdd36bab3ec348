"""Money is exact (int euros or Decimal) and printed the Dutch way: € 1.234.567 / € 1.234,50."""

from decimal import ROUND_HALF_UP, Decimal

from . import bounds


_DUTCH = str.maketrans(",.", ".,")  # Python's 1,234.50 → 1.234,50


def format_number(value, decimals: int = 0) -> str:
    """`format_number(1234567)` → '1.234.567', `format_number(Decimal("1234.505"), 2)` → '1.234,51' (half up);
    never '-0'. A dashboard writes a few thousand of these: whole euros (an int) take the short way."""
    if value is None or value == "":
        return ""
    if type(value) is int and not decimals:
        return f"{value:,}".replace(",", ".")
    number = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if not number:
        number = abs(number)  # -0.001 rounds to -0.00: written 0,00
    return f"{number:,.{decimals}f}".translate(_DUTCH)


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


class NumberError(ValueError):
    """Text that is not a whole number. `kind`: "fraction" (cents: one or two digits after the comma),
    "too_long" or "invalid"."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


_MAX_DIGITS = 15  # no whole number the portal stores has more; checked before int() (no huge conversions)


def parse_whole_number(text) -> int | None:
    """The one reader of a whole number as people type it the Dutch way, for counts and amounts alike.

    '43.100', '43 100', '43100', '43.100,00', '43.100,-' → 43100; '-5' and '−5' → -5; '' → None. Dots only as
    thousands separators (groups of three), a comma only before ',00' or ',-'. Raises `NumberError` otherwise;
    the caller words the message and checks the sign and the bounds."""
    if text is None:
        return None
    if isinstance(text, int):
        return text
    cleaned = str(text).replace("\u00a0", "").replace("\u202f", "").replace(" ", "").strip()
    if cleaned == "":
        return None
    negative = cleaned[0] in "-−"
    if negative:
        cleaned = cleaned[1:]
    whole, sep, fraction = cleaned.partition(",")
    if sep and fraction not in ("", "-", "0", "00", "--"):
        raise NumberError("fraction" if fraction.isascii() and fraction.isdigit() and len(fraction) <= 2 else "invalid")
    if not whole.isascii():  # '²' and other Unicode digits are not numbers
        raise NumberError("invalid")
    groups = whole.split(".")
    valid = whole.isdigit() or (
        len(groups) > 1 and 1 <= len(groups[0]) <= 3 and all(g.isdigit() for g in groups)
        and all(len(g) == 3 for g in groups[1:])
    )
    if not valid:
        raise NumberError("invalid")
    digits = whole.replace(".", "").lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS:
        raise NumberError("too_long")
    return -int(digits) if negative else int(digits)


def parse_euro(text) -> int | None:
    """Read an amount in whole euros as people type it the Dutch way (`parse_whole_number`, with '€' or 'EUR').

    '€ 1.234.567', '1.234.567', '1234567', '1.234,00' and '€1.234,-' → 1234567; '' → None.
    Cents other than ,00 / ,-, amounts above `bounds.MAX_AMOUNT_EUR` and negative or non-numeric text raise `AmountError` with a Dutch message.
    """
    if text is None:
        return None
    if isinstance(text, int):
        value = text
    else:
        cleaned = str(text).replace("€", "").replace("EUR", "").strip()
        if cleaned.startswith(("-", "−")):
            raise AmountError("Een bedrag kan niet negatief zijn.")
        try:
            value = parse_whole_number(cleaned)
        except NumberError as exc:
            if exc.kind == "fraction":
                raise AmountError("Vul een bedrag in hele euro's in (zonder centen), bijvoorbeeld 1.234.567.") from None
            if exc.kind == "too_long":
                raise AmountError(bounds.amount_problem(bounds.MAX_AMOUNT_EUR + 1)) from None
            raise AmountError(f"‘{text}’ is geen bedrag. Vul een bedrag in hele euro's in, bijvoorbeeld 1.234.567.") from None
        if value is None:
            return None
    problem = bounds.amount_problem(value)
    if problem:
        raise AmountError(problem)
    return value
