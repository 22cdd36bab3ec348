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
# Carry-over: at most 10 % of the carry-over year's grant moves to the next year. Source: the VWS letter
# "Wijziging SPUK IZA en Brede SPUK" of 12-09-2025 (ref. 4190863-1084972-DMO) — the GALA is silent on it. That
# the cap binds year by year (no netting of an overspent year against an earlier underspent one beyond the cap)
# is portal policy until a source says otherwise (`settle`).
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


def final_year_problem(*, is_final: bool, year: int, last_grant_year: int | None) -> str | None:
    """/05 Eindverantwoording "Ja" only on the report of the grant's last year (portal policy: the final
    accounting closes the whole grant period, so it can only come after the last year's spending)."""
    if not is_final or last_grant_year is None or year == last_grant_year:
        return None
    if year < last_grant_year:
        return (f"De eindverantwoording hoort bij het laatste jaar van de toekenning ({last_grant_year}); over "
                f"{year} kiest u 'Nee'.")
    return f"Over {year} is niets toegekend; de eindverantwoording hoort bij {last_grant_year}."


@dataclass(frozen=True)
class YearFigures:
    """What one grant year brings to the final settlement: granted and spent (whole euros, spent >= 0).
    `lines`: {line key: (granted, spent)} when the year is accounted per component; then an overspent line
    does not make up for an underspent one (each line is capped at its own grant)."""

    year: int
    granted: int
    spent: int
    lines: dict | None = None


@dataclass(frozen=True)
class SettledYear:
    year: int
    granted: int
    spent: int
    carried_in: int  # from the year before (within its cap)
    cap: int  # what this year may carry to the next (0 where no carry-over is allowed)
    carried_out: int  # to the next year
    determined: int  # the spending accepted for this year (never more than granted + carried in)
    reclaim: int  # unspent and not carried over: reclaimed
    not_paid: int  # spending above granted + carried in: not paid


@dataclass(frozen=True)
class Settlement:
    years: list  # [SettledYear] in year order

    @property
    def granted(self) -> int:
        return sum(y.granted for y in self.years)

    @property
    def determined(self) -> int:
        return sum(y.determined for y in self.years)

    @property
    def reclaim(self) -> int:
        return sum(y.reclaim for y in self.years)

    @property
    def spent(self) -> int:
        return sum(y.spent for y in self.years)

    @property
    def not_paid(self) -> int:
        return sum(y.not_paid for y in self.years)


def settle(figures, *, carry_over_years=frozenset(), percent: int = CARRY_OVER_PERCENT) -> Settlement:
    """The final settlement (vaststelling), year by year in order. Portal policy (the GALA is silent on the
    determination; the cap itself is the VWS letter's, see CARRY_OVER_PERCENT). Per year the grant plus what was carried in is
    available; spending up to that is determined; what is left over may move to the next year up to the cap
    (`percent` of THIS year's grant, only from a year in `carry_over_years` to a next year that is in the
    settlement), the rest is reclaimed; spending above what was available is not paid. So the cap binds every
    year: an underspent year's money beyond its cap is reclaimed even when a later year overspends.

    Invariants (tests): reclaim >= 0, determined >= 0, determined + reclaim = granted over all years, and no
    carry-over exceeds its cap."""
    figures = sorted(figures, key=lambda f: f.year)
    present = {f.year for f in figures}
    out, carried_in = [], 0
    for f in figures:
        if f.lines and len(f.lines) > 1:
            within = sum(min(max(s, 0), max(g, 0)) for g, s in f.lines.values())
            over = sum(max(s - g, 0) for g, s in f.lines.values())
            used = within + min(carried_in, over)
        else:
            used = min(max(f.spent, 0), f.granted + carried_in)
        used = max(min(used, f.granted + carried_in), 0)
        left = f.granted + carried_in - used
        may_carry = f.year in carry_over_years and f.year + 1 in present
        cap = max(f.granted, 0) * percent // 100 if may_carry else 0
        carried_out = min(left, cap)
        out.append(SettledYear(year=f.year, granted=f.granted, spent=f.spent, carried_in=carried_in, cap=cap,
                               carried_out=carried_out, determined=used, reclaim=left - carried_out,
                               not_paid=max(f.spent - used, 0)))
        carried_in = carried_out
    return Settlement(out)
