from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from spukportal.hooks import REGION_PAGE
from spukportal.permissions import can_view_ministry_overviews, can_view_reference_data, require_that

from . import selectors, services
from .forms import MandateOfficerForm, MunicipalityAddressForm
from .models import PROVINCES, Municipality


def _filters(request, *names):
    """The list filters from the address: text without NUL characters (PostgreSQL refuses them), and a province
    only when it is one of the twelve."""
    filters = {name: request.GET.get(name, "").replace("\x00", "").strip() for name in names}
    if filters.get("province") and filters["province"] not in PROVINCES:
        filters["province"] = ""
    return filters


# Gemeenten per page of the list: all 342 made a page of 2,500 elements (62,000 px tall on a phone).
MUNICIPALITY_PAGE_SIZE = 50


@require_that(can_view_reference_data)
def municipality_list(request):
    filters = _filters(request, "q", "province", "region")
    page = Paginator(selectors.municipality_list(**filters), MUNICIPALITY_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "regions/municipality_list.html", {
        "page": page, "filters": filters, "provinces": PROVINCES,
        "regions": selectors.region_choices(),
    })


@require_that(can_view_reference_data)
def municipality_detail(request, cbs_code):
    municipality = get_object_or_404(selectors.municipalities(), cbs_code=cbs_code.upper())
    return render(request, "regions/municipality_detail.html", {
        **selectors.municipality_detail(municipality),
        "can_edit_address": bool(can_view_ministry_overviews(request.user))})


@require_http_methods(["GET", "POST"])
@require_that(can_view_ministry_overviews)
def municipality_address(request, cbs_code):
    """Ministry: the gemeente's postal address, where its decision letters go."""
    municipality = get_object_or_404(Municipality, cbs_code=cbs_code.upper())
    form = MunicipalityAddressForm(request.POST if request.method == "POST" else None, instance=municipality)
    if request.method == "POST" and form.is_valid():
        services.municipality_address_save(actor=request.user, municipality=municipality, form=form)
        messages.success(request, f"Het postadres van {municipality.name} is opgeslagen.")
        return redirect("regions:municipality_detail", municipality.cbs_code)
    return render(request, "regions/municipality_address.html", {"municipality": municipality, "form": form},
                  status=422 if request.method == "POST" else 200)


@require_that(can_view_reference_data)
def region_list(request):
    filters = _filters(request, "q", "province", "has_mandate_holder")
    return render(request, "regions/region_list.html", {
        "regions": selectors.region_list(**filters), "filters": filters, "provinces": PROVINCES,
    })


@require_that(can_view_reference_data)
def region_detail(request, slug):
    region = get_object_or_404(selectors.regions(), slug=slug)
    context = selectors.region_detail(region)
    context.update(REGION_PAGE.collect(request.user, region))  # e.g. the region's IZA applications
    return render(request, "regions/region_detail.html", context)


@require_that(can_view_ministry_overviews)
def mandate_overview(request):
    return render(request, "regions/mandate_overview.html", selectors.mandate_overview())


@require_http_methods(["GET", "POST"])
@require_that(can_view_ministry_overviews)
def mandate_officers(request, pk):
    """Ministry: who acts for a mandate holder that is not a gemeente."""
    holder = get_object_or_404(selectors.public_body_holders(), pk=pk)
    form = MandateOfficerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        remove = request.POST.get("ontkoppel")
        user = get_object_or_404(holder.officers.all(), pk=remove) if remove else None
        if user is not None or form.is_valid():
            user = user or form.cleaned_data["username"]
            try:
                services.mandate_officer_link(actor=request.user, holder=holder, user=user, link=remove is None)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"{user.get_username()} is {'ontkoppeld van' if remove else 'gekoppeld aan'} "
                                          f"{holder.holder_name}.")
                return redirect("regions:mandate_officers", holder.pk)
    return render(request, "regions/mandate_officers.html",
                  {"holder": holder, "form": form, "officers": holder.officers.order_by("username")},
                  status=422 if request.method == "POST" else 200)
