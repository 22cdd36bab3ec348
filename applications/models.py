"""The models of the applications app, each defined in its room (`intake`, `review`, `decisions`, `amendments`) and
collected here so that Django finds them (one app, one set of migrations)."""

from .intake.models import (  # noqa: F401
    SIGNATORY_ROLES, ApplicationPeriod, PeriodExtension, Application, ApplicationComponent,
    RequestedAmount, PlanSection, StoredPdf, Attachment, ApplicationVersion, PlanLine, MandateDeclaration,
    effective_closing_date, extended_closing_dates)
from .review.models import (  # noqa: F401
    Verdict, Advice, Assessment, AssessmentItem, AdditionRequest, AdditionPoint, Comment)
from .decisions.models import (  # noqa: F401
    DecisionBatch, GrantDecision, DecisionLetter, GrantDecisionLine, AdvancePayment)
from .amendments.models import (  # noqa: F401
    ChangeRequest, AmendmentBatch, AmendedDecision, AmendedDecisionLine, AmendedDecisionLetter)
