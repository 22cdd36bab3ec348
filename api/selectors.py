"""Every read of the API, scoped like the pages: public data for everyone, and per token what that token's
organisation may see (the same rules as `applications.intake.selectors.applications_for_user` and
`monitoring.permissions.visible_reports`, which the endpoint × token matrix test holds them to)."""

from django.db.models import Case, CharField, F, Prefetch, Q, Value, When
from django.db.models.functions import Cast, Concat

from applications.models import AdvancePayment, Application, GrantDecision, GrantDecisionLine
from budgets.ledger import selectors as ledger
from budgets.models import Allocation, AllocationRun, Component, RegionAllocation
from monitoring.permissions import visible_reports
from regions.models import Municipality, Region, RegionMembership
from regions.selectors import member_region_years
from spukportal.permissions import is_ministry, officer_municipality_ids


# --- public ---------------------------------------------------------------------------------------------

def municipalities():
    return Municipality.objects.order_by("cbs_code")


def regions():
    return Region.objects.order_by("name")


def memberships():
    """Every membership period (also ended ones): the regions over time."""
    return RegionMembership.objects.select_related("region", "municipality").order_by(
        "municipality__cbs_code", "valid_from")


def components():
    return Component.objects.select_related("theme").order_by("regulation", "number")


def published_runs():
    """Finished runs that the ministry made visible to gemeenten: computed ones and official tables."""
    return AllocationRun.objects.filter(status=AllocationRun.Status.FINISHED, is_published=True).order_by(
        "-created_at", "-id")


def _component_label():
    """`Component.label` in SQL: the name of the one line of a regulation, else "<number>. <name>"."""
    return Case(When(component__is_total=True, then=F("component__name")),
                default=Concat(Cast("component__number", CharField()), Value(". "), F("component__name")),
                output_field=CharField())


def allocations(run):
    """The rows of the allocation export (cbs_code, naam, onderdeel, jaar, bedrag), as dicts made by the
    database: a page of all 342 gemeenten costs two queries and no model instances."""
    return (Allocation.objects.filter(run=run)
            .order_by("municipality__cbs_code", "component__number", "year")
            .values(cbs_code=F("municipality__cbs_code"), naam=F("municipality__name"), onderdeel=_component_label(),
                    jaar=F("year"), bedrag=F("amount")))


def region_allocations(run):
    return (RegionAllocation.objects.filter(run=run)
            .order_by("region__name", "component__number", "year")
            .values(regio=F("region__slug"), naam=F("region__name"), onderdeel=_component_label(),
                    jaar=F("year"), bedrag=F("amount")))


# --- per token ------------------------------------------------------------------------------------------

def _application_scope(client) -> Q:
    """The ministry: every application submitted at least once. A gemeente: its own (drafts too) and the IZA
    applications of the regions it belongs to now (it holds the mandate, or reads along as a member)."""
    if is_ministry(client):
        return Q(submitted_at__isnull=False)
    own = officer_municipality_ids(client)
    if not own:
        return Q(pk__in=[])
    regions_now = RegionMembership.objects.valid_on().filter(municipality_id__in=own).values("region")
    return Q(municipality_id__in=own) | Q(region_id__in=regions_now)


def applications_for_client(client):
    return (Application.objects.filter(_application_scope(client))
            .select_related("municipality", "region", "period", "decision")
            .order_by("-period__first_year", "regulation", "municipality__cbs_code", "region__name", "id"))


def decisions():
    """Every decision with its amounts and advances (unscoped: a page checks `can_download_decision`)."""
    return (GrantDecision.objects
            .select_related("application__municipality", "application__region", "application__period")
            .prefetch_related(
                Prefetch("lines", GrantDecisionLine.objects.select_related("component", "municipality")
                         .order_by("position", "year")),
                Prefetch("payments", AdvancePayment.objects.order_by("due_on", "id")))
            .order_by("-decided_on", "reference"))


def decisions_for_client(client):
    return decisions().filter(application__in=Application.objects.filter(_application_scope(client)).values("pk"))


def reports_for_client(client):
    return visible_reports(client).select_related("appendix").order_by("-year", "regulation", "municipality__cbs_code", "-version")


def _money_scope(client) -> Q:
    """The ministry: every recipient. A gemeente: its own money and that of its IZA-regio for the years it is a
    member on 31 December (the region's SiSa reports are read along on the same rule, `visible_reports`)."""
    if is_ministry(client):
        return Q()
    own = officer_municipality_ids(client)
    if not own:
        return Q(pk__in=[])
    return Q(municipality_id__in=own) | member_region_years(own)


def money_for_client(client):
    """Granted, paid, spent, carried over, determined and reclaimed per recipient, regulation and year: the
    grant ledger's sums, scoped to the caller."""
    return ledger.yearly_totals(_money_scope(client))
