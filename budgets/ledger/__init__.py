"""The grant ledger: one append-only record of the money per recipient (a gemeente or an IZA-region),
regulation, year and budget line — granted, advances scheduled and paid, spent, carried over, determined and
reclaimed. Every page that shows such money reads `selectors`; only `services` write.

budgets sits below applications and monitoring: this package never imports them. What a regulation's budget
lines are (split per component in a year or one line) is told by the regulation definitions, which register
themselves here (`know_regulation`), so `line_key` can be asked with a regulation code as well.
"""

_LINE_RULES: dict = {}  # {regulation code: definition with per_component(year)}


def know_regulation(definition) -> None:
    """Called by the regulation registry (applications.regulations) for every definition it registers."""
    _LINE_RULES[str(definition.code)] = definition


def forget_regulation(code: str) -> None:
    _LINE_RULES.pop(str(code), None)


def line_key(regulation, year: int, component_id) -> str:
    """The budget line of an amount: str(component_id) while the regulation is split per component in `year`,
    "" where the definition says one line for the whole regulation. `regulation`: a definition or a code."""
    definition = regulation if hasattr(regulation, "per_component") else _LINE_RULES[str(regulation)]
    if definition.per_component(year):
        if component_id is None:
            raise ValueError(f"{definition.code} {year} is split per component: a component is needed")
        return str(int(component_id))
    return ""
