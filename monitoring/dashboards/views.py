"""Views of the region and national dashboards, their table and chart downloads, and the exports (downloads
page). Thin: check permission, read through the selectors, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from regions.models import Municipality, Region
from regions.selectors import current_region_of
from spukportal.charts import panel_download
from spukportal.job_views import restart_job
from spukportal.jobs import QueueUnavailable
from spukportal.permissions import is_ministry, is_reviewer, officer_municipality_ids, require, require_that

from ..chains import selectors as chain_selectors
from ..chains.permissions import can_view_monitoring
from ..models import Export
from . import exports as dashboard_exports
from . import maps as dashboard_maps
from . import selectors as dashboard_selectors
from .forms import DashboardFilterForm
from .permissions import can_make_exports, can_open_export, can_view_national_dashboard, can_view_region_dashboard


@require_GET
def monitoring_home(request):
    """'Monitoring' in the menu: the national dashboard for staff; an officer's own gemeente page."""
    user = request.user
    if is_ministry(user) or is_reviewer(user):
        return redirect("monitoring:national_dashboard")
    ids = officer_municipality_ids(user)
    if ids:
        municipality = Municipality.objects.filter(pk__in=ids).order_by("name").first()
        return redirect("monitoring:municipality_monitoring", municipality.cbs_code)
    require(can_view_national_dashboard(user))


# --- national ---------------------------------------------------------------------------------------------

def _national(request):
    require(can_view_national_dashboard(request.user))
    form = DashboardFilterForm(request.GET or None)
    filters = form.filters()
    return form, filters


@require_GET
def national_dashboard(request):
    form, filters = _national(request)
    geo = dashboard_selectors.Geography()  # the gemeenten and regions, read once for the panels and the map
    data = dashboard_selectors.national_dashboard(filters, geo=geo)
    params = urlencode(filters.as_params())
    map_key = request.GET.get("kaart")
    if map_key not in dashboard_maps.NATIONAL_MAPS:
        map_key = dashboard_maps.DEFAULT_MAP
    return render(request, "monitoring/dashboards/national.html", {
        "form": form, "filters": filters, "params": params, **data,
        "map_panel": dashboard_maps.national_map(filters, map_key, geo=geo), "map_key": map_key,
        "map_choices": dashboard_maps.NATIONAL_MAPS.items(),
        "download_base": reverse("monitoring:national_dashboard"),
        "can_export": bool(can_make_exports(request.user)),
    })


def _panel(panels, key):
    for panel in panels:
        if panel.key == key:
            return panel
    raise Http404("Deze tabel bestaat niet.")


@require_GET
def national_download(request, panel, fmt):
    _form, filters = _national(request)
    if panel in dashboard_maps.NATIONAL_MAPS:
        return panel_download(dashboard_maps.national_map(filters, panel), fmt, f"landelijk-{filters.year}")
    data = dashboard_selectors.national_dashboard(filters, only=panel)
    return panel_download(_panel(data["panels"], panel), fmt, f"landelijk-{filters.year}")


# --- region -----------------------------------------------------------------------------------------------

def _region(request, slug):
    region = get_object_or_404(Region, slug=slug)
    require(can_view_region_dashboard(request.user, region))
    form = DashboardFilterForm(request.GET or None, regions=False, regulations=False)
    filters = form.filters()
    return region, form, filters


@require_GET
def region_dashboard(request, slug):
    region, form, filters = _region(request, slug)
    data = dashboard_selectors.region_dashboard(region, filters)
    data["panels"].insert(0, dashboard_maps.region_locator_map(region))
    return render(request, "monitoring/dashboards/region.html", {
        "region": region, "form": form, "filters": filters, "params": urlencode({"jaar": filters.year}), **data,
    })


@require_GET
def region_download(request, slug, panel, fmt):
    region, _form, filters = _region(request, slug)
    data = dashboard_selectors.region_dashboard(region, filters)
    data["panels"].insert(0, dashboard_maps.region_locator_map(region))
    return panel_download(_panel(data["panels"], panel), fmt, f"regio-{region.slug}-{filters.year}")


# --- a gemeente's monitoring page --------------------------------------------------------------------------

@require_GET
def municipality_download(request, cbs_code, panel, fmt):
    """The gemeente page's tables (ketenaanpak history, valpreventie figures) as CSV or XLSX."""
    municipality = get_object_or_404(Municipality, cbs_code=cbs_code)
    require(can_view_monitoring(request.user, municipality))
    panels = chain_selectors.municipality_tables(municipality)
    if panel == "kaart":
        panels = [_municipality_map(municipality)]
    return panel_download(_panel(panels, panel), fmt, f"monitoring-{municipality.cbs_code}")


def _municipality_map(municipality):
    region = current_region_of(municipality)
    if region is None:
        raise Http404("Deze gemeente hoort bij geen IZA-regio.")
    return dashboard_maps.region_locator_map(region, marked=municipality)


# --- exports and the downloads page ------------------------------------------------------------------------

@require_POST
@require_that(can_make_exports)
def export_start(request):
    form = DashboardFilterForm(request.POST)
    filters = form.filters()
    params = {"year": filters.year, "province": filters.province,
              "region": filters.region.slug if filters.region else "", "regulation": filters.regulation}
    try:
        export = dashboard_exports.export_request(actor=request.user, parameters=params)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("monitoring:national_dashboard") + "?" + urlencode(filters.as_params()))
    except QueueUnavailable as exc:
        messages.error(request, exc.message)
        return redirect("monitoring:download_list")
    messages.info(request, f"De export ‘{export.get_kind_display()}’ wordt gemaakt; hij verschijnt hieronder "
                           "zodra hij klaar is.")
    return redirect("monitoring:download_list")


def _exports_context(request):
    exports = list(dashboard_exports.exports_for(request.user))
    return {"exports": exports, "pending": any(not e.is_done for e in exports)}


@require_GET
@require_that(can_make_exports)
def download_list(request):
    return render(request, "monitoring/dashboards/downloads.html", _exports_context(request))


@require_GET
@require_that(can_make_exports)
def download_status(request):
    return render(request, "monitoring/dashboards/_downloads_table.html", _exports_context(request))


@require_GET
def export_download(request, pk):
    export = get_object_or_404(Export, pk=pk)
    require(can_open_export(request.user, export))
    if export.status != Export.Status.FINISHED or not export.file:
        raise Http404("Deze export is (nog) niet klaar.")
    storage = storages["private"]
    if not storage.exists(export.file):
        raise Http404("Het bestand van deze export ontbreekt.")
    return FileResponse(storage.open(export.file, "rb"), as_attachment=True, filename=export.filename)


@require_POST
def export_retry(request, pk):
    export = get_object_or_404(Export, pk=pk)
    require(can_open_export(request.user, export))
    return restart_job(request, lambda: dashboard_exports.export_retry(actor=request.user, export=export),
                       started="De export is opnieuw gestart.", to="monitoring:download_list")
