"""A change request (verzoek om wijziging) as data: its states and the transitions between them.

The applicant (IZA: the mandate holder) writes and submits it; where the regulation's definition says so
(`amendment_needs_advice`, portal policy) the ministry asks the kerngroep's advice first; the ministry grants it
(the AMEND effect makes the amended decision, its ledger entries and its letter) or rejects it with reasons.
Views and templates take every button, badge and "may do X" from here; stored codes never change.
"""

from dataclasses import dataclass

from spukportal.permissions import Decision
from spukportal.process import Notice, Transition, check_transition

from ..intake.flow import Tone
from . import permissions


class ChangeRequestState:
    """The stored status codes (`ChangeRequest.status`)."""

    CONCEPT = "concept"
    INGEDIEND = "ingediend"
    ADVIES_GEVRAAGD = "advies_gevraagd"
    GEADVISEERD = "geadviseerd"
    TOEGEKEND = "toegekend"
    AFGEWEZEN = "afgewezen"
    INGETROKKEN = "ingetrokken"


_S = ChangeRequestState


@dataclass(frozen=True)
class State:
    code: str
    label: str
    explanation: str
    tone: str
    editable: bool = False  # the applicant may still change it
    waits_for_ministry: bool = False  # in the ministry's queue
    waits_for_advice: bool = False  # in the kerngroep's queue


STATES = {s.code: s for s in [
    State(_S.CONCEPT, "Concept", "Uw verzoek is nog niet ingediend. Alleen medewerkers van de aanvrager zien het.",
          Tone.ACTION, editable=True),
    State(_S.INGEDIEND, "Ingediend", "Het ministerie beoordeelt uw verzoek om wijziging.", Tone.PROGRESS,
          waits_for_ministry=True),
    State(_S.ADVIES_GEVRAAGD, "Advies gevraagd aan de kerngroep", "De kerngroep adviseert het ministerie over uw "
          "verzoek.", Tone.PROGRESS, waits_for_advice=True),
    State(_S.GEADVISEERD, "Geadviseerd", "De kerngroep heeft geadviseerd; het ministerie neemt nu het besluit.",
          Tone.PROGRESS, waits_for_ministry=True),
    State(_S.TOEGEKEND, "Toegekend", "Het ministerie heeft de wijziging toegekend in een wijzigingsbesluit.",
          Tone.POSITIVE),
    State(_S.AFGEWEZEN, "Afgewezen", "Het ministerie heeft de wijziging afgewezen; de beschikking blijft zoals hij "
          "was.", Tone.NEGATIVE),
    State(_S.INGETROKKEN, "Ingetrokken", "Het verzoek is ingetrokken.", Tone.CLOSED),
]}

STATE_CHOICES = [(s.code, s.label) for s in STATES.values()]
OPEN_STATES = frozenset({_S.CONCEPT, _S.INGEDIEND, _S.ADVIES_GEVRAAGD, _S.GEADVISEERD})


class Effect:
    RECORD_ADVICE = "record_advice"  # the kerngroep's advice and its reasons on the request
    RECORD_DECISION = "record_decision"  # who decided, when, and why (the note)
    AMEND = "amend"  # the amended decision, its ledger entries and its letter
    SEND_BACK = "send_back"  # back to the applicant as a concept: no longer submitted, the advice cleared


class Audience:
    APPLICANT = "aanvrager"  # the officers who act for the applicant (IZA: the mandate holder's)
    DECISION_RECIPIENTS = "besluit_ontvangers"  # as the decision's (IZA: every member gemeente's officers)
    REVIEWERS = "kerngroep"  # every kerngroep member
    MINISTRY = "ministerie"


_A = Audience
_TO_MINISTRY = ("{name} vraagt een wijziging van beschikking {decision_reference} ({period}).\n\nReden: {reasons}")

TRANSITIONS = {t.name: t for t in [
    Transition("indienen", frozenset({_S.CONCEPT}), _S.INGEDIEND, permissions.acts_as_applicant,
               "Verzoek indienen", "wijziging.ingediend", notices=(
                   Notice(_A.MINISTRY, "Verzoek om wijziging: {name} ({decision_reference})", _TO_MINISTRY),
                   Notice(_A.APPLICANT, "Verzoek om wijziging ingediend: {decision_reference}",
                          "Uw verzoek om wijziging van beschikking {decision_reference} is ingediend door {actor}. "
                          "U hoort het besluit van het ministerie in het portaal."))),
    Transition("intrekken", frozenset({_S.CONCEPT, _S.INGEDIEND}), _S.INGETROKKEN, permissions.acts_as_applicant,
               "Verzoek intrekken", "wijziging.ingetrokken", needs_note=True),
    Transition("advies_vragen", frozenset({_S.INGEDIEND}), _S.ADVIES_GEVRAAGD, permissions.may_ask_advice,
               "Advies vragen aan de kerngroep", "wijziging.advies_gevraagd", notices=(
                   Notice(_A.REVIEWERS, "Advies gevraagd: wijziging {decision_reference} ({name})",
                          "Het ministerie vraagt uw advies over het verzoek van {name} om beschikking "
                          "{decision_reference} te wijzigen.\n\nReden van het verzoek: {reasons}"),)),
    Transition("positief_adviseren", frozenset({_S.ADVIES_GEVRAAGD}), _S.GEADVISEERD, permissions.may_advise,
               "Positief adviseren", "wijziging.geadviseerd", needs_note=True, effects=(Effect.RECORD_ADVICE,),
               notices=(Notice(_A.MINISTRY, "Advies kerngroep: positief over wijziging {decision_reference}",
                               "De kerngroep adviseert positief over de wijziging van {name}: {note}"),)),
    Transition("negatief_adviseren", frozenset({_S.ADVIES_GEVRAAGD}), _S.GEADVISEERD, permissions.may_advise,
               "Negatief adviseren", "wijziging.geadviseerd", needs_note=True, effects=(Effect.RECORD_ADVICE,),
               notices=(Notice(_A.MINISTRY, "Advies kerngroep: negatief over wijziging {decision_reference}",
                               "De kerngroep adviseert negatief over de wijziging van {name}: {note}"),)),
    Transition("toekennen", frozenset({_S.INGEDIEND, _S.GEADVISEERD}), _S.TOEGEKEND, permissions.may_decide,
               "Wijziging toekennen", "wijziging.toegekend", effects=(Effect.RECORD_DECISION, Effect.AMEND), notices=(
                   Notice(_A.DECISION_RECIPIENTS, "Wijziging toegekend: {name} ({amended_reference})",
                          "Het ministerie heeft de wijziging van beschikking {decision_reference} toegekend in "
                          "wijzigingsbesluit {amended_reference}, in totaal {amended_total}.\n\nU kunt het "
                          "wijzigingsbesluit downloaden bij de aanvraag zodra de brief klaar is.",
                          event="wijzigingsbesluit"),)),
    Transition("terugsturen", frozenset({_S.INGEDIEND, _S.GEADVISEERD}), _S.CONCEPT, permissions.may_decide,
               "Terugsturen naar de aanvrager", "wijziging.teruggestuurd", needs_note=True,
               effects=(Effect.SEND_BACK,), notices=(
                   Notice(_A.APPLICANT, "Verzoek om wijziging teruggestuurd: {decision_reference}",
                          "Het ministerie stuurt uw verzoek om wijziging van beschikking {decision_reference} "
                          "terug, zodat u het kunt aanpassen en opnieuw indienen.\n\nToelichting: {note}"),)),
    Transition("afwijzen", frozenset({_S.INGEDIEND, _S.GEADVISEERD}), _S.AFGEWEZEN, permissions.may_decide,
               "Wijziging afwijzen", "wijziging.afgewezen", needs_note=True, effects=(Effect.RECORD_DECISION,),
               notices=(Notice(_A.APPLICANT, "Wijziging afgewezen: {name} ({decision_reference})",
                               "Het ministerie heeft uw verzoek om wijziging van beschikking {decision_reference} "
                               "afgewezen; de beschikking blijft zoals hij was.\n\nReden: {note}"),)),
]}

ADVICE_OF = {"positief_adviseren": "positief", "negatief_adviseren": "negatief"}
DECIDING = ("toekennen", "afwijzen")
# Steps that take the request's amounts as they are: refused when the grant changed after the request was saved.
NEEDS_CURRENT_AMOUNTS = ("indienen", "toekennen")
ADVISING = tuple(ADVICE_OF)


def check(user, change_request, name: str) -> Decision:
    """May `user` take transition `name` on this change request now (by state and by guard)?"""
    return check_transition(TRANSITIONS, STATES, user, change_request, change_request.status, name,
                            "Een verzoek om wijziging")


def available(user, change_request, names=None) -> list[Transition]:
    return [t for t in TRANSITIONS.values()
            if (names is None or t.name in names) and check(user, change_request, t.name)]
