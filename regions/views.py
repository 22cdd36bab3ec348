from django.shortcuts import render

from spukportal.permissions import can_view_ministry_overviews, can_view_reference_data, require_that

from . import selectors
from .models import PROVINCES, Region


def _filters(request, *names):
    return {name: request.GET.get(name, "").strip() for name in names}


@require_that(can_view_reference_data)
def municipality_list(request):
    filters = _filters(request, "q", "province", "region")
    municipalities = selectors.municipality_list(**filters)
    return render(request, "regions/municipality_list.html", {
        "municipalities": municipalities, "filters": filters, "provinces": PROVINCES,
        "regions": Region.objects.order_by("name").values_list("slug", "name"),
    })


@require_that(can_view_reference_data)
def municipality_detail(request, cbs_code):
    return render(request, "regions/municipality_detail.html", selectors.municipality_detail(cbs_code))


@require_that(can_view_reference_data)
def region_list(request):
    filters = _filters(request, "q", "province", "has_mandate_holder")
    return render(request, "regions/region_list.html", {
        "regions": selectors.region_list(**filters), "filters": filters, "provinces": PROVINCES,
    })


@require_that(can_view_reference_data)
def region_detail(request, slug):
    return render(request, "regions/region_detail.html", selectors.region_detail(slug))


@require_that(can_view_ministry_overviews)
def mandate_overview(request):
    return render(request, "regions/mandate_overview.html", selectors.mandate_overview())
