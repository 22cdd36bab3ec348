"""Views of the ketenaanpak monitoring: a gemeente's page (states with their history, valpreventie figures)
and the two forms its officers use. Thin: permission, form, service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from regions.models import Municipality
from regions.selectors import current_region_of
from spukportal.bounds import MAX_YEAR, MIN_YEAR, request_int
from spukportal.permissions import require

from . import selectors as chain_selectors, services as chain_services
from ..dashboards import maps as dashboard_maps
from .forms import ChainStateForm, FallPreventionForm
from ..models import ASSESSMENT_TARGET_PERCENT, INTERVENTION_TARGET_PERCENT, ChainApproach, FallPreventionFigures
from ..dashboards.permissions import can_view_region_dashboard
from .permissions import can_record_monitoring, can_view_monitoring


def _put_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error.messages[0])
    else:
        for message in exc.messages:
            form.add_error(None, message)


@require_GET
def municipality_monitoring(request, cbs_code):
    municipality = get_object_or_404(Municipality, cbs_code=cbs_code)
    require(can_view_monitoring(request.user, municipality))
    region = current_region_of(municipality)
    return render(request, "monitoring/dashboards/municipality.html", {
        "municipality": municipality, **chain_selectors.municipality_monitoring(municipality),
        "can_record": bool(can_record_monitoring(request.user, municipality)),
        "region": region,
        "can_see_region": region is not None and bool(can_view_region_dashboard(request.user, region)),
        "assessment_target": ASSESSMENT_TARGET_PERCENT, "intervention_target": INTERVENTION_TARGET_PERCENT,
        "map_panel": dashboard_maps.region_locator_map(region, marked=municipality) if region else None,
    })


@require_http_methods(["GET", "POST"])
def chain_state_record(request, cbs_code):
    municipality = get_object_or_404(Municipality, cbs_code=cbs_code)
    require(can_record_monitoring(request.user, municipality))
    initial = {}
    if request.GET.get("ketenaanpak") in ChainApproach.values:
        initial["approach"] = request.GET["ketenaanpak"]
    form = ChainStateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = chain_services.chain_state_record(
                actor=request.user, municipality=municipality, approach=data["approach"], stage=data["stage"],
                changed_on=data["changed_on"], note=data["note"])
        except ValidationError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, f"{change.get_approach_display()}: stand ‘{change.get_stage_display()}’ "
                                      "vastgelegd.")
            return redirect("monitoring:municipality_monitoring", municipality.cbs_code)
    return render(request, "monitoring/dashboards/chain_form.html", {"municipality": municipality, "form": form})


@require_http_methods(["GET", "POST"])
def fall_prevention_record(request, cbs_code):
    municipality = get_object_or_404(Municipality, cbs_code=cbs_code)
    require(can_record_monitoring(request.user, municipality))
    initial = {}
    if request.method == "GET":
        year = request_int(request.GET, "jaar", minimum=MIN_YEAR, maximum=MAX_YEAR)
        rows = {r.year: r for r in FallPreventionFigures.objects.filter(municipality=municipality)}
        if year in rows:
            r = rows[year]
        else:
            r = rows[max(rows)] if rows else None  # prefill the 65+ count from the latest year reported
        if year is not None:
            initial["year"] = year
        if r is not None:
            initial["home_dwelling_65_plus"] = r.home_dwelling_65_plus
            if initial.get("year") == r.year:
                initial.update(assessments=r.assessments, interventions=r.interventions)
    form = FallPreventionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = chain_services.fall_prevention_save(
                actor=request.user, municipality=municipality, year=data["year"],
                home_dwelling_65_plus=data["home_dwelling_65_plus"], assessments=data["assessments"],
                interventions=data["interventions"])
        except ValidationError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, f"Cijfers valpreventie {row.year} vastgelegd.")
            return redirect("monitoring:municipality_monitoring", municipality.cbs_code)
    return render(request, "monitoring/dashboards/fall_prevention_form.html", {
        "municipality": municipality, "form": form,
        "assessment_target": ASSESSMENT_TARGET_PERCENT, "intervention_target": INTERVENTION_TARGET_PERCENT,
    })
