"""The life of a determination (vaststelling), as data: its states and the transitions between them.

The ministry makes a concept (the figures of the final accounting, the cap applied year by year), determines it
(the letter is made, the ledger gets the determined amounts), and then either sends the reclaim (the ledger gets
the reclaimed amount) and registers its receipt or offset, or closes it without a reclaim.
`monitoring.determination.services.transition` takes the transitions from this table; templates take every badge
and "may do X" from it (`{{ determination|determination_state }}`); stored codes never change.
"""

from dataclasses import dataclass

from spukportal.process import Notice, Transition

from . import permissions


class DeterminationState:
    """The stored status codes (`Determination.status`)."""

    CONCEPT = "concept"
    DETERMINED = "vastgesteld"
    RECLAIM_SENT = "terugvordering_verzonden"
    SETTLED = "ontvangen"
    NO_RECLAIM = "geen_terugvordering"


_S = DeterminationState


class Effect:
    POST_DETERMINED = "post_determined"  # the determined amounts per year into the ledger
    MAKE_LETTER = "make_letter"  # the determination letter (PDF) job, after commit
    POST_RECLAIMED = "post_reclaimed"  # the reclaimed amounts per year into the ledger
    NOTE_RECLAIM_SENT = "note_reclaim_sent"
    NOTE_SETTLED = "note_settled"


@dataclass(frozen=True)
class State:
    code: str
    label: str
    tone: str  # the badge's modifier
    determined: bool = False  # the figures are fixed, the letter exists
    open_reclaim: bool = False  # a reclaim is sent and not yet received or offset
    closed: bool = False


STATES = {s.code: s for s in [
    State(_S.CONCEPT, "Concept", "closed"),
    State(_S.DETERMINED, "Vastgesteld", "progress", determined=True),
    State(_S.RECLAIM_SENT, "Terugvordering verzonden", "action", determined=True, open_reclaim=True),
    State(_S.SETTLED, "Ontvangen/verrekend", "positive", determined=True, closed=True),
    State(_S.NO_RECLAIM, "Geen terugvordering", "positive", determined=True, closed=True),
]}

STATE_CHOICES = [(s.code, s.label) for s in STATES.values()]

_TO_RECIPIENT = Notice(
    "recipient", "Vaststelling {regulation}: {reference}",
    "Het ministerie heeft de {regulation} van {recipient} vastgesteld op {determined}. Terugvordering: "
    "{reclaim}. U kunt bezwaar maken tot en met {objection_until}. De brief staat in het portaal.")
_RECLAIM_SENT = Notice(
    "recipient", "Terugvordering {regulation}: {reference}",
    "Het ministerie vordert {reclaim} terug van {recipient} ({regulation}, vaststelling {reference}).")

TRANSITIONS = {t.name: t for t in [
    Transition("vaststellen", frozenset({_S.CONCEPT}), _S.DETERMINED, permissions.can_determine,
               "Vaststellen", "vaststelling.vastgesteld", effects=(Effect.POST_DETERMINED, Effect.MAKE_LETTER),
               notices=(_TO_RECIPIENT,)),
    Transition("terugvorderen", frozenset({_S.DETERMINED}), _S.RECLAIM_SENT, permissions.can_send_reclaim,
               "Terugvordering verzenden", "vaststelling.terugvordering_verzonden",
               effects=(Effect.POST_RECLAIMED, Effect.NOTE_RECLAIM_SENT), notices=(_RECLAIM_SENT,)),
    Transition("ontvangen", frozenset({_S.RECLAIM_SENT}), _S.SETTLED, permissions.can_manage_determinations_on,
               "Ontvangst of verrekening registreren", "vaststelling.ontvangen", effects=(Effect.NOTE_SETTLED,)),
    Transition("afsluiten", frozenset({_S.DETERMINED}), _S.NO_RECLAIM, permissions.can_close_without_reclaim,
               "Afsluiten zonder terugvordering", "vaststelling.geen_terugvordering"),
]}
