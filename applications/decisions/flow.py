"""The ministry's decision (beschikking), as data: its outcomes and the transitions that make it.

A decision is made by one of two transitions of the application's workflow (`toekennen`, `afwijzen`; guard,
DECIDE effect, audit code and the notice to the decision's recipients are there); this table says which outcome
each gives and how an outcome shows. The letter is a background job of its own (`DecisionLetter`).
"""

from dataclasses import dataclass

from ..models import GrantDecision
from ..intake.flow import TRANSITIONS, Tone

DecisionOutcome = GrantDecision.Outcome  # the stored outcome codes, defined once on the model


@dataclass(frozen=True)
class Outcome:
    code: str
    label: str
    tone: str
    granted: bool  # amounts and advance payments; otherwise the reasons of the rejection


OUTCOMES = {o.code: o for o in [
    Outcome(DecisionOutcome.GRANTED, "Toegekend", Tone.POSITIVE, granted=True),
    Outcome(DecisionOutcome.REJECTED, "Afgewezen", Tone.NEGATIVE, granted=False),
]}

OUTCOME_CHOICES = [(o.code, o.label) for o in OUTCOMES.values()]

# The transitions that make a decision, and the outcome each gives.
OUTCOME_OF = {"toekennen": DecisionOutcome.GRANTED, "afwijzen": DecisionOutcome.REJECTED}
DECISION_TRANSITIONS = {name: TRANSITIONS[name] for name in OUTCOME_OF}
