"""The life of a SiSa spending report, as data: its states and the transitions between them.

A concept is submitted (locked; its SiSa appendix is made by a background job) and, when a correction of it is
submitted later, replaced (it stays readable). A correction is a new report (a new version) that starts as a
concept. `monitoring.accountability.services.report_submit` takes the transitions from this table; templates take every
badge and "may do X" from it (`{{ report|sisa_state }}`); stored codes never change.
"""

from dataclasses import dataclass

from spukportal.process import Transition

from . import permissions


class ReportState:
    """The stored status codes (`SpendingReport.status`)."""

    CONCEPT = "concept"
    SUBMITTED = "ingediend"
    REPLACED = "vervangen"


_S = ReportState


class Effect:
    REPLACE_PREVIOUS = "replace_previous"  # the submitted version before this one is replaced
    MAKE_APPENDIX = "make_appendix"  # the SiSa appendix (PDF) job, after commit


@dataclass(frozen=True)
class State:
    code: str
    label: str
    tone: str  # the badge's modifier ("" for a plain badge)
    editable: bool = False  # the gemeente may change the content
    has_appendix: bool = False  # a SiSa appendix (PDF) is made for it
    replaced: bool = False  # a later, submitted correction took its place


STATES = {s.code: s for s in [
    State(_S.CONCEPT, "Concept", "closed", editable=True),
    State(_S.SUBMITTED, "Ingediend", "positive", has_appendix=True),
    State(_S.REPLACED, "Vervangen", "", has_appendix=True, replaced=True),
]}

STATE_CHOICES = [(s.code, s.label) for s in STATES.values()]

TRANSITIONS = {t.name: t for t in [
    Transition("indienen", frozenset({_S.CONCEPT}), _S.SUBMITTED, permissions.can_edit_report,
               "Indienen", "sisa.ingediend", effects=(Effect.REPLACE_PREVIOUS, Effect.MAKE_APPENDIX)),
    # Taken by the submission of a correction (a later version), on the version it replaces.
    Transition("vervangen", frozenset({_S.SUBMITTED}), _S.REPLACED, permissions.can_correct_report,
               "Vervangen door de correctie", "sisa.vervangen"),
]}
