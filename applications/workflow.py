"""The life of an application, as data: its states and the transitions between them.

This table is the single source of truth: services look transitions up by name here, views and templates
derive every button ("may be submitted", "may be withdrawn") from it, and the UI takes each state's label,
explanation and tone from it. Stored state codes never change. Every transition goes through
`applications.services.application_transition`, which checks the source state and the guard, runs the
effects and writes the audit event.

Imports: this module imports `applications.permissions` (for the guards); that module must never import
this one or `applications.models` (see tests/test_import_cycles.py).
"""

from dataclasses import dataclass
from typing import Callable

from spukportal.permissions import Decision, deny

from . import permissions


class ApplicationState:
    """The stored state codes."""

    CONCEPT = "concept"
    INGEDIEND = "ingediend"
    IN_BEOORDELING = "in_beoordeling"
    AANVULLING_GEVRAAGD = "aanvulling_gevraagd"
    ADVIES_POSITIEF = "advies_positief"
    ADVIES_NEGATIEF = "advies_negatief"
    TOEGEKEND = "toegekend"
    AFGEWEZEN = "afgewezen"
    INGETROKKEN = "ingetrokken"


_S = ApplicationState  # a short name for the tables below


class Tone:
    """How a state looks in the UI (a CSS modifier; templates never test state codes)."""

    ACTION = "action"  # the applicant has something to do
    PROGRESS = "progress"  # someone else is working on it
    POSITIVE = "positive"
    NEGATIVE = "negative"
    CLOSED = "closed"


@dataclass(frozen=True)
class State:
    code: str
    label: str
    explanation: str  # what it means for the applicant, in words an applicant understands
    tone: str
    editable: bool = False  # the applicant may change the content


STATES = {
    s.code: s
    for s in [
        State(_S.CONCEPT, "Concept", "Uw gemeente werkt nog aan deze aanvraag. Alleen medewerkers van uw gemeente "
              "zien hem. Dien de aanvraag in vóór de sluitingsdatum.", Tone.ACTION, editable=True),
        State(_S.INGEDIEND, "Ingediend", "De aanvraag is ingediend en kan niet meer worden gewijzigd. De kerngroep "
              "neemt hem binnenkort in behandeling.", Tone.PROGRESS),
        State(_S.IN_BEOORDELING, "In beoordeling", "De kerngroep beoordeelt de aanvraag. U hoeft nu niets te doen; "
              "als er iets ontbreekt, vragen wij u om een aanvulling.", Tone.PROGRESS),
        State(_S.AANVULLING_GEVRAAGD, "Aanvulling gevraagd", "De kerngroep vraagt u de aanvraag aan te vullen. Pas "
              "de aanvraag aan en dien hem opnieuw in; de eerder ingediende versie blijft bewaard.", Tone.ACTION,
              editable=True),
        State(_S.ADVIES_POSITIEF, "Positief advies", "De kerngroep adviseert het ministerie de aanvraag toe te "
              "kennen. U ontvangt het besluit van het ministerie.", Tone.PROGRESS),
        State(_S.ADVIES_NEGATIEF, "Negatief advies", "De kerngroep adviseert het ministerie de aanvraag niet toe te "
              "kennen. U ontvangt het besluit van het ministerie.", Tone.PROGRESS),
        State(_S.TOEGEKEND, "Toegekend", "Het ministerie heeft de aanvraag toegekend. U ontvangt de beschikking.",
              Tone.POSITIVE),
        State(_S.AFGEWEZEN, "Afgewezen", "Het ministerie heeft de aanvraag afgewezen. In de beschikking staat waarom "
              "en hoe u bezwaar kunt maken.", Tone.NEGATIVE),
        State(_S.INGETROKKEN, "Ingetrokken", "Uw gemeente heeft deze aanvraag ingetrokken. Er wordt niets meer mee "
              "gedaan.", Tone.CLOSED),
    ]
}

STATE_CHOICES = [(s.code, s.label) for s in STATES.values()]


class Effect:
    """What a transition does besides changing the state (run by the transition service, in order; each
    maps to a function in `applications.services.EFFECTS`)."""

    FREEZE_VERSION = "freeze_version"  # check completeness and deadline, freeze a numbered version
    START_ASSESSMENT = "start_assessment"  # the first reviewer takes it; an assessment of the latest version
    REQUEST_ADDITIONS = "request_additions"  # the points the applicant must answer
    FINALIZE_ADVICE = "finalize_advice"  # the second reviewer agrees with the proposed advice
    DECIDE = "decide"  # the ministry's decision (beschikking) and its letter


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    guard: Callable  # (user, application) -> Decision: who may take it (from applications.permissions)
    label: str  # what the button says
    audit_action: str  # the audit event code (spukportal.audit.EVENTS)
    needs_note: bool = False  # the actor must say why (stored in the audit event)
    effects: tuple[str, ...] = ()


_APPLICANT_OPEN = frozenset({_S.CONCEPT, _S.INGEDIEND, _S.IN_BEOORDELING, _S.AANVULLING_GEVRAAGD})

TRANSITIONS = {
    t.name: t
    for t in [
        Transition("indienen", frozenset({_S.CONCEPT}), _S.INGEDIEND, permissions.acts_as_applicant,
                   "Aanvraag indienen", "aanvraag.ingediend", effects=(Effect.FREEZE_VERSION,)),
        Transition("opnieuw_indienen", frozenset({_S.AANVULLING_GEVRAAGD}), _S.INGEDIEND,
                   permissions.acts_as_applicant, "Aangevulde aanvraag indienen", "aanvraag.opnieuw_ingediend",
                   effects=(Effect.FREEZE_VERSION,)),
        Transition("intrekken", _APPLICANT_OPEN, _S.INGETROKKEN, permissions.acts_as_applicant,
                   "Aanvraag intrekken", "aanvraag.ingetrokken", needs_note=True),
        Transition("in_beoordeling_nemen", frozenset({_S.INGEDIEND}), _S.IN_BEOORDELING,
                   permissions.may_take_for_review, "In behandeling nemen", "aanvraag.in_beoordeling",
                   effects=(Effect.START_ASSESSMENT,)),
        Transition("aanvulling_vragen", frozenset({_S.IN_BEOORDELING}), _S.AANVULLING_GEVRAAGD,
                   permissions.acts_as_first_reviewer, "Aanvulling vragen", "aanvraag.aanvulling_gevraagd",
                   effects=(Effect.REQUEST_ADDITIONS,)),
        # The advice is final only when the second reviewer agrees with the first reviewer's proposal.
        Transition("positief_adviseren", frozenset({_S.IN_BEOORDELING}), _S.ADVIES_POSITIEF,
                   permissions.acts_as_second_reviewer, "Akkoord: positief advies", "aanvraag.advies_positief",
                   effects=(Effect.FINALIZE_ADVICE,)),
        Transition("negatief_adviseren", frozenset({_S.IN_BEOORDELING}), _S.ADVIES_NEGATIEF,
                   permissions.acts_as_second_reviewer, "Akkoord: negatief advies", "aanvraag.advies_negatief",
                   effects=(Effect.FINALIZE_ADVICE,)),
        Transition("toekennen", frozenset({_S.ADVIES_POSITIEF}), _S.TOEGEKEND, permissions.acts_as_ministry,
                   "Toekennen", "aanvraag.toegekend", effects=(Effect.DECIDE,)),
        Transition("afwijzen", frozenset({_S.ADVIES_POSITIEF, _S.ADVIES_NEGATIEF}), _S.AFGEWEZEN,
                   permissions.acts_as_ministry, "Afwijzen", "aanvraag.afgewezen", needs_note=True,
                   effects=(Effect.DECIDE,)),
    ]
}


def check(user, application, name: str) -> Decision:
    """May `user` take transition `name` on this application now (by state and by guard)?"""
    transition = TRANSITIONS[name]
    if application.state not in transition.sources:
        return deny(f"Een aanvraag met status ‘{STATES[application.state].label}’ kan niet: "
                                f"{transition.label.lower()}.")
    return transition.guard(user, application)


def available(user, application) -> list[Transition]:
    """The transitions this user may take now: the buttons to show."""
    return [t for t in TRANSITIONS.values() if check(user, application, t.name)]


def submission_for(state: str) -> Transition | None:
    """The applicant's transition that submits (freezes a version) from this state, if any."""
    return next((t for t in TRANSITIONS.values()
                 if state in t.sources and Effect.FREEZE_VERSION in t.effects), None)
