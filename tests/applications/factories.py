"""Test data for the applications app: an allocation run, a period, applications.

The components are the real ones (the budgets reference data, loaded once per test session): the 15
brede SPUK components one can apply for, and the total budget line (number 0) beside them, which an
application must never offer."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from applications.intake import services
from applications.models import Application, ApplicationPeriod, PlanSection
from budgets.models import Allocation, AllocationRun, Component, Regulation
from budgets.selectors import selectable_components
from regions.models import Municipality

YEARS = (2024, 2025, 2026)


def _blank_pdf() -> bytes:
    """A real (parseable) one-page PDF: uploads are parsed with pypdf."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _blank_pdf()


def user(username):
    return get_user_model().objects.get(username=username)


def municipality(cbs_code):
    return Municipality.objects.get(cbs_code=cbs_code)


def components():
    """The 15 components of the brede SPUK one can apply for (from the reference data)."""
    found = list(selectable_components(Regulation.BREDE_SPUK).order_by("number"))
    assert len(found) == 15, "the budgets reference data (15 brede SPUK components) must be loaded"
    return found


def total_line():
    return Component.objects.get(regulation=Regulation.BREDE_SPUK, is_total=True)


class AllocationRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllocationRun

    name = factory.Sequence(lambda n: f"Testberekening {n}")
    regulation = Regulation.BREDE_SPUK
    status = AllocationRun.Status.FINISHED


def allocate(run, municipality_obj, amount=100_000, *, total_from=None):
    """Give the gemeente `amount` per year for every brede SPUK component in this (new) run — or, from year
    `total_from` on, `amount` on the one total budget line (as the official tables do from 2025)."""
    Allocation.objects.bulk_create(
        [Allocation(run=run, municipality=municipality_obj, component=c, year=year, amount=amount)
         for c in components() for year in YEARS if total_from is None or year < total_from]
        + [Allocation(run=run, municipality=municipality_obj, component=total_line(), year=year, amount=amount)
           for year in YEARS if total_from is not None and year >= total_from])


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationPeriod

    name = factory.Sequence(lambda n: f"Testperiode {n}")
    regulation = Regulation.BREDE_SPUK
    first_year, last_year = 2024, 2026
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=120))
    plan_required = True


def scenario(*, amount=100_000, municipalities=("GM0034", "GM0995", "GM0928"), total_from=None):
    """A run with allocations (every component, every year; or on the total line from `total_from`) for the
    demo gemeenten, and an open period linked to it."""
    run = AllocationRunFactory()
    for code in municipalities:
        allocate(run, municipality(code), amount, total_from=total_from)
    without_prior_grants()
    return PeriodFactory(allocation_run=run)


def without_prior_grants():
    """A scenario starts with nothing granted: the demo's pre-portal grants (Almere, Flevoland 2024–2026) are
    withdrawn in the grant ledger, else deciding a scenario's application for those years is refused (a year
    is granted once; tests/budgets/test_ledger_decisions.py shows that refusal on the demo data itself)."""
    from budgets.ledger import services as ledger_services
    from budgets.ledger import sources
    from budgets.ledger.models import LedgerEntry

    live = (LedgerEntry.objects.filter(source_kind=sources.PRIOR_GRANT, kind=LedgerEntry.Kind.GRANTED,
                                       reverses__isnull=True, reversals__isnull=True)
            .order_by().values_list("source_id", flat=True).distinct())  # without the id ordering: each once
    for source_id in list(live):
        ledger_services.withdraw(source=(sources.PRIOR_GRANT, source_id), by=None, booked_on=datetime.date.today(),
                                 note="testscenario: begint zonder toekenningen")


def draft(period, cbs_code="GM0034", username="gemeente") -> Application:
    return services.application_create(actor=user(username), period=period, municipality=municipality(cbs_code))


def fill_completely(application, username="gemeente", *, amount=50_000):
    """Make a draft complete: components with amounts, all plan sections, signatory, signed PDF."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.intake import selectors

    actor = user(username)
    rows = selectors.component_rows(application)
    choices = {r["component"].pk: {"applied": True, "reason": "", "amounts": {y: amount for y in YEARS}} for r in rows}
    application = services.application_save_components(actor=actor, application=application,
                                                       base_version=application.edit_version, choices=choices)
    if application.period.plan_required:
        # The sections not written yet at once, as if saved one by one (version 1): the service's ~40 calls, a
        # lock, a permission check and an audit event each, took a third of the time of every test that needs a
        # complete application. Saving a section is tested in tests/applications/test_services.py, test_views.py
        # and the journeys.
        sections, now = selectors.sections_of(application), timezone.now()
        PlanSection.objects.bulk_create([
            PlanSection(application=application, key=d.key, text=f"Tekst voor {d.title}.", version=1,
                        updated_by=actor, updated_at=now)
            for d, s in sections if s is None])
        for d, s in sections:
            if s is not None:
                services.application_save_section(actor=actor, application=application, key=d.key,
                                                  text=f"Tekst voor {d.title}.", base_version=s.version)
    application.refresh_from_db()
    application = services.application_save_signature(
        actor=actor, application=application, base_version=application.edit_version, signatory_name="A. de Wethouder",
        signatory_role="wethouder", signed_on=timezone.localdate(), monitoring_consent=True)
    services.attachment_add(actor=actor, application=application, kind="ondertekend",
                            uploaded_file=SimpleUploadedFile("ondertekend.pdf", PDF, "application/pdf"))
    application.refresh_from_db()
    return application


def submitted(period, cbs_code="GM0034", username="gemeente") -> Application:
    application = fill_completely(draft(period, cbs_code, username), username)
    return services.application_submit(actor=user(username), application=application)


def in_review(application, reviewer="kerngroep") -> Application:
    return services.application_transition(actor=user(reviewer), application=application,
                                           transition="in_beoordeling_nemen")


def with_additions_requested(application, points=("Graag valpreventie uitwerken.",)) -> Application:
    if application.state != "in_beoordeling":
        application = in_review(application)
    return services.application_transition(actor=user("kerngroep"), application=application,
                                           transition="aanvulling_vragen", data={"points": list(points)})


def answer_points(application, username="gemeente", answer="Aangevuld in het plan.") -> Application:
    """The applicant answers every point of the open request for additions (needed before resubmitting)."""
    from applications.review import services as review

    request = review.open_addition_request(application)
    if request is not None:
        review.addition_answers_save(actor=user(username), application=application,
                                     answers={p.pk: answer for p in request.points.all()})
    return application


def proposed(application, advice="positief", first="kerngroep", second="kerngroep2") -> Application:
    """In review by `first`, every element judged, the advice proposed to `second`."""
    from applications.review import services as review

    if application.state != "in_beoordeling":
        application = in_review(application, first)
    review.second_reviewer_take(actor=user(second), application=application)
    assessment = review.current_assessment(application)
    review.assessment_save(actor=user(first), application=application, base_version=assessment.edit_version,
                           items={i.key: {"verdict": "voldoet", "comment": ""} for i in assessment.items.all()},
                           advice=advice, reasons="Het plan voldoet aan de voorwaarden van het GALA.", propose=True)
    application.refresh_from_db()
    return application


def positively_advised_in_bulk(count, *, actor="ministerie", years=YEARS) -> list[Application]:
    """`count` brede SPUK applications (the first gemeenten by CBS code) with a final positive advice, in a new
    period linked to the demo run, each requesting half its allocation: bulk inserts of the rows such an
    application has (components, amounts, the frozen version), for batches and benchmarks at volume."""
    from applications.models import ApplicationComponent, ApplicationVersion, RequestedAmount
    from budgets.demo import DEMO_RUN_NAME

    run = AllocationRun.objects.get(name=DEMO_RUN_NAME)
    without_prior_grants()
    today = timezone.localdate()
    period = ApplicationPeriod.objects.create(
        name=f"Beschikkingen in bulk {timezone.now():%Y-%m-%d %H:%M:%S.%f}", regulation=Regulation.BREDE_SPUK,
        first_year=years[0], last_year=years[-1], opens_on=today - datetime.timedelta(days=60),
        closes_on=today - datetime.timedelta(days=1), allocation_run=run)
    by = user(actor)
    components = list(selectable_components(Regulation.BREDE_SPUK).order_by("number"))
    caps = {(a.municipality_id, a.component_id, a.year): a.amount
            for a in Allocation.objects.filter(run=run, year__in=years)}
    now = timezone.now()
    apps = Application.objects.bulk_create([
        Application(municipality=m, period=period, regulation=Regulation.BREDE_SPUK, state="advies_positief",
                    created_by=by, submitted_at=now, reference=f"BS-{years[0]}.{period.pk}-{m.cbs_code}-01")
        for m in Municipality.objects.order_by("cbs_code")[:count]])
    choices = ApplicationComponent.objects.bulk_create([
        ApplicationComponent(application=a, component=c, applied=True) for a in apps for c in components])
    amounts, snapshots = [], {a.pk: {"years": list(years), "components": []} for a in apps}
    for choice in choices:
        per_year = {}
        for year in years:
            per_year[str(year)] = caps.get((choice.application.municipality_id, choice.component_id, year), 0) // 2
            amounts.append(RequestedAmount(choice=choice, year=year, amount=per_year[str(year)]))
        snapshots[choice.application_id]["components"].append(
            {"id": choice.component_id, "number": choice.component.number, "name": choice.component.name,
             "applied": True, "reason": "", "amounts": per_year})
    RequestedAmount.objects.bulk_create(amounts)
    ApplicationVersion.objects.bulk_create([
        ApplicationVersion(application=a, number=1, snapshot=snapshots[a.pk], submitted_by=by, submitted_at=now)
        for a in apps])
    return apps


def with_final_advice(application, advice="positief") -> Application:
    """A final advice: proposed by kerngroep, agreed by kerngroep2."""
    application = proposed(application, advice)
    return services.application_transition(
        actor=user("kerngroep2"), application=application,
        transition="positief_adviseren" if advice == "positief" else "negatief_adviseren")


# --- SPUK IZA -------------------------------------------------------------------------------------------

IZA_YEARS = (2025, 2026)


def iza_scenario(*, cap=1_000_000, region_name="Flevoland", years=IZA_YEARS, **period):
    """An IZA run giving the region `cap` per year of `years` (its members' amounts add up to it), and an open
    IZA period (opened after the mandate holders were announced; `period` overrides its fields) linked to it."""
    from budgets.models import RegionAllocation
    from regions.models import Region, RegionMembership

    region = Region.objects.get(name=region_name)
    iza = Component.objects.get(regulation=Regulation.SPUK_IZA)
    run = AllocationRunFactory(regulation=Regulation.SPUK_IZA)
    members = [m.municipality for m in RegionMembership.objects.valid_on().filter(region=region)
               .select_related("municipality").order_by("municipality__cbs_code")]
    for year in years:
        share, rest = divmod(cap, len(members))
        Allocation.objects.bulk_create(
            Allocation(run=run, municipality=m, component=iza, year=year, amount=share + (rest if i == 0 else 0))
            for i, m in enumerate(members))
        RegionAllocation.objects.create(run=run, region=region, component=iza, year=year, amount=cap)
    without_prior_grants()
    return PeriodFactory(**{"regulation": Regulation.SPUK_IZA, "first_year": years[0], "last_year": years[-1],
                            "allocation_run": run, **period})


def flevoland():
    from regions.models import Region

    return Region.objects.get(name="Flevoland")


def iza_draft(period, username="gemeente") -> Application:
    return services.application_create(actor=user(username), period=period, region=flevoland())


def line(activity="Regionale coördinatie", scope="regionaal", municipality_code=None, year=2025, amount=100_000,
         brede_number=None, note=""):
    return {"activity": activity, "scope": scope,
            "municipality": municipality(municipality_code) if municipality_code else None, "year": year,
            "amount": amount, "double_funding_note": note,
            "brede_component": Component.objects.get(regulation=Regulation.BREDE_SPUK, number=brede_number)
            if brede_number else None}


def officer(username, cbs_code, email=""):
    """A (new) officer of a gemeente."""
    from spukportal.models import Role, RoleAssignment

    account = get_user_model().objects.create_user(username=username, email=email, password="x" * 16)
    RoleAssignment.objects.create(user=account, role=Role.objects.get(code=Role.OFFICER),
                                  municipality=municipality(cbs_code))
    return account


def declare(application, username, cbs_code):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return services.declaration_add(
        actor=user(username) if isinstance(username, str) else username, application=application,
        municipality=municipality(cbs_code), signatory_name="A. Wethouder", signatory_role="wethouder",
        signed_on=timezone.localdate(), uploaded_file=SimpleUploadedFile("verklaring.pdf", PDF, "application/pdf"))
