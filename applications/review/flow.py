"""The kerngroep's assessment of one submitted version, as data: its states and the transitions between them.

The first reviewer writes the assessment and puts the advice to the second reviewer ("voorleggen"), who agrees
or sends it back ("terugsturen"). Agreeing is the application's advice transition (`positief_adviseren` /
`negatief_adviseren`, whose FINALIZE_ADVICE effect makes the assessment final) and a request for additions
(`aanvulling_vragen`) closes it; both are listed here so that every state change of an assessment is in one
table. Views and templates take every button, badge and "may do X" from here; stored codes never change.
"""

from dataclasses import dataclass

from spukportal.permissions import Decision, deny
from spukportal.process import Notice, Transition, check_transition

from .. import permissions
from ..intake.flow import ApplicationState, Tone


class AssessmentState:
    """The stored status codes of an assessment (`Assessment.status`)."""

    DRAFT = "concept"
    PROPOSED = "ter_controle"
    RETURNED = "teruggestuurd"
    FINAL = "definitief"
    CLOSED = "afgesloten"


class Advice:
    POSITIVE = "positief"
    NEGATIVE = "negatief"


_R = AssessmentState
FIRST, SECOND = "eerste", "tweede"  # whose turn it is


@dataclass(frozen=True)
class State:
    code: str
    label: str
    tone: str
    waits_for: str = ""  # FIRST or SECOND: the reviewer whose turn it is (the queue filter "wacht op mij")
    editable: bool = False  # the first reviewer may change verdicts, advice and reasons
    returned: bool = False  # the second reviewer sent it back (with a comment for the first)


STATES = {s.code: s for s in [
    State(_R.DRAFT, "In bewerking (eerste beoordelaar)", Tone.PROGRESS, waits_for=FIRST, editable=True),
    State(_R.PROPOSED, "Ter controle bij de tweede beoordelaar", Tone.ACTION, waits_for=SECOND),
    State(_R.RETURNED, "Teruggestuurd door de tweede beoordelaar", Tone.ACTION, waits_for=FIRST, editable=True,
          returned=True),
    State(_R.FINAL, "Definitief advies", Tone.POSITIVE),
    State(_R.CLOSED, "Afgesloten (aanvulling gevraagd)", Tone.CLOSED),
]}

STATE_CHOICES = [(s.code, s.label) for s in STATES.values()]


class Audience:
    FIRST_REVIEWER = "eerste_beoordelaar"
    # The second reviewer (one assigned or taking the role while a proposal waits is told then).
    SECOND_REVIEWER = "tweede_beoordelaar"


_OPEN = frozenset({_R.DRAFT, _R.PROPOSED, _R.RETURNED})

PROPOSAL_NOTICE = Notice(Audience.SECOND_REVIEWER, "Advies ter controle: {reference_or_name}",
                         "{actor} legt u een {advice} advies voor over de aanvraag van {name}. Geef akkoord of "
                         "stuur het terug.", event="beoordeling.voorgelegd")

TRANSITIONS = {t.name: t for t in [
    Transition("voorleggen", frozenset({_R.DRAFT, _R.RETURNED}), _R.PROPOSED, permissions.acts_as_first_reviewer,
               "Voorleggen aan de tweede beoordelaar", "beoordeling.voorgelegd", notices=(PROPOSAL_NOTICE,)),
    Transition("terugsturen", frozenset({_R.PROPOSED}), _R.RETURNED, permissions.acts_as_second_reviewer,
               "Terugsturen naar de eerste beoordelaar", "beoordeling.teruggestuurd", needs_note=True, notices=(
                   Notice(Audience.FIRST_REVIEWER, "Advies teruggestuurd: {reference_or_name}",
                          "De tweede beoordelaar stuurt uw advies over de aanvraag van {name} terug: {note}",
                          event="beoordeling.teruggestuurd"),)),
    # Taken by the application's advice transitions (their audit event and notices are there).
    Transition("akkoord", frozenset({_R.PROPOSED}), _R.FINAL, permissions.acts_as_second_reviewer,
               "Akkoord", ""),
    # Taken by the application's `aanvulling_vragen` (its audit event and notice are there).
    Transition("afsluiten", _OPEN, _R.CLOSED, permissions.acts_as_first_reviewer, "Aanvulling vragen", ""),
]}

# The application's transition that makes the advice final, per proposed advice, and back.
ADVICE_TRANSITION = {Advice.POSITIVE: "positief_adviseren", Advice.NEGATIVE: "negatief_adviseren"}
ADVICE_OF = {name: advice for advice, name in ADVICE_TRANSITION.items()}


def check(user, application, assessment, name: str) -> Decision:
    """May `user` take transition `name` on the current assessment of `application` now?"""
    if assessment is None or application.state != ApplicationState.IN_BEOORDELING:
        return deny("Deze aanvraag is niet in beoordeling.")
    return check_transition(TRANSITIONS, STATES, user, application, assessment.status, name, "Een beoordeling")
