"""The rules of an application, each written once: forms, selectors and services call these.

Plain functions on plain data (no requests, no URLs, no database writes), so that each rule can be tested
against the real reference data and reused by every regulation.
"""

from dataclasses import dataclass, field

from spukportal.money import format_euro


# --- the cap: how much may be requested ----------------------------------------------------------------

@dataclass(frozen=True)
class Caps:
    """What the applicant may request at most, from the period's allocation run.

    Until 2024 the brede SPUK was allocated per component; from 2025 on one budget line (the total line).
    For a year allocated per component each component has its own cap; for a year allocated on the total
    line the cap is on the sum of all components requested in that year."""

    per_component: dict = field(default_factory=dict)  # {(component_id, year): euros}
    per_year_total: dict = field(default_factory=dict)  # {year: euros} for years allocated on the total line

    @classmethod
    def from_allocations(cls, amounts: dict, total_component_ids) -> "Caps":
        per_component, totals = {}, {}
        for (component_id, year), amount in amounts.items():
            if component_id in total_component_ids:
                totals[year] = totals.get(year, 0) + amount
            else:
                per_component[(component_id, year)] = amount
        return cls(per_component, totals)

    def with_years_from(self, other: "Caps", years) -> "Caps":
        """These caps with `years` taken from `other` (a newer allocation run that covers only those years)."""
        years = set(years)
        return Caps({k: v for k, v in self.per_component.items() if k[1] not in years}
                    | {k: v for k, v in other.per_component.items() if k[1] in years},
                    {y: v for y, v in self.per_year_total.items() if y not in years}
                    | {y: v for y, v in other.per_year_total.items() if y in years})

    def for_component(self, component_id, year) -> int | None:
        """The cap of one component in one year; None when the year is capped as a whole."""
        if year in self.per_year_total:
            return None
        return self.per_component.get((component_id, year), 0)


NO_RUN_MESSAGE = ("Voor deze aanvraagperiode is nog geen verdeelberekening gekoppeld, dus er is nog geen maximum: "
                  "u kunt nog geen bedrag aanvragen. Het ministerie koppelt de berekening voordat de periode opent.")


def cap_problems(*, caps: Caps | None, years, choices: dict, names: dict) -> dict:
    """Requested amounts that break the cap or the period: {(component_id or None, year): Dutch message}.

    `choices`: {component_id: {"applied": bool, "amounts": {year: int | None}}}; only applied components
    count. `names`: {component_id: name}. A problem of a whole year's total has component_id None."""
    problems, totals = {}, {}
    for component_id, choice in choices.items():
        if not choice["applied"]:
            continue
        for year, amount in choice["amounts"].items():
            if amount is None:
                continue
            key = (component_id, year)
            if year not in years:
                problems[key] = f"{year} valt buiten deze aanvraagperiode."
            elif amount < 0:
                problems[key] = "Een bedrag kan niet negatief zijn."
            elif caps is None:
                if amount:
                    problems[key] = NO_RUN_MESSAGE
            else:
                cap = caps.for_component(component_id, year)
                if cap is None:
                    totals[year] = totals.get(year, 0) + amount
                elif amount > cap:
                    problems[key] = (f"U vraagt {format_euro(amount)} aan, maar voor {names.get(component_id, '')} "
                                     f"kunt u in {year} ten hoogste {format_euro(cap)} aanvragen.")
    for year, total in sorted(totals.items()):
        cap = caps.per_year_total[year]
        if total > cap:
            problems[(None, year)] = (f"U vraagt in {year} in totaal {format_euro(total)} aan, maar de toekenning "
                                      f"voor {year} is {format_euro(cap)}: samen kunnen de onderdelen niet meer "
                                      "zijn dan dat.")
    return problems


# --- the period's allocation run: the one source of the amounts ------------------------------------

def allocation_run_problems(*, regulation, first_year, last_year, run, in_sentence, opens_on=None,
                            today=None) -> list[str]:
    """Why `run` cannot be the allocation run of a period of `regulation` over `first_year`–`last_year`
    (Dutch messages, naming a regulation by `in_sentence(code)`; empty: it can). Its amounts cap every
    application of the period and are what the gemeenten see on "Mijn bedragen", so it must be a finished run
    of the same regulation with amounts for every year of the period. Missing years of the period (not filled
    in yet) are not checked. A period that opens on or before `today` must have a run (portal policy: without
    one nothing caps a request); a later one may be saved without, and stays closed until it has one."""
    if run is None:
        if opens_on is not None and today is not None and opens_on <= today:
            years = _years_text(list(range(first_year, last_year + 1))) if first_year and last_year else "de periode"
            return [f"Koppel een verdeelberekening met bedragen voor {years} voordat de periode opent (op "
                    f"{opens_on:%d-%m-%Y}): zonder berekening is er geen maximum voor wat een aanvrager vraagt."]
        return []
    problems = []
    if run.status != run.Status.FINISHED:
        problems.append(f"‘{run.name}’ is nog niet klaar; kies een afgeronde berekening.")
    if regulation and run.regulation != regulation:
        problems.append(f"‘{run.name}’ is een berekening voor de {in_sentence(run.regulation)}, maar deze "
                        f"aanvraagperiode is voor de {in_sentence(regulation)}. "
                        "Kies een berekening van dezelfde regeling.")
    if first_year and last_year and last_year >= first_year:
        covered = set(run.years or [])
        missing = [year for year in range(first_year, last_year + 1) if year not in covered]
        if missing:
            has = ", ".join(str(y) for y in sorted(covered)) or "geen enkel jaar"
            problems.append(f"‘{run.name}’ heeft geen bedragen voor {_years_text(missing)} (alleen voor {has}), "
                            f"maar de periode loopt van {first_year} tot en met {last_year}. Kies een berekening "
                            "met bedragen voor alle jaren van de periode.")
    return problems


def allocation_run_warning(run) -> str:
    """A warning (no refusal) for a run the gemeenten cannot see yet: they would be capped by amounts that are
    not on their "Mijn bedragen" page. Empty when there is nothing to warn about."""
    if run is None or run.is_published:
        return ""
    return (f"Let op: ‘{run.name}’ is nog niet zichtbaar voor gemeenten. Hun aanvragen worden wel door deze "
            "bedragen begrensd, maar op “Mijn bedragen” zien ze nog niets. Maak de berekening zichtbaar via "
            "Verdeling.")


def _years_text(years) -> str:
    words = [str(y) for y in years]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " en " + words[-1]


# --- completeness of the component choices -----------------------------------------------------------

@dataclass(frozen=True)
class ChoiceProblem:
    component: object
    field: str  # "applied", "amounts" or "reason": where the form shows it
    summary: str  # short, for the checklist
    message: str  # full, at the field


def choice_problems(components_and_choices) -> list[ChoiceProblem]:
    """What is missing in the component choices: [(component, applied, has_amount, reason)] → problems."""
    problems = []
    for component, applied, has_amount, reason in components_and_choices:
        if component.is_mandatory and not applied:
            problems.append(ChoiceProblem(
                component, "applied", f"{component.name} is verplicht",
                f"{component.name} is verplicht: vink dit onderdeel aan en vul de bedragen in. Zonder dit onderdeel "
                "kunt u de aanvraag niet indienen."))
        elif applied and not has_amount:
            problems.append(ChoiceProblem(component, "amounts", f"vul bedragen in voor {component.name}",
                                          "Vul voor ten minste één jaar een bedrag in."))
        elif not applied and not component.is_mandatory and not (reason or "").strip():
            problems.append(ChoiceProblem(component, "reason", f"geef een reden waarom u {component.name} niet aanvraagt",
                                          "Geef kort aan waarom dit onderdeel niet wordt aangevraagd."))
    return problems


def summarize(problems: list[str], limit: int = 3) -> str:
    """'a; b; c (en 2 meer)'."""
    text = "; ".join(problems[:limit])
    return text + (f" (en {len(problems) - limit} meer)" if len(problems) > limit else "")


# --- SPUK IZA budget lines -----------------------------------------------------------------------------

def line_problems(*, lines: list[dict], caps: Caps | None, years, members: set[int]) -> dict:
    """What is wrong with an IZA plan's budget lines: {(line index or None, field or None): Dutch message}.

    A local line needs a member gemeente of the region, a regional line none; a line that touches a brede
    SPUK component must say why it is no double funding; every year must lie in the period; and per year
    all lines together stay within the region's allocation (`caps.per_year_total`)."""
    problems, totals = {}, {}
    for i, line in enumerate(lines):
        n = f"Regel {i + 1}"
        if line["scope"] == "lokaal" and line.get("municipality") is None:
            problems[(i, "municipality")] = f"{n}: kies bij een lokale regel voor welke gemeente hij is."
        elif line["scope"] == "lokaal" and line["municipality"].pk not in members:
            problems[(i, "municipality")] = (f"{n}: {line['municipality'].name} hoort op de peildatum niet bij "
                                             "deze regio.")
        elif line["scope"] == "regionaal" and line.get("municipality") is not None:
            problems[(i, "municipality")] = f"{n}: een regionale regel hoort niet bij één gemeente."
        if line.get("brede_component") is not None and not (line.get("double_funding_note") or "").strip():
            problems[(i, "double_funding_note")] = (f"{n}: leg uit waarom dit geen dubbele financiering is met "
                                                    f"{line['brede_component'].name} uit de brede SPUK.")
        if line["year"] not in years:
            problems[(i, "year")] = f"{n}: {line['year']} valt buiten deze aanvraagperiode."
        else:
            totals[line["year"]] = totals.get(line["year"], 0) + line["amount"]
    if caps is None:
        for year, total in sorted(totals.items()):
            if total:
                problems[(None, year)] = NO_RUN_MESSAGE
    else:
        for year, total in sorted(totals.items()):
            cap = caps.per_year_total.get(year, 0)
            if total > cap:
                problems[(None, year)] = (f"De regels voor {year} zijn samen {format_euro(total)}; de toekenning aan "
                                          f"de regio voor {year} is {format_euro(cap)}.")
    return problems
