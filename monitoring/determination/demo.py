"""Demo of the final determination (`make run`); called by `manage.py load_demo_data` after the SiSa demo;
idempotent.

Heerlen (gemeente4) walks the whole chain in the portal: its application 2024–2026 is granted (the decisions
demo's path), its change request lowers 2026 and is granted in an amended decision (-W1), every advance is paid,
its SiSa 2024, 2025 and 2026 (the final accounting) are submitted — 2025 underspent by its carry-over cap plus
€ 12.500, 2026 overspent by the cap plus € 10.000 — and it is ready to be determined: the reclaim is € 12.500.

Kerkrade (gemeente3) has a full brede SPUK period 2025–2026 ready to be determined: granted before the portal
(one demo beschikking, `PriorGrant` rows with the amounts of the period's allocation run, booked in the
ledger), its SiSa 2025 submitted — underspent by its 10 % carry-over cap plus € 20.000, the cap carried over — and its SiSa 2026
submitted as the final accounting, overspent by the cap plus € 15.000. Determining it reclaims € 20.000 (netting
the period would give € 5.000) and does not pay the € 15.000."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from applications.amendments import selectors as amendment_selectors
from applications.amendments import services as amendments
from applications.amendments.services import letter_render as amended_letter_render
from applications.decisions import demo as decisions_demo
from applications.decisions.decide import advance_mark_paid
from applications.models import AmendedDecision, ApplicationPeriod, GrantDecision

from budgets.ledger import selectors as ledger
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
CHAIN_CBS_CODE = "GM0917"  # Heerlen: decision → change request → amended decision → SiSa → determination
CHAIN_PERIOD = "2024–2026"
CHAIN_LOWERED_2026 = 25_000  # the change request lowers Heerlen's largest 2026 line by this much
CHAIN_BEYOND_CAP_2025 = 12_500  # reclaimed
CHAIN_OVER_2026 = 10_000  # not paid


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


def _report(officer, municipality, year, *, spent, carry_over=0, final=False):
    """Submit the gemeente's SiSa report of `year`: `spent` on the one budget line, or None: every line of a
    year accounted per component spent as granted."""
    report = sisa_services.report_start(actor=officer, municipality=municipality, regulation=Regulation.BREDE_SPUK,
                                        year=year)
    frame = sisa_services.frame_of(report)
    if spent is None:
        lines = {key: (frame.granted.lines.get(key, 0), 0, frame.previous.get(key, 0) + frame.granted.lines.get(key, 0))
                 for key in frame.line_keys}
    else:
        lines = {None: (spent, 0, frame.previous.get(None, 0) + spent)}
    report, _ = sisa_services.report_save(actor=officer, report=report, data={
        "lines": lines, "transfers": {}, "self_executed": True, "is_final": final,
        "explanation": {2024: "Besteed zoals toegekend.",
                        2025: "Minder besteed dan toegekend: de inzet op valpreventie is later gestart."}.get(
                            year, "Meer besteed dan toegekend: de valpreventie-cursussen liepen door."),
        "carry_over": carry_over})
    report = sisa_services.report_submit(actor=officer, report=report, enqueue=False)
    sisa_services.appendix_render(report_id=report.pk)  # submitting booked the spending in the ledger
    return report


def _chain(stdout, ministry):
    """Heerlen (gemeente4): granted in the portal, changed (W1), advances paid, SiSa 2024–2026 submitted."""
    officer = get_user_model().objects.filter(username="gemeente4").first()
    heerlen = Municipality.objects.filter(cbs_code=CHAIN_CBS_CODE).first()
    period = ApplicationPeriod.objects.filter(name=CHAIN_PERIOD).first()
    staff = {u.username: u for u in get_user_model().objects.filter(username__in=["kerngroep", "kerngroep2"])}
    if officer is None or heerlen is None or period is None or len(staff) < 2 or ministry is None:
        _say(stdout, "Vaststelling: keten-demo overgeslagen (Heerlen, de periode 2024–2026 of demo-accounts "
                     "ontbreken).")
        return
    if SpendingReport.objects.filter(municipality=heerlen, regulation=Regulation.BREDE_SPUK).exists():
        return
    today = timezone.localdate()
    with transaction.atomic():
        decision = GrantDecision.objects.filter(application__period=period, application__municipality=heerlen,
                                                outcome=GrantDecision.Outcome.GRANTED).first()
        if decision is None:
            decision = decisions_demo.grant(heerlen, officer, {**staff, "ministerie": ministry}, period,
                                            signatory=("M. Smeets (wethouder van Heerlen)", "wethouder van Heerlen"))
        if not AmendedDecision.objects.filter(decision=decision).exists():
            request = amendments.change_request_start(actor=officer, application=decision.application)
            lines = [dict(line) for line in request.lines]
            largest = max((line for line in lines if line["year"] == 2026), key=lambda line: line["amount"])
            largest["amount"] -= CHAIN_LOWERED_2026
            request = amendments.change_request_save(
                actor=officer, change_request=request, plan_text="",
                reasons="De valpreventie in 2026 wordt deels regionaal betaald; wij hebben minder nodig.", lines=lines)
            request = amendments.change_request_transition(actor=officer, change_request=request,
                                                           transition="indienen")
            request = amendments.change_request_transition(actor=ministry, change_request=request,
                                                           transition="toekennen", decided_on=today)
            amended_letter_render(amended_id=amendment_selectors.latest_amendment(decision).pk)
        for payment in decision.payments.filter(paid_on__isnull=True).order_by("pk"):
            advance_mark_paid(actor=ministry, payment=payment, paid_on=today)
        granted = {year: pos.granted for year, pos in ledger.position(heerlen, Regulation.BREDE_SPUK).items()}
        cap = granted[2025] * sisa_rules.CARRY_OVER_PERCENT // 100
        _report(officer, heerlen, 2024, spent=None)
        _report(officer, heerlen, 2025, spent=granted[2025] - cap - CHAIN_BEYOND_CAP_2025, carry_over=cap)
        _report(officer, heerlen, 2026, spent=granted[2026] + cap + CHAIN_OVER_2026, final=True)
    _say(stdout, "Vaststelling: Heerlen (gemeente4) toegekend, gewijzigd (-W1), voorschotten betaald, SiSa 2024–2026 "
                 "ingediend; klaar om vast te stellen (terugvordering € 12.500).")


def _kerkrade(stdout, ministry):
    officer = get_user_model().objects.filter(username="gemeente3").first()
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


def load(stdout=None):
    ministry = get_user_model().objects.filter(username="ministerie").first()
    _kerkrade(stdout, ministry)
    _chain(stdout, ministry)
