"""The verdeelsleutel arithmetic: a pure function from inputs to whole-euro amounts. No database.

share(g)  = Σ_f weight(f) × value(g, f) / Σ_all value(·, f)        (national totals over all gemeenten)
rest      = budget − Σ fixed amounts
exact(g)  = rest × share(g) / Σ_{g' without fixed amount} share(g')
amount(g) = ⌊exact(g)⌋, plus 1 euro for the gemeenten with the largest remainders until the line adds up
            exactly to its budget (largest-remainder method; equal remainders by CBS code, ascending).

Everything is integer or Fraction arithmetic: no floats touch an amount.
"""

from dataclasses import dataclass
from fractions import Fraction
from math import lcm
from typing import Mapping


class AllocationError(ValueError):
    """The inputs cannot be allocated; the message is Dutch and meant for the user."""


@dataclass(frozen=True)
class Shares:
    """Integer share numerators: share(g) = numerators[g] / denominator."""

    numerators: dict[str, int]
    denominator: int
    totals: dict[str, int]
    weights: dict[str, Fraction]

    def share(self, code) -> Fraction:
        return Fraction(self.numerators[code], self.denominator)


def compute_shares(values: Mapping[str, Mapping[str, int]], weights: Mapping[str, Fraction]) -> Shares:
    """`values`: {cbs_code: {factor: value}}; `weights`: {factor: weight}. Weights are normalised to sum 1."""
    weights = {f: Fraction(w) for f, w in weights.items()}
    if any(w < 0 for w in weights.values()):
        raise AllocationError("Een gewicht van de verdeelsleutel mag niet negatief zijn.")
    weight_sum = sum(weights.values())
    if weight_sum <= 0:
        raise AllocationError("De gewichten van de verdeelsleutel zijn samen nul.")
    weights = {f: w / weight_sum for f, w in weights.items() if w}
    totals = {}
    for factor in weights:
        total = 0
        for code, row in values.items():
            value = row.get(factor)
            if value is None:
                raise AllocationError(f"Gemeente {code} heeft geen waarde voor factor '{factor}'.")
            if value < 0:
                raise AllocationError(f"Gemeente {code} heeft een negatieve waarde voor factor '{factor}'.")
            total += value
        if total == 0:
            raise AllocationError(f"Het landelijk totaal van factor '{factor}' is nul.")
        totals[factor] = total
    per_unit = {f: weights[f] / totals[f] for f in weights}  # weight per unit of the factor
    denominator = lcm(*(x.denominator for x in per_unit.values()))
    coefficients = {f: int(x * denominator) for f, x in per_unit.items()}
    numerators = {
        code: sum(coefficients[f] * row[f] for f in coefficients) for code, row in values.items()
    }
    return Shares(numerators=numerators, denominator=denominator, totals=totals, weights=weights)


@dataclass(frozen=True)
class LineDetail:
    """How one gemeente's amount in one budget line came about (for "Hoe is mijn bedrag berekend?")."""

    fixed: bool
    share: Fraction  # national share
    share_of_rest: Fraction  # share among the gemeenten without a fixed amount
    rest: int  # budget minus the fixed amounts
    exact: Fraction
    rounded_down: int
    adjustment: int  # 0 or 1 euro from the largest-remainder step
    amount: int


def allocate_line(budget: int, shares: Shares, fixed: Mapping[str, int] | None = None) -> dict[str, int]:
    return {code: d.amount for code, d in allocate_line_detailed(budget, shares, fixed).items()}


def allocate_line_detailed(budget: int, shares: Shares, fixed: Mapping[str, int] | None = None,
                           only: str | None = None) -> dict[str, LineDetail]:
    """Every gemeente's LineDetail, or with `only` that one gemeente's (the rounding still ranks all of them;
    only the exact fractions of the others, the costly part, are left out)."""
    fixed = dict(fixed or {})
    if budget < 0:
        raise AllocationError("Een budget kan niet negatief zijn.")
    unknown = sorted(set(fixed) - set(shares.numerators))
    if unknown:
        raise AllocationError(f"Vast bedrag voor onbekende gemeente(n): {', '.join(unknown)}.")
    if any(a < 0 for a in fixed.values()):
        raise AllocationError("Een vast bedrag kan niet negatief zijn.")
    rest = budget - sum(fixed.values())
    if rest < 0:
        raise AllocationError(
            f"De vaste bedragen (samen € {sum(fixed.values())}) zijn hoger dan het budget (€ {budget})."
        )
    sharing = {c: n for c, n in shares.numerators.items() if c not in fixed}
    pool = sum(sharing.values())
    if pool == 0 and rest > 0:
        raise AllocationError("Er is budget over, maar geen gemeente zonder vast bedrag heeft een aandeel.")
    details = {}
    floors, remainders = {}, {}
    for code, numerator in sharing.items():
        if pool:
            floors[code], remainders[code] = divmod(rest * numerator, pool)
        else:
            floors[code], remainders[code] = 0, 0
    leftover = rest - sum(floors.values())
    # Largest remainder first; equal remainders go to the lowest CBS code. Never by chance.
    if only is None:
        bonus = set(sorted(remainders, key=lambda c: (-remainders[c], c))[:leftover])
    else:  # one gemeente: its place in that order, counted without sorting all of them
        mine = remainders.get(only)  # None for a gemeente with a fixed amount: it gets no euro from the rounding
        bonus = set()
        if mine is not None and sum(1 for c, r in remainders.items() if (-r, c) < (-mine, only)) < leftover:
            bonus = {only}
    for code, numerator in shares.numerators.items():
        if only is not None and code != only:
            continue
        share = Fraction(numerator, shares.denominator)
        if code in fixed:
            details[code] = LineDetail(True, share, Fraction(0), rest, Fraction(fixed[code]), fixed[code], 0,
                                       fixed[code])
            continue
        adjustment = 1 if code in bonus else 0
        details[code] = LineDetail(
            fixed=False, share=share,
            share_of_rest=Fraction(numerator, pool) if pool else Fraction(0),
            rest=rest,
            exact=Fraction(rest * numerator, pool) if pool else Fraction(0),
            rounded_down=floors[code], adjustment=adjustment, amount=floors[code] + adjustment,
        )
    return details


def allocate(budget: int, values: Mapping[str, Mapping[str, int]], weights: Mapping[str, Fraction],
             fixed: Mapping[str, int] | None = None) -> dict[str, int]:
    """One budget line over all gemeenten: {cbs_code: whole euros}, summing exactly to `budget`."""
    return allocate_line(budget, compute_shares(values, weights), fixed)


def region_sums(amounts: Mapping[str, int], members: Mapping[object, list[str]]) -> dict[object, int]:
    """{region: Σ amounts of its members}."""
    return {region: sum(amounts.get(code, 0) for code in codes) for region, codes in members.items()}
