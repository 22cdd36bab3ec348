"""The life of an application, as data: its states and the transitions between them.

This table is the single source of truth: services look transitions up by name here, views and templates
derive every button ("may be submitted", "may be withdrawn") from it, and the UI takes each state's label,
explanation and tone from it. Stored state codes never change. Every transition goes through
`applications.intake.services.application_transition`, which checks the source state and the guard, runs the
effects and writes the audit event.

Imports: this module imports `applications.permissions` (for the guards); that module must never import
this one or `applications.models` (see tests/test_import_cycles.py).
"""

from dataclasses import dataclass

from spukportal.permissions import Decision, is_ministry, is_reviewer
from spukportal.process import Notice, Transition, check_transition

from .. import permissions


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


class Reader:
    """Who reads a state's explanation (each gets words about what it means for them)."""

    APPLICANT = "aanvrager"  # the officers who act for the applicant (IZA: the mandate holder's)
    MEMBER = "lid"  # a member gemeente of the applicant's IZA-regio, reading along
    REVIEWER = "beoordelaar"  # the kerngroep
    MINISTRY = "ministerie"


def reader_of(user, application) -> str:
    """Which reader `user` is of this application (the applicant's officers first: an officer who is also a
    reviewer reads their own application as applicant)."""
    if application.applicant.may_act(user):
        return Reader.APPLICANT
    if is_reviewer(user):
        return Reader.REVIEWER
    if is_ministry(user):
        return Reader.MINISTRY
    return Reader.MEMBER


@dataclass(frozen=True)
class State:
    code: str
    label: str
    explanation: str  # what it means for the applicant, in words an applicant understands
    tone: str
    editable: bool = False  # the applicant may change the content
    review_clock: bool = False  # the kerngroep's advice deadline runs (the queue marks it "te laat" when passed)
    for_member: str = ""  # what it means for a member gemeente of the region reading along
    for_reviewer: str = ""  # what it means for the kerngroep
    for_ministry: str = ""  # what it means for the ministry

    def explanation_for(self, reader: str) -> str:
        """The explanation in words for this reader (the applicant's when the state has none of its own)."""
        text = {Reader.MEMBER: self.for_member, Reader.REVIEWER: self.for_reviewer,
                Reader.MINISTRY: self.for_ministry}.get(reader, "")
        return text or self.explanation


_DECIDED_STAFF = "Het ministerie heeft besloten; de beschikking staat bij de aanvraag."

STATES = {
    s.code: s
    for s in [
        State(_S.CONCEPT, "Concept", "Uw gemeente werkt nog aan deze aanvraag. Alleen medewerkers van uw gemeente "
              "zien hem. Dien de aanvraag in vóór de sluitingsdatum.", Tone.ACTION, editable=True,
              for_member="De mandaatgemeente werkt nog aan deze aanvraag voor de regio. U leest mee; wijzigen en "
              "indienen doet de mandaatgemeente.",
              for_reviewer="De aanvrager werkt nog aan deze aanvraag; hij is nog niet ingediend.",
              for_ministry="De aanvrager werkt nog aan deze aanvraag; hij is nog niet ingediend."),
        State(_S.INGEDIEND, "Ingediend", "De aanvraag is ingediend en kan niet meer worden gewijzigd. De kerngroep "
              "neemt hem binnenkort in behandeling.", Tone.PROGRESS, review_clock=True,
              for_member="De mandaatgemeente heeft de aanvraag ingediend. De kerngroep neemt hem binnenkort in "
              "behandeling.",
              for_reviewer="De aanvraag is ingediend en wacht tot een beoordelaar hem in behandeling neemt.",
              for_ministry="De aanvraag is ingediend en wacht op de kerngroep."),
        State(_S.IN_BEOORDELING, "In beoordeling", "De kerngroep beoordeelt de aanvraag. U hoeft nu niets te doen; "
              "als er iets ontbreekt, vragen wij u om een aanvulling.", Tone.PROGRESS, review_clock=True,
              for_member="De kerngroep beoordeelt de aanvraag van de regio. U hoeft niets te doen.",
              for_reviewer="De aanvraag is in beoordeling: de eerste beoordelaar stelt een advies voor, de tweede "
              "beoordelaar maakt het definitief.",
              for_ministry="De kerngroep beoordeelt de aanvraag; daarna volgt haar advies aan u."),
        State(_S.AANVULLING_GEVRAAGD, "Aanvulling gevraagd", "De kerngroep vraagt u de aanvraag aan te vullen. Pas "
              "de aanvraag aan en dien hem opnieuw in; de eerder ingediende versie blijft bewaard.", Tone.ACTION,
              editable=True,
              for_member="De kerngroep heeft de mandaatgemeente gevraagd de aanvraag aan te vullen. De "
              "mandaatgemeente past hem aan en dient hem opnieuw in.",
              for_reviewer="De kerngroep heeft de aanvrager om een aanvulling gevraagd. Na het opnieuw indienen "
              "komt de aanvraag weer bij dezelfde beoordelaars.",
              for_ministry="De kerngroep heeft de aanvrager om een aanvulling gevraagd; de aanvrager is aan zet."),
        State(_S.ADVIES_POSITIEF, "Positief advies", "De kerngroep adviseert het ministerie de aanvraag toe te "
              "kennen. U ontvangt het besluit van het ministerie.", Tone.PROGRESS,
              for_member="De kerngroep adviseert het ministerie de aanvraag van de regio toe te kennen. Het "
              "ministerie besluit.",
              for_reviewer="Het advies is definitief: positief. Het ministerie neemt nu het besluit.",
              for_ministry="De kerngroep adviseert positief. De aanvraag wacht op uw besluit."),
        State(_S.ADVIES_NEGATIEF, "Negatief advies", "De kerngroep adviseert het ministerie de aanvraag niet toe te "
              "kennen. U ontvangt het besluit van het ministerie.", Tone.PROGRESS,
              for_member="De kerngroep adviseert het ministerie de aanvraag van de regio niet toe te kennen. Het "
              "ministerie besluit.",
              for_reviewer="Het advies is definitief: negatief. Het ministerie neemt nu het besluit.",
              for_ministry="De kerngroep adviseert negatief. De aanvraag wacht op uw besluit."),
        State(_S.TOEGEKEND, "Toegekend", "Het ministerie heeft de aanvraag toegekend. U ontvangt de beschikking.",
              Tone.POSITIVE, for_member="Het ministerie heeft de aanvraag van de regio toegekend.",
              for_reviewer=_DECIDED_STAFF, for_ministry=_DECIDED_STAFF),
        State(_S.AFGEWEZEN, "Afgewezen", "Het ministerie heeft de aanvraag afgewezen. In de beschikking staat waarom "
              "en hoe u bezwaar kunt maken.", Tone.NEGATIVE,
              for_member="Het ministerie heeft de aanvraag van de regio afgewezen. In de beschikking staat waarom.",
              for_reviewer=_DECIDED_STAFF, for_ministry=_DECIDED_STAFF),
        State(_S.INGETROKKEN, "Ingetrokken", "Uw gemeente heeft deze aanvraag ingetrokken. Er wordt niets meer mee "
              "gedaan.", Tone.CLOSED,
              for_member="De mandaatgemeente heeft deze aanvraag ingetrokken. Er wordt niets meer mee gedaan.",
              for_reviewer="De aanvrager heeft deze aanvraag ingetrokken. U hoeft hem niet verder te beoordelen.",
              for_ministry="De aanvrager heeft deze aanvraag ingetrokken."),
    ]
}

STATE_CHOICES = [(s.code, s.label) for s in STATES.values()]


class Effect:
    """What a transition does besides changing the state (run by the transition service, in order; each
    maps to a function in `applications.intake.services.EFFECTS`, which is told which transition ran)."""

    FREEZE_VERSION = "freeze_version"  # check completeness and deadline, freeze a numbered version
    START_ASSESSMENT = "start_assessment"  # the first reviewer takes it (unless assigned); an assessment of the latest version
    REQUEST_ADDITIONS = "request_additions"  # the points the applicant must answer
    FINALIZE_ADVICE = "finalize_advice"  # the second reviewer agrees with the proposed advice
    DECIDE = "decide"  # the ministry's decision (beschikking) and its letter


class Audience:
    """Who a notice goes to (resolved by `applications.notify.audience`)."""

    APPLICANT = "aanvrager"  # the officers who act for the applicant (IZA: the mandate holder's)
    REVIEWERS = "beoordelaars"  # the assigned first and second reviewer
    FIRST_REVIEWER = "eerste_beoordelaar"
    MINISTRY = "ministerie"  # every ministry officer
    DECISION_RECIPIENTS = "besluit_ontvangers"  # the applicant's officers (IZA: of every gemeente in the region)


class Link:
    """Where a notice links to (resolved by `applications.notify.link`)."""

    DETAIL = "detail"
    RECEIPT = "ontvangstbewijs"  # the receipt of the version just submitted


_A = Audience
_RECEIPT = ("Kenmerk: {reference}\nVersie: {version}\n\nDe ontvangstbevestiging met precies wat is ingediend kunt u "
            "downloaden in het portaal (pdf).")
_ADVICE_TO_APPLICANT = ("De kerngroep heeft {advice} geadviseerd over de aanvraag van {name} voor {period}. Het "
                        "ministerie neemt nu het besluit; u ontvangt de beschikking in het portaal.")
_ADVICE_TO_MINISTRY = ("De kerngroep heeft een definitief {advice} advies gegeven over de aanvraag van {name} voor "
                       "{period}. De aanvraag wacht op een besluit.")
_DECIDED = ("Het ministerie heeft de aanvraag {period} van {name} {outcome} (beschikking {decision_reference} van "
            "{decision_date}{decision_total}).\n\nU kunt de beschikking downloaden bij de aanvraag zodra de brief klaar "
            "is.")


def _advice_notices(advice: str) -> tuple[Notice, ...]:
    subject = "Advies kerngroep: " + advice + " over {name} ({reference})"
    return (Notice(_A.APPLICANT, subject, _ADVICE_TO_APPLICANT),
            Notice(_A.MINISTRY, subject, _ADVICE_TO_MINISTRY),
            Notice(_A.FIRST_REVIEWER, "Advies definitief: {reference_or_name}",
                   "De tweede beoordelaar is akkoord: het advies over de aanvraag van {name} is {target_label}.",
                   event="beoordeling.definitief"))


_APPLICANT_OPEN = frozenset({_S.CONCEPT, _S.INGEDIEND, _S.IN_BEOORDELING, _S.AANVULLING_GEVRAAGD})

TRANSITIONS = {
    t.name: t
    for t in [
        Transition("indienen", frozenset({_S.CONCEPT}), _S.INGEDIEND, permissions.acts_as_applicant,
                   "Aanvraag indienen", "aanvraag.ingediend", effects=(Effect.FREEZE_VERSION,), notices=(
                       Notice(_A.APPLICANT, "Ontvangstbevestiging {reference}: aanvraag {period} ingediend",
                              "De aanvraag van {name} voor {period} is ingediend door {actor}.\n\n" + _RECEIPT,
                              link=Link.RECEIPT),)),
        # A resubmission goes straight back to the assigned reviewers: the assessment of the new version starts,
        # with their earlier verdicts (nobody has to take the application again).
        Transition("opnieuw_indienen", frozenset({_S.AANVULLING_GEVRAAGD}), _S.IN_BEOORDELING,
                   permissions.acts_as_applicant, "Aangevulde aanvraag indienen", "aanvraag.opnieuw_ingediend",
                   effects=(Effect.FREEZE_VERSION, Effect.START_ASSESSMENT), notices=(
                       Notice(_A.APPLICANT, "Ontvangstbevestiging {reference}: aangevulde aanvraag {period} ingediend",
                              "De aangevulde aanvraag van {name} voor {period} is ingediend door {actor}.\n\n"
                              + _RECEIPT, link=Link.RECEIPT),
                       Notice(_A.REVIEWERS, "Aanvulling ontvangen: {name} ({reference})",
                              "{name} heeft de aanvraag voor {period} aangevuld en opnieuw ingediend (versie "
                              "{version}). De aanvraag staat weer bij u in beoordeling: u kunt de wijzigingen "
                              "bekijken en de beoordeling hervatten."))),
        Transition("intrekken", _APPLICANT_OPEN, _S.INGETROKKEN, permissions.acts_as_applicant,
                   "Aanvraag intrekken", "aanvraag.ingetrokken", needs_note=True, notices=(
                       Notice(_A.REVIEWERS, "Aanvraag ingetrokken: {name} ({reference_or_concept})",
                              "{name} heeft de aanvraag voor {period} ingetrokken. U hoeft deze aanvraag niet verder "
                              "te beoordelen.\n\nReden: {note}"),)),
        Transition("in_beoordeling_nemen", frozenset({_S.INGEDIEND}), _S.IN_BEOORDELING,
                   permissions.may_take_for_review, "In behandeling nemen", "aanvraag.in_beoordeling",
                   effects=(Effect.START_ASSESSMENT,)),
        Transition("aanvulling_vragen", frozenset({_S.IN_BEOORDELING}), _S.AANVULLING_GEVRAAGD,
                   permissions.acts_as_first_reviewer, "Aanvulling vragen", "aanvraag.aanvulling_gevraagd",
                   effects=(Effect.REQUEST_ADDITIONS,), notices=(
                       Notice(_A.APPLICANT, "Aanvulling gevraagd op uw aanvraag {reference}",
                              "De kerngroep vraagt een aanvulling op de aanvraag van {name} voor {period}. Beantwoord "
                              "elk punt in het portaal en dien de aanvraag daarna opnieuw in.\n\n{points}"),)),
        # The advice is final only when the second reviewer agrees with the first reviewer's proposal.
        Transition("positief_adviseren", frozenset({_S.IN_BEOORDELING}), _S.ADVIES_POSITIEF,
                   permissions.acts_as_second_reviewer, "Akkoord: positief advies", "aanvraag.advies_positief",
                   effects=(Effect.FINALIZE_ADVICE,), notices=_advice_notices("positief")),
        Transition("negatief_adviseren", frozenset({_S.IN_BEOORDELING}), _S.ADVIES_NEGATIEF,
                   permissions.acts_as_second_reviewer, "Akkoord: negatief advies", "aanvraag.advies_negatief",
                   effects=(Effect.FINALIZE_ADVICE,), notices=_advice_notices("negatief")),
        Transition("toekennen", frozenset({_S.ADVIES_POSITIEF}), _S.TOEGEKEND, permissions.acts_as_ministry,
                   "Toekennen", "aanvraag.toegekend", effects=(Effect.DECIDE,), notices=(
                       Notice(_A.DECISION_RECIPIENTS, "Aanvraag toegekend: {name}", _DECIDED, event="beschikking"),)),
        Transition("afwijzen", frozenset({_S.ADVIES_POSITIEF, _S.ADVIES_NEGATIEF}), _S.AFGEWEZEN,
                   permissions.acts_as_ministry, "Afwijzen", "aanvraag.afgewezen", needs_note=True,
                   effects=(Effect.DECIDE,), notices=(
                       Notice(_A.DECISION_RECIPIENTS, "Aanvraag afgewezen: {name}", _DECIDED, event="beschikking"),)),
    ]
}


def check(user, application, name: str) -> Decision:
    """May `user` take transition `name` on this application now (by state and by guard)?"""
    return check_transition(TRANSITIONS, STATES, user, application, application.state, name, "Een aanvraag")


def available(user, application) -> list[Transition]:
    """The transitions this user may take now: the buttons to show."""
    return [t for t in TRANSITIONS.values() if check(user, application, t.name)]


def submission_for(state: str) -> Transition | None:
    """The applicant's transition that submits (freezes a version) from this state, if any."""
    return next((t for t in TRANSITIONS.values()
                 if state in t.sources and Effect.FREEZE_VERSION in t.effects), None)


def _content_is_last_version() -> frozenset[str]:
    """The states in which an application's content is exactly its last submitted version: states the applicant
    cannot edit in, reached only by a transition that freezes a version or from another such state. (A withdrawal
    from a request for additions may leave changes that were never submitted: not such a state.)"""
    def reached_frozen(code, frozen):
        incoming = [t for t in TRANSITIONS.values() if t.target == code]
        return bool(incoming) and all(Effect.FREEZE_VERSION in t.effects or t.sources <= frozen for t in incoming)

    frozen: set[str] = set()
    while more := {code for code, state in STATES.items()
                   if code not in frozen and not state.editable and reached_frozen(code, frozen)}:
        frozen |= more
    return frozenset(frozen)


CONTENT_IS_LAST_VERSION = _content_is_last_version()
