"""Demo of the SiSa spending reports (`make run`); called by `manage.py load_demo_data` after the other
demos; idempotent.

Almere's demo application 2024–2026 is still a concept (other journeys use it), so its grants come from
demo `PriorGrant` rows — "toegekend vóór het portaal", booked in the grant ledger; deciding that application
later is refused for these years unless the ministry explicitly replaces the pre-portal grant — with the amounts of the period's linked allocation
run (brede SPUK, Almere) and of the IZA run (Flevoland, to Almere as mandate holder):
- Almere's brede SPUK 2024 report submitted (per component), its SiSa PDF made; its 2025 report a concept;
- Flevoland's SPUK IZA 2024 report (H35, with an H35B row for Lelystad) submitted by Almere."""

from django.contrib.auth import get_user_model
from django.db import transaction

from budgets.models import AllocationRun, Component, Regulation
from budgets.selectors import allocation_amounts, region_allocation_amounts
from regions.models import Municipality, Region

from .. import ledger_posting
from . import services as sisa_services
from ..models import PriorGrant, SpendingReport

BREDE_RUN = "Demo: GALA-basisbegroting 2023–2026"
IZA_RUN = "Demo: SPUK IZA 2023–2026"
YEARS = (2024, 2025, 2026)


def _say(stdout, text):
    if stdout:
        stdout.write(text)


def _prior_grants(almere, flevoland, actor):
    brede = AllocationRun.objects.filter(name=BREDE_RUN, status=AllocationRun.Status.FINISHED).first()
    iza = AllocationRun.objects.filter(name=IZA_RUN, status=AllocationRun.Status.FINISHED).first()
    if brede is None or iza is None:
        return False
    totals = set(Component.objects.filter(is_total=True).values_list("pk", flat=True))
    amounts = {}
    for (component_id, year), amount in allocation_amounts(run=brede, municipality=almere).items():
        if year not in YEARS or not amount or (year < 2025 and component_id in totals):
            continue
        key = (year, component_id if year < 2025 else None)
        amounts[key] = amounts.get(key, 0) + amount
    for (year, component_id), amount in sorted(amounts.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        PriorGrant.objects.get_or_create(
            municipality=almere, regulation=Regulation.BREDE_SPUK, year=year, component_id=component_id,
            defaults={"amount": amount, "reference": f"DUS-I-{year}-BSPUK-GM0034", "imported_by": actor})
    for year in YEARS:
        amount = sum(a for (c, y), a in region_allocation_amounts(run=iza, region=flevoland).items() if y == year)
        if amount:
            PriorGrant.objects.get_or_create(
                municipality=almere, region=flevoland, regulation=Regulation.SPUK_IZA, year=year, component=None,
                defaults={"amount": amount, "reference": f"DUS-I-{year}-IZA-FLEVOLAND", "imported_by": actor})
    for grant in PriorGrant.objects.filter(municipality=almere).order_by("pk"):  # one booking per beschikking
        if ledger_posting.prior_grant_group(grant)[0].pk == grant.pk:
            ledger_posting.post_prior_grant(grant, by=actor)
    return True


def _fill(report, officer, share=0.9, submit=False):
    frame = sisa_services.frame_of(report)
    lines = {}
    for key in frame.line_keys:
        spent = int(frame.granted.lines.get(key, 0) * share)
        lines[key] = (spent, 0, frame.previous.get(key, 0) + spent)
    transfers = {}
    for member_id in frame.member_ids():
        spent = int(frame.granted.total * 0.2)
        transfers[member_id] = (spent, 0, frame.previous_transfers.get(member_id, 0) + spent)
    report, _ = sisa_services.report_save(actor=officer, report=report, data={
        "lines": lines, "transfers": transfers, "self_executed": True, "is_final": False,
        "explanation": "Enkele activiteiten zijn later gestart dan gepland; de rest volgt in het volgende jaar.",
        "carry_over": 0})
    if submit:
        report = sisa_services.report_submit(actor=officer, report=report, enqueue=False)
        sisa_services.appendix_render(report_id=report.pk)
    return report


def load(stdout=None):
    User = get_user_model()
    officer = User.objects.filter(username="gemeente").first()
    ministry = User.objects.filter(username="ministerie").first()
    almere = Municipality.objects.filter(cbs_code="GM0034").first()
    flevoland = Region.objects.filter(name="Flevoland").first()
    if officer is None or almere is None or flevoland is None:
        _say(stdout, "Verantwoording: demo overgeslagen (Almere, Flevoland of demo-accounts ontbreken).")
        return
    if SpendingReport.objects.filter(municipality=almere).exists():
        return
    with transaction.atomic():
        if not _prior_grants(almere, flevoland, ministry):
            _say(stdout, "Verantwoording: demo overgeslagen (de demo-berekeningen ontbreken).")
            return
        r2024 = sisa_services.report_start(actor=officer, municipality=almere, regulation=Regulation.BREDE_SPUK,
                                           year=2024)
        _fill(r2024, officer, submit=True)
        r2025 = sisa_services.report_start(actor=officer, municipality=almere, regulation=Regulation.BREDE_SPUK,
                                           year=2025)
        _fill(r2025, officer, share=0.5)
        iza = sisa_services.report_start(actor=officer, municipality=almere, regulation=Regulation.SPUK_IZA,
                                         year=2024)
        _fill(iza, officer, share=0.8, submit=True)
    _say(stdout, "Verantwoording: Almere 2024 ingediend (met SiSa-bijlage), 2025 concept; Flevoland IZA 2024 "
                 "ingediend door Almere.")
