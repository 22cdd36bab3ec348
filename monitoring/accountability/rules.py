"""The SiSa rules, as pure functions over plain numbers (no database): the codes and indicators of the
appendix, and the checks of a spending report. Each check returns Dutch messages keyed by the field they
belong to, so that forms and services show the same text.
"""

from dataclasses import dataclass, field

from applications.regulations import all_definitions, definition
from spukportal import bounds
from spukportal.money import format_euro

VERSTREKKER = "Ministerie van Volksgezondheid, Welzijn en Sport (VWS)"
# The SiSa codes and legal names per regulation are in its definition (applications.regulations).
# (number, label, aard controle)
INDICATORS = [
    ("01", "Besteding (jaar T)", "R"),
    ("02", "Zelfstandige uitvoering Ja/Nee", "n.v.t."),
    ("03", "Correctie besteding (jaar T-1)", "R"),
    ("04", "Cumulatieve besteding", "R"),
    ("05", "Eindverantwoording Ja/Nee", "n.v.t."),
]
# Of the carry-over year's grant, at most. Source: VWS letter 12-09-2025 (4190863-1084972-DMO); not in the GALA.
CARRY_OVER_PERCENT = 10


def years() -> list[int]:
    """Every year some regulation runs: the years one can account for."""
    return sorted({y for d in all_definitions() for y in d.years})


def carry_over_allowed(regulation: str, year: int) -> bool:
    return definition(regulation).carry_over_year == year


@dataclass
class Row:
    """One SiSa row as typed: /01, /03, /04, with what it is checked against."""

    key: str  # the form's field prefix
    expenditure: int | None
    correction: int | None
    cumulative: int | None
    previous_cumulative: int = 0  # /04 of last year's current report
    granted: int | None = None  # for the warning (None: not compared)


@dataclass
class Outcome:
    errors: dict = field(default_factory=dict)  # {field name: [messages]}
    warnings: list = field(default_factory=list)

    def add(self, name, message):
        self.errors.setdefault(name, []).append(message)


def check_row(row: Row, out: Outcome, label: str) -> None:
    if row.expenditure is not None and row.expenditure < 0:
        out.add(f"{row.key}_expenditure", "De besteding kan niet negatief zijn.")
        return
    problem = bounds.amount_problem(row.expenditure) if row.expenditure is not None else None
    if problem:
        out.add(f"{row.key}_expenditure", problem)
        return
    if row.correction is not None and abs(row.correction) > bounds.MAX_AMOUNT_EUR:
        out.add(f"{row.key}_correction", bounds.amount_problem(bounds.MAX_AMOUNT_EUR + 1))
        return
    if row.cumulative is not None and row.cumulative < 0:
        out.add(f"{row.key}_cumulative", "De cumulatieve besteding kan niet negatief zijn.")
        return
    expenditure, correction = row.expenditure or 0, row.correction or 0
    expected = row.previous_cumulative + expenditure + correction
    if row.cumulative is not None:
        if row.cumulative < row.previous_cumulative + correction:
            out.add(f"{row.key}_cumulative",
                    f"De cumulatieve besteding ({format_euro(row.cumulative)}) is lager dan de besteding van "
                    f"eerdere jaren samen ({format_euro(row.previous_cumulative + correction)}).")
        elif row.cumulative != expected:
            out.add(f"{row.key}_cumulative",
                    f"De cumulatieve besteding moet {format_euro(expected)} zijn: "
                    f"{format_euro(row.previous_cumulative)} tot en met vorig jaar + {format_euro(expenditure)} "
                    f"besteding (/01) + {format_euro(correction)} correctie (/03).")
    if expected < 0:
        out.add(f"{row.key}_correction", "De correctie maakt de cumulatieve besteding negatief.")
    if row.granted is not None and expenditure > row.granted:
        out.warnings.append(f"{label}: de besteding ({format_euro(expenditure)}) is hoger dan toegekend "
                            f"({format_euro(row.granted)}). Licht dit toe.")


def check_transfers_within_spending(*, regulation: str, transferred: int, spent: int, out: Outcome) -> None:
    """Money the mandate holder passed on to other gemeenten (H35B) is part of what it spent (H35 /01): more
    passed on than spent means one of the figures is wrong. A warning, as spending above the grant is."""
    if transferred > spent:
        codes = definition(regulation)
        out.warnings.append(f"{codes.sisa_transfer_code}: aan andere gemeenten is samen {format_euro(transferred)} "
                            f"doorbetaald, meer dan de besteding op {codes.sisa_code} ({format_euro(spent)}). Doorbetaald geld "
                            "hoort bij de besteding: controleer de bedragen of licht dit toe.")


def check_carry_over(*, regulation: str, year: int, carry_over: int | None, granted_total: int,
                     spent_total: int, out: Outcome) -> None:
    carry_over = carry_over or 0
    if carry_over < 0:
        out.add("carry_over", "Het doorgeschoven bedrag kan niet negatief zijn.")
        return
    if not carry_over:
        return
    if not carry_over_allowed(regulation, year):
        out.add("carry_over", "Alleen van 2025 naar 2026 (brede SPUK) kan geld worden doorgeschoven.")
        return
    cap = granted_total * CARRY_OVER_PERCENT // 100
    unspent = max(granted_total - spent_total, 0)
    if carry_over > cap:
        out.add("carry_over", f"U kunt ten hoogste {CARRY_OVER_PERCENT}% van de toekenning over 2025 doorschuiven: "
                              f"{format_euro(cap)} (niet {format_euro(carry_over)}).")
    elif carry_over > unspent:
        out.add("carry_over", f"U kunt niet meer doorschuiven dan er over 2025 niet is besteed: "
                              f"{format_euro(unspent)}.")


def reclaim(*, granted_over_period: int, cumulative: int) -> int:
    """Terugvordering at the final settlement: what was granted over the period and not spent (never < 0).
    Portal policy: the GALA is silent on reclaiming; that unspent money is reclaimed is practice of specific grants
    (the final determination), the year and the netting over years are the portal's until a source says otherwise."""
    return max(granted_over_period - cumulative, 0)
