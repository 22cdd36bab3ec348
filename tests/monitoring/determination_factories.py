"""Helpers of the determination tests: the demo's Kerkrade (gemeente3) has its brede SPUK 2025–2026 accounted,
2026 as the final accounting: 2025 underspent beyond the 10 % cap, 2026 overspent."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from budgets.models import Regulation
from budgets.ledger import selectors as ledger_selectors
from monitoring import ledger_posting
from monitoring.determination import services
from monitoring.determination.models import Determination, DeterminationBatch
from monitoring.models import PriorGrant, SpendingReport
from spukportal.models import JobStatus

KERKRADE = "GM0928"


def letter_date():
    """The demo's accountings are submitted today (when the test data is loaded): the letter is dated today."""
    return timezone.localdate()


def user(username):
    return get_user_model().objects.get(username=username)


def final_report():
    return SpendingReport.objects.get(municipality__cbs_code=KERKRADE, regulation=Regulation.BREDE_SPUK, year=2026,
                                      status=SpendingReport.Status.SUBMITTED)


def _granted():
    """Kerkrade's demo grant live in the ledger: a test scenario made in the same database before (the authorization
    walk makes every matrix's objects at once) withdraws the demo's pre-portal grants (tests/applications/factories.py
    `without_prior_grants`); it is booked again, as the import would."""
    report = final_report()
    if not ledger_selectors.live_grants(report.municipality, report.regulation):
        first = PriorGrant.objects.filter(municipality=report.municipality, regulation=report.regulation).order_by("pk")[0]
        ledger_posting.post_prior_grant(first)
    return report


def concept():
    return services.concept_create(actor=user("ministerie"), report=_granted())


def determined(render=True):
    d = concept()
    if d.letter_date is None:
        d = services.transition(actor=user("ministerie"), determination=d, name="vaststellen", on=letter_date(),
                                enqueue=False)
    if render:
        services.letter_render(determination_id=d.pk)
    return Determination.objects.get(pk=d.pk)


def batch(failed=False):
    """A batch row (no recipients); `failed`: it stopped with a failure, so it may be started again."""
    return DeterminationBatch.objects.create(regulation=Regulation.BREDE_SPUK, letter_date=letter_date(),
                                             created_by=user("ministerie"), total=0,
                                             **({"status": JobStatus.FAILED, "error": "1 van 1 niet gelukt."}
                                                if failed else {}))
