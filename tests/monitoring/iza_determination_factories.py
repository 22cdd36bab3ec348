"""Helpers of the SPUK IZA determination tests. The demo's Flevoland has its SPUK IZA 2024–2026 granted before the
portal (booked for the region) and its SiSa 2024 submitted by Almere, the mandate holder (gemeente). These helpers
account 2025 and 2026 for the region as the mandate holder does it on the SiSa pages (2026 as the final
accounting), with chosen spending, so the determination has known figures. The SPUK IZA has no carry-over year:
what is not spent in a year is reclaimed, what is spent above a year's grant is not paid."""

from django.contrib.auth import get_user_model

from budgets.ledger import selectors as ledger_selectors
from budgets.models import Regulation
from monitoring import ledger_posting
from monitoring.accountability import services as sisa_services
from monitoring.determination import services
from monitoring.determination.models import Determination
from monitoring.models import PriorGrant, SpendingReport
from regions.models import Municipality, Region

ALMERE = "GM0034"  # mandate holder of Flevoland (demo user "gemeente")
REGION = "Flevoland"
UNDER_2025 = 30_000  # not spent in 2025: reclaimed (no carry-over in the SPUK IZA)
OVER_2026 = 10_000  # spent in 2026 above the grant: not paid


def user(username):
    return get_user_model().objects.get(username=username)


def region():
    return Region.objects.get(name=REGION)


def almere():
    return Municipality.objects.get(cbs_code=ALMERE)


def _granted():
    """Flevoland's demo grant live in the ledger (a scenario made earlier in the same database may have withdrawn
    the demo's pre-portal grants; booked again as the import books it). {year: euros}."""
    if not ledger_selectors.live_grants(region(), Regulation.SPUK_IZA):
        first = PriorGrant.objects.filter(region=region(), regulation=Regulation.SPUK_IZA).order_by("pk")[0]
        ledger_posting.post_prior_grant(first)
    return {year: pos.granted for year, pos in ledger_selectors.position(region(), Regulation.SPUK_IZA).items()
            if pos.granted}


def current(year):
    return SpendingReport.objects.filter(municipality=almere(), regulation=Regulation.SPUK_IZA, year=year,
                                         status=SpendingReport.Status.SUBMITTED).first()


def account(year, spent, *, final=False):
    """The region's submitted SiSa report for `year` with /01 = `spent` (a correction when one with other
    figures is submitted already), as the mandate holder submits it."""
    officer = user("gemeente")
    report = current(year)
    if report is not None:
        line = report.lines.get()
        if line.expenditure == spent and report.is_final == final:
            return report
        report = sisa_services.report_correct(actor=officer, report=report, reason="Besteding bijgewerkt (test).")
    else:
        report = sisa_services.report_start(actor=officer, municipality=almere(), regulation=Regulation.SPUK_IZA,
                                            year=year)
    frame = sisa_services.frame_of(report)
    previous = frame.previous.get(None, 0)
    transfers = {m: (0, 0, frame.previous_transfers.get(m, 0)) for m in frame.member_ids()}
    report, _ = sisa_services.report_save(actor=officer, report=report, data={
        "lines": {None: (spent, 0, previous + spent)}, "transfers": transfers, "self_executed": True,
        "is_final": final, "explanation": "Testverantwoording van de regio.", "carry_over": 0})
    return sisa_services.report_submit(actor=officer, report=report, enqueue=False)


def final_report(*, reclaim=True):
    """Flevoland accounted for every granted year (the demo's: 2024–2026), the last one final. reclaim=True: 2024
    as the demo has it (partly spent), 2025 underspent by UNDER_2025, the last year overspent by OVER_2026.
    reclaim=False: every year spent in full. (The sweeps make every matrix's objects in one database, where a
    scenario may have granted Flevoland other years: then those years are accounted.)"""
    granted = _granted()
    *earlier, last = sorted(granted)
    for year in earlier:
        if reclaim and year != 2025 and current(year) is not None:
            continue  # as the demo (or a scenario) has it
        account(year, granted[year] - (UNDER_2025 if reclaim and year == 2025 else 0))
    return account(last, granted[last] + (OVER_2026 if reclaim else 0), final=True)


def concept(*, reclaim=True):
    return services.concept_create(actor=user("ministerie"), report=final_report(reclaim=reclaim))


def determined(*, reclaim=True, render=False):
    d = concept(reclaim=reclaim)
    if d.letter_date is None:
        d = services.transition(actor=user("ministerie"), determination=d, name="vaststellen",
                                on=d.final_report.submitted_at.date(), enqueue=False)
    if render:
        services.letter_render(determination_id=d.pk)
    return Determination.objects.get(pk=d.pk)
