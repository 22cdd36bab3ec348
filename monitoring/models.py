"""The models of the monitoring app, each defined in its room (`accountability`, `chains`, `dashboards`)
and collected here so that Django finds them (one app, one set of migrations)."""

from .accountability.models import (  # noqa: F401
    PriorGrant, SpendingReport, SisaAppendix, SpendingLine, SpendingTransfer, SisaBatch)
from .chains.models import (  # noqa: F401
    ChainApproach, ChainStage, ChainStateChange, ASSESSMENT_TARGET_PERCENT, INTERVENTION_TARGET_PERCENT,
    MAX_PEOPLE, FallPreventionFigures, percent)
from .dashboards.models import (  # noqa: F401
    Export)
