"""Test data for the applications app: components, an allocation run, a period, applications.

Components are looked up by (regulation, number) and only created when missing, so the tests work both
with and without the budgets app's reference data loaded."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from applications import services
from applications.models import Application, ApplicationPeriod
from applications.workflow import S
from budgets.models import Allocation, AllocationRun, Component, Regulation, Theme
from regions.models import Municipality

YEARS = (2024, 2025, 2026)
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def user(username):
    return get_user_model().objects.get(username=username)


def municipality(cbs_code):
    return Municipality.objects.get(cbs_code=cbs_code)


def component(number, name, *, mandatory=False, conditions=""):
    theme, _ = Theme.objects.get_or_create(name="Testthema")
    obj, _ = Component.objects.get_or_create(
        regulation=Regulation.BREDE_SPUK, number=number,
        defaults={"name": name, "theme": theme, "is_mandatory": mandatory, "spending_conditions": conditions})
    return obj


def components():
    """Three components: sportakkoord (1), kansrijke start (4) and valpreventie (7, mandatory)."""
    return [
        component(1, "Sportakkoord", conditions="Besteding aan de uitvoering van het lokale sportakkoord."),
        component(4, "Kansrijke Start"),
        component(7, "Valpreventie", mandatory=True,
                  conditions="Besteding aan een ketenaanpak valpreventie voor thuiswonende 65-plussers."),
    ]


class AllocationRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllocationRun

    name = factory.Sequence(lambda n: f"Testberekening {n}")
    regulation = Regulation.BREDE_SPUK
    status = AllocationRun.Status.FINISHED


def allocate(run, municipality_obj, amount=100_000):
    """Give the gemeente `amount` per year for every brede SPUK component in this (new) run."""
    Allocation.objects.bulk_create([
        Allocation(run=run, municipality=municipality_obj, component=c, year=year, amount=amount)
        for c in Component.objects.filter(regulation=Regulation.BREDE_SPUK) for year in YEARS])


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationPeriod

    name = factory.Sequence(lambda n: f"Testperiode {n}")
    regulation = Regulation.BREDE_SPUK
    first_year, last_year = 2024, 2026
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=120))
    plan_required = True


def scenario(*, amount=100_000, municipalities=("GM0034", "GM0995", "GM0928")):
    """Components, a run with allocations (every component, every year) for the demo gemeenten, an open
    period linked to it."""
    components()
    run = AllocationRunFactory()
    for code in municipalities:
        allocate(run, municipality(code), amount)
    return PeriodFactory(allocation_run=run)


def draft(period, cbs_code="GM0034", username="gemeente") -> Application:
    return services.application_create(actor=user(username), period=period, municipality=municipality(cbs_code))


def fill_completely(application, username="gemeente", *, amount=50_000):
    """Make a draft complete: components with amounts, all plan sections, signatory, signed PDF."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications import selectors

    actor = user(username)
    rows = selectors.component_rows(application)
    choices = {r["component"].pk: {"applied": True, "reason": "", "amounts": {y: amount for y in YEARS}} for r in rows}
    application = services.application_save_components(actor=actor, application=application,
                                                       base_version=application.edit_version, choices=choices)
    if application.period.plan_required:
        for d, s in selectors.sections_of(application):
            services.application_save_section(actor=actor, application=application, key=d.key,
                                              text=f"Tekst voor {d.title}.", base_version=s.version if s else 0)
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


def with_additions_requested(application) -> Application:
    application = services.application_transition(actor=user("kerngroep"), application=application,
                                                  to_state=S.IN_BEOORDELING)
    return services.application_transition(actor=user("kerngroep"), application=application,
                                           to_state=S.AANVULLING_GEVRAAGD, note="Graag valpreventie uitwerken.")
