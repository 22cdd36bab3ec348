"""The life of an application, as data: its states and the transitions between them.

Stored state names (the codes) never change. Every transition goes through
`applications.services.application_transition`, which checks this table and the permission and writes
the audit event.
"""

from dataclasses import dataclass
from typing import Callable

from spukportal import permissions


class S:
    CONCEPT = "concept"
    INGEDIEND = "ingediend"
    IN_BEOORDELING = "in_beoordeling"
    AANVULLING_GEVRAAGD = "aanvulling_gevraagd"
    ADVIES_POSITIEF = "advies_positief"
    ADVIES_NEGATIEF = "advies_negatief"
    TOEGEKEND = "toegekend"
    AFGEWEZEN = "afgewezen"
    INGETROKKEN = "ingetrokken"


@dataclass(frozen=True)
class State:
    code: str
    label: str
    explanation: str  # what it means for the gemeente, in words a gemeente understands
    editable: bool = False  # the gemeente may change the content


STATES = {
    s.code: s
    for s in [
        State(S.CONCEPT, "Concept", "Uw gemeente werkt nog aan deze aanvraag. Alleen medewerkers van uw gemeente "
              "zien hem. Dien de aanvraag in vóór de sluitingsdatum.", editable=True),
        State(S.INGEDIEND, "Ingediend", "De aanvraag is ingediend en kan niet meer worden gewijzigd. De kerngroep "
              "neemt hem binnenkort in behandeling."),
        State(S.IN_BEOORDELING, "In beoordeling", "De kerngroep beoordeelt de aanvraag. U hoeft nu niets te doen; "
              "als er iets ontbreekt, vragen wij u om een aanvulling."),
        State(S.AANVULLING_GEVRAAGD, "Aanvulling gevraagd", "De kerngroep vraagt u de aanvraag aan te vullen. Pas "
              "de aanvraag aan en dien hem opnieuw in; de eerder ingediende versie blijft bewaard.", editable=True),
        State(S.ADVIES_POSITIEF, "Positief advies", "De kerngroep adviseert het ministerie de aanvraag toe te "
              "kennen. U ontvangt het besluit van het ministerie."),
        State(S.ADVIES_NEGATIEF, "Negatief advies", "De kerngroep adviseert het ministerie de aanvraag niet toe te "
              "kennen. U ontvangt het besluit van het ministerie."),
        State(S.TOEGEKEND, "Toegekend", "Het ministerie heeft de aanvraag toegekend. U ontvangt de beschikking."),
        State(S.AFGEWEZEN, "Afgewezen", "Het ministerie heeft de aanvraag afgewezen. In de beschikking staat waarom "
              "en hoe u bezwaar kunt maken."),
        State(S.INGETROKKEN, "Ingetrokken", "Uw gemeente heeft deze aanvraag ingetrokken. Er wordt niets meer mee "
              "gedaan."),
    ]
}

STATE_CHOICES = [(s.code, s.label) for s in STATES.values()]


def _officer(user, application):
    return permissions.can_act_for_municipality(user, application.municipality)


def _reviewer(user, application):
    if permissions.is_reviewer(user):
        return permissions.ALLOW
    return permissions.deny("Alleen de kerngroep kan dit doen.")


def _ministry(user, application):
    if permissions.is_ministry(user):
        return permissions.ALLOW
    return permissions.deny("Alleen het ministerie kan dit doen.")


@dataclass(frozen=True)
class Transition:
    name: str
    source: str
    target: str
    allowed: Callable  # (user, application) -> Decision
    label: str  # what the button says
    action: str  # audit action code
    message: str  # audit/timeline text
    makes_version: bool = False  # freezes a new numbered version of the content


TRANSITIONS = [
    # The applicant's transitions (this issue).
    Transition("indienen", S.CONCEPT, S.INGEDIEND, _officer, "Aanvraag indienen",
               "aanvraag.ingediend", "Aanvraag ingediend", makes_version=True),
    Transition("opnieuw_indienen", S.AANVULLING_GEVRAAGD, S.INGEDIEND, _officer, "Aangevulde aanvraag indienen",
               "aanvraag.opnieuw_ingediend", "Aangevulde aanvraag opnieuw ingediend", makes_version=True),
    *[
        Transition("intrekken", source, S.INGETROKKEN, _officer, "Aanvraag intrekken",
                   "aanvraag.ingetrokken", "Aanvraag ingetrokken")
        for source in (S.CONCEPT, S.INGEDIEND, S.IN_BEOORDELING, S.AANVULLING_GEVRAAGD)
    ],
    # The reviewers' and ministry's transitions (screens follow in the review issue).
    Transition("in_beoordeling_nemen", S.INGEDIEND, S.IN_BEOORDELING, _reviewer, "In beoordeling nemen",
               "aanvraag.in_beoordeling", "Aanvraag in beoordeling genomen"),
    Transition("aanvulling_vragen", S.IN_BEOORDELING, S.AANVULLING_GEVRAAGD, _reviewer, "Aanvulling vragen",
               "aanvraag.aanvulling_gevraagd", "Aanvulling gevraagd"),
    Transition("positief_adviseren", S.IN_BEOORDELING, S.ADVIES_POSITIEF, _reviewer, "Positief adviseren",
               "aanvraag.advies_positief", "Positief advies gegeven"),
    Transition("negatief_adviseren", S.IN_BEOORDELING, S.ADVIES_NEGATIEF, _reviewer, "Negatief adviseren",
               "aanvraag.advies_negatief", "Negatief advies gegeven"),
    Transition("toekennen", S.ADVIES_POSITIEF, S.TOEGEKEND, _ministry, "Toekennen",
               "aanvraag.toegekend", "Aanvraag toegekend"),
    *[
        Transition("afwijzen", source, S.AFGEWEZEN, _ministry, "Afwijzen", "aanvraag.afgewezen", "Aanvraag afgewezen")
        for source in (S.ADVIES_POSITIEF, S.ADVIES_NEGATIEF)
    ],
]


def transition_for(source: str, target: str) -> Transition | None:
    for t in TRANSITIONS:
        if t.source == source and t.target == target:
            return t
    return None


def transitions_from(source: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == source]


def is_editable(state: str) -> bool:
    return STATES[state].editable
