"""Demo of the final determination (`make run`); called by `manage.py load_demo_data` after the SiSa demo;
idempotent.

Kerkrade (gemeente3) has a full brede SPUK period 2025–2026 ready to be determined: granted before the portal
(one demo beschikking, `PriorGrant` rows with the amounts of the period's allocation run, booked in the
ledger), its SiSa 2025 submitted — underspent by its 10 % carry-over cap plus € 20.000, the cap carried over — and its SiSa 2026
submitted as the final accounting, overspent by the cap plus € 15.000. Determining it reclaims € 20.000 (netting
the period would give € 5.000) and does not pay the € 15.000."""

from django.contrib.auth import get_user_model
from django.db import transaction

from budgets.models import AllocationRun, Regulation
from budgets.selectors import allocation_amounts
from regions.models import Municipality

from .. import ledger_posting
from ..accountability import rules as sisa_rules
from ..accountability import services as sisa_services
from ..models import PriorGrant, SpendingReport

BREDE_RUN = "Demo: GALA-basisbegroting 2023–2026"
CBS_CODE = "GM0928"  # Kerkrade
YEARS = (2025, 2026)
BEYOND_CAP_2025 = 20_000  # unspent in 2025 above what may be carried over: reclaimed
OVER_2026 = 15_000  # spent in 2026 above the grant plus the carry-over: not paid


def _say(stdout, text):
    if stdout:
        stdout.write(text)


def _grants(kerkrade, actor) -> dict[int, int] | None:
    run = AllocationRun.objects.filter(name=BREDE_RUN, status=AllocationRun.Status.FINISHED).first()
    if run is None:
        return None
    amounts = {year: 0 for year in YEARS}
    for (_component_id, year), amount in allocation_amounts(run=run, municipality=kerkrade).items():
        if year in amounts and amount:
            amounts[year] += amount
    # One beschikking of before the portal for the whole period, booked in the ledger as the import books it.
    rows = [PriorGrant.objects.get_or_create(
        municipality=kerkrade, regulation=Regulation.BREDE_SPUK, year=year, component=None,
        defaults={"amount": amounts[year], "reference": f"DUS-I-2025-BSPUK-{CBS_CODE}", "imported_by": actor})[0]
        for year in YEARS]
    ledger_posting.post_prior_grant(rows[0], by=actor)
    return {row.year: row.amount for row in rows}


def _report(officer, kerkrade, year, *, spent, carry_over=0, final=False):
    report = sisa_services.report_start(actor=officer, municipality=kerkrade, regulation=Regulation.BREDE_SPUK,
                                        year=year)
    frame = sisa_services.frame_of(report)
    previous = frame.previous.get(None, 0)
    report, _ = sisa_services.report_save(actor=officer, report=report, data={
        "lines": {None: (spent, 0, previous + spent)}, "transfers": {}, "self_executed": True, "is_final": final,
        "explanation": ("Minder besteed dan toegekend: de inzet op valpreventie is later gestart." if year == 2025 else
                        "Meer besteed dan toegekend: de valpreventie-cursussen liepen door."),
        "carry_over": carry_over})
    report = sisa_services.report_submit(actor=officer, report=report, enqueue=False)
    sisa_services.appendix_render(report_id=report.pk)  # submitting booked the spending in the ledger
    return report


def load(stdout=None):
    User = get_user_model()
    officer = User.objects.filter(username="gemeente3").first()
    ministry = User.objects.filter(username="ministerie").first()
    kerkrade = Municipality.objects.filter(cbs_code=CBS_CODE).first()
    if officer is None or kerkrade is None:
        _say(stdout, "Vaststelling: demo overgeslagen (Kerkrade of het demo-account ontbreekt).")
        return
    if SpendingReport.objects.filter(municipality=kerkrade, regulation=Regulation.BREDE_SPUK).exists():
        return
    with transaction.atomic():
        granted = _grants(kerkrade, ministry)
        if not granted or not all(granted.values()):
            _say(stdout, "Vaststelling: demo overgeslagen (de demo-berekening ontbreekt).")
            return
        cap = granted[2025] * sisa_rules.CARRY_OVER_PERCENT // 100
        _report(officer, kerkrade, 2025, spent=granted[2025] - cap - BEYOND_CAP_2025, carry_over=cap)
        _report(officer, kerkrade, 2026, spent=granted[2026] + cap + OVER_2026, final=True)
    _say(stdout, "Vaststelling: Kerkrade brede SPUK 2025 en 2026 (eindverantwoording) ingediend; klaar om vast te "
                 "stellen (terugvordering € 20.000).")
