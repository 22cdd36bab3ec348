
import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from regions import selectors as region_selectors
from regions.models import PROVINCES
from spukportal import bounds
from spukportal.addresses import query_with
from spukportal.charts import panel_download
from spukportal.csv_import import ImportFailed
from spukportal.exports import CsvWriter
from spukportal.job_views import restart_job
from spukportal.jobs import QueueUnavailable
from spukportal.permissions import require, require_that
from spukportal.uploads import too_large_message, upload_too_large

from . import selectors, services
from . import simulation as sim
from .forms import (CompareForm, KeyCreateForm, OfficialImportForm, ReportForm, RunStartForm, SimulationForm,
                    SimulationSaveForm)
from .models import AllocationReport, AllocationRun
from .permissions import (can_manage_allocations, can_view_allocation_explanation, can_view_budgets,
                          can_view_own_amounts)


def _add_errors(form, exc: ValidationError, field=None):
    for message in exc.messages:
        form.add_error(field, message)


# --- components and budgets (every logged-in user) --------------------------------------------------

@require_that(can_view_budgets)
def component_list(request):
    return render(request, "budgets/component_list.html", {"components": selectors.component_list()})


@require_that(can_view_budgets)
def budget_version_list(request):
    return render(request, "budgets/budget_version_list.html", {"versions": selectors.budget_versions()})


@require_that(can_view_budgets)
def budget_version_detail(request, pk):
    version = get_object_or_404(selectors.budget_versions(), pk=pk)
    return render(request, "budgets/budget_version_detail.html",
                  {"version": version, **selectors.budget_table(version)})


# --- distribution keys (ministry) ------------------------------------------------------------------

@require_that(can_manage_allocations)
def key_list(request):
    return render(request, "budgets/key_list.html", {"keys": selectors.distribution_keys()})


@require_that(can_manage_allocations)
def key_detail(request, pk):
    key = get_object_or_404(selectors.distribution_keys(), pk=pk)
    return render(request, "budgets/key_detail.html", {"key": key})


@require_that(can_manage_allocations)
def key_create(request):
    form = KeyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            key = services.distribution_key_create(
                actor=request.user, name=form.cleaned_data["name"], description=form.cleaned_data["description"],
                reference_year=form.cleaned_data["reference_year"], weights=form.weights(),
                copy_fixed_from=form.cleaned_data["copy_fixed_from"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Verdeelsleutel '{key}' is vastgelegd.")
            return redirect("budgets:key_detail", key.pk)
    return render(request, "budgets/key_form.html", {"form": form})


# --- allocation runs (ministry) --------------------------------------------------------------------

@require_that(can_manage_allocations)
def run_list(request):
    return render(request, "budgets/run_list.html", {"runs": selectors.runs_for_ministry()})


@require_that(can_manage_allocations)
def run_start(request):
    form = RunStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.allocation_run_start(
                actor=request.user, regulation=data["regulation"], years=data["years"],
                budget_version=data["budget_version"], distribution_key=data["distribution_key"],
                reference_date=data["reference_date"], name=data["name"])
        except ValidationError as exc:
            _add_errors(form, exc)
        except QueueUnavailable as exc:  # the run is recorded as failed (retryable); the form keeps what was typed
            form.add_error(None, exc.message)
            return render(request, "budgets/run_form.html", {"form": form}, status=503)
        else:
            messages.info(request, f"Berekening '{run}' is gestart.")
            return redirect("budgets:run_detail", run.pk)
    return render(request, "budgets/run_form.html", {"form": form})


class _LazyList:
    """A list computed on first use (iterating or len()); unlike SimpleLazyObject not by an isinstance check."""

    def __init__(self, compute):
        self._compute = compute

    def __iter__(self):
        return iter(self._compute())

    def __len__(self):
        return len(self._compute())

    def __getitem__(self, index):
        return self._compute()[index]


class _LazyPage:
    """A page of a paginator, made on first use of an attribute (as _LazyList, not by an isinstance check)."""

    def __init__(self, compute):
        self._compute = functools.cache(compute)

    def __getattr__(self, name):
        return getattr(self._compute(), name)


RUN_PAGE_SIZE = 50


@require_that(can_manage_allocations)
def run_detail(request, pk):
    run = get_object_or_404(selectors.runs_for_ministry(), pk=pk)
    filters = {name: request.GET.get(name, "").replace("\x00", "").strip() for name in ("q", "province")}
    if filters["province"] not in PROVINCES:  # only one of the twelve reaches the database
        filters["province"] = ""
    context = {"run": run, "filters": filters, "provinces": PROVINCES, "report_form": ReportForm(),
               **_reports_context(run)}
    if run.status == AllocationRun.Status.FINISHED:
        # The gemeente table of a finished run never changes: the template keeps it in the cache (per run and
        # filter), and its figures are only queried when the cached table is missing (load test).
        overview = functools.cache(lambda: selectors.run_overview(run, **filters))
        context.update({key: _LazyList(lambda key=key: overview()[key]) for key in ("rows", "year_totals")})
        # RUN_PAGE_SIZE gemeenten per page: all 342 made a page of 3,700 elements that a browser lays out slowly.
        context["page_number"] = bounds.request_int(request.GET, "pagina", 1, minimum=1)
        context["page"] = _LazyPage(lambda: Paginator(context["rows"], RUN_PAGE_SIZE).get_page(context["page_number"]))
        # The page links keep the filters only: the cached table must not repeat whatever else the address holds.
        context["page_query"] = QueryDict(mutable=True)
        context["page_query"].update(filters)
        context["years"] = sorted(run.years)
        context["component_rows"] = selectors.run_components(run)
        context["compare_with"], context["compare_year"] = selectors.comparison_partner(run)
    return render(request, "budgets/run_detail.html", context)


@require_that(can_manage_allocations)
def run_progress(request, pk):
    run = get_object_or_404(selectors.runs_for_ministry(), pk=pk)
    response = render(request, "budgets/_run_status.html", {"run": run, "polling": True})
    if run.is_done and request.GET.get("was") not in (None, "", run.status):
        response["HX-Refresh"] = "true"  # the page shows the result (or the error) in full
    return response


@require_that(can_manage_allocations)
@require_POST
def run_retry(request, pk):
    run = get_object_or_404(selectors.runs_for_ministry(), pk=pk)
    return restart_job(request, lambda: services.allocation_run_retry(actor=request.user, run=run),
                       started="De berekening is opnieuw gestart.", to="budgets:run_detail", pk=run.pk)


@require_that(can_manage_allocations)
def run_publish(request, pk):
    run = get_object_or_404(selectors.runs_for_ministry(), pk=pk)
    if request.method == "POST":
        try:
            services.allocation_run_publish(actor=request.user, run=run)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"'{run}' is nu zichtbaar voor de gemeenten.")
        return redirect("budgets:run_detail", run.pk)
    return render(request, "budgets/run_publish_confirm.html", {"run": run})


@require_that(can_manage_allocations)
def official_import(request):
    form = OfficialImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload_too_large(request):
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", too_large_message())
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _, run = services.official_allocation_import(
                actor=request.user, file=data["file"], name=data["name"], regulation=data["regulation"],
                source=data["source"], publish=data["publish"])
        except ImportFailed as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, f"Officiële tabel '{run}' is geïmporteerd.")
            return redirect("budgets:run_detail", run.pk)
    return render(request, "budgets/official_import.html", {"form": form})


# --- comparison (ministry) -------------------------------------------------------------------------

@require_that(can_manage_allocations)
def compare(request):
    runs = selectors.finished_runs()
    initial_runs = list(runs[:2])
    data = request.GET.copy() if "a" in request.GET else None
    form = CompareForm(data, runs=runs, provinces=PROVINCES, initial={
        "a": initial_runs[-1].pk if initial_runs else None, "b": initial_runs[0].pk if initial_runs else None})
    context = {"form": form}
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        result = selectors.comparison(d["a"], d["b"], year=d["year"], q=d["q"], province=d["province"],
                                      sort=d["sort"] or "naam")
        mismatches = _comparison_mismatches(d["a"], d["b"], d["year"])
        if mismatches:  # a percentage of amounts that do not belong together (-100 % on every row) says nothing
            for row in result["rows"]:
                row["pct"] = None
        if request.GET.get("export") == "csv":
            return _comparison_csv(d, result)
        # COMPARE_PAGE_SIZE gemeenten per page (sorted over all of them first); the totals stay those of all.
        page = Paginator(result["rows"], COMPARE_PAGE_SIZE).get_page(request.GET.get("pagina"))
        context.update(result=result, page=page, a=d["a"], b=d["b"], year=d["year"],
                       export_query=query_with(request, export="csv", pagina=None), mismatches=mismatches,
                       columns=_sort_columns(request, d["sort"] or "naam"))
    return render(request, "budgets/compare.html", context)


def _comparison_mismatches(run_a, run_b, year):
    """Why the two sides may not be comparable: another regulation, or a year one side has no amounts for."""
    warnings = []
    if run_a.pk == run_b.pk:
        warnings.append(f"A en B zijn dezelfde berekening ({run_a.name}): kies bij B een andere berekening of een "
                        "officiële tabel.")
    if run_a.regulation != run_b.regulation:
        warnings.append(f"A is voor de {run_a.get_regulation_display()}, B voor de {run_b.get_regulation_display()}: "
                        "de bedragen horen bij verschillende regelingen en zijn niet met elkaar te vergelijken.")
    for label, run in (("A", run_a), ("B", run_b)):
        if year not in (run.years or []):
            covered = ", ".join(str(y) for y in sorted(run.years or [])) or "geen enkel jaar"
            warnings.append(f"{label} ({run.name}) heeft geen bedragen voor {year}, alleen voor {covered}: "
                            f"alle bedragen van {label} staan daardoor op € 0.")
    return warnings


COMPARE_PAGE_SIZE = 50
COMPARE_COLUMNS = [("naam", "Gemeente"), ("a", "A"), ("b", "B"), ("verschil", "Verschil"), ("procent", "Verschil %")]


def _sort_columns(request, current):
    """Column headers that sort the comparison: a click sorts by that column, a second click reverses."""
    columns = []
    for key, label in COMPARE_COLUMNS:
        active = current.lstrip("-") == key
        descending = current.startswith("-")
        sort = f"-{key}" if active and not descending else key  # a second click on the same column reverses
        columns.append({
            "label": label, "query": query_with(request, sort=sort, pagina=None),
            "aria_sort": ("descending" if descending else "ascending") if active else None,
            "numeric": key != "naam",
        })
    return columns


def _comparison_csv(d, result):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vergelijking-{d["a"].pk}-{d["b"].pk}-{d["year"]}.csv"'
    writer = CsvWriter(response)
    writer.writerow(["cbs_code", "naam", "provincie", "bedrag_a", "bedrag_b", "verschil", "verschil_procent"])
    for r in result["rows"]:
        pct = "" if r["pct"] is None else round(r["pct"] * 100, 2)
        writer.writerow([r["municipality"].cbs_code, r["municipality"].name, r["municipality"].province,
                         r["a"], r["b"], r["diff"], pct])
    return response


# --- explanation and own amounts -------------------------------------------------------------------

def explanation(request, pk, cbs_code):
    municipality = get_object_or_404(region_selectors.municipalities(), cbs_code=cbs_code.upper())
    run = get_object_or_404(selectors.runs_for_explanation(municipality), pk=pk)
    require(can_view_allocation_explanation(request.user, run, municipality))
    if run.is_computed and not run.took_part:
        raise Http404(f"{municipality} deed niet mee in deze berekening.")
    # Only finished runs are explained, and how a finished run's amounts came about never changes: the template
    # keeps the explanation in the cache (per run and gemeente), and it is only worked out when that is missing
    # (a computed run's explanation works through the verdeelsleutel again, some 60 % of the page's time).
    return render(request, "budgets/explanation.html", {
        "run": run, "municipality": municipality, "computed": run.is_computed,
        "explained": functools.cache(lambda: selectors.explanation(run, municipality))})


@require_that(can_view_own_amounts)
def own_amounts(request):
    return render(request, "budgets/own_amounts.html", {"entries": selectors.own_amounts(request.user)})


# --- reports (ministry) ----------------------------------------------------------------------------

@require_that(can_manage_allocations)
@require_POST
def report_create(request, pk):
    run = get_object_or_404(selectors.runs_for_ministry(), pk=pk)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            report = services.report_request(actor=request.user, run=run, format=form.cleaned_data["format"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except QueueUnavailable as exc:
            messages.error(request, exc.message)
        else:
            stored = report.status == AllocationReport.Status.FINISHED  # made by an earlier request
            report.refresh_from_db(fields=["status"])  # tasks that run in the process (`make run`) are done now
            if stored:
                messages.info(request, "Dit rapport is al gemaakt (een berekening verandert niet meer); "
                                       "u kunt het hieronder downloaden.")
            elif report.status == AllocationReport.Status.FINISHED:
                messages.success(request, "Het rapport is gemaakt; u kunt het hieronder downloaden.")
            elif report.status == AllocationReport.Status.FAILED:
                messages.error(request, "Het rapport kon niet worden gemaakt; de reden staat hieronder. "
                                        "U kunt het opnieuw aanvragen.")
            else:
                messages.info(request, "Het rapport wordt gemaakt; het verschijnt hieronder zodra het klaar is.")
    else:
        messages.error(request, "Kies een geldig formaat.")
    return redirect(reverse("budgets:run_detail", args=[run.pk]) + "#rapporten")


@require_that(can_manage_allocations)
def report_status(request, pk):
    run = get_object_or_404(selectors.runs_for_ministry(), pk=pk)
    return render(request, "budgets/_reports.html", {"run": run, **_reports_context(run)})


def _reports_context(run):
    reports = list(selectors.report_list(run))
    return {"reports": reports, "reports_pending": any(not r.is_done for r in reports)}


@require_that(can_manage_allocations)
def report_download(request, pk):
    report = get_object_or_404(selectors.reports(), pk=pk)
    if report.status != AllocationReport.Status.FINISHED or not report.file:
        raise Http404("Dit rapport is (nog) niet beschikbaar.")
    storage = storages["private"]
    if not storage.exists(report.file):
        raise Http404("Het bestand van dit rapport ontbreekt.")
    return FileResponse(storage.open(report.file, "rb"), as_attachment=True, filename=report.filename)


# --- simulation (ministry) -------------------------------------------------------------------------

def _simulation_form(request, form_class=None, data=None):
    form_class = form_class or SimulationForm
    if data is None:
        data = request.GET if "regulation" in request.GET else form_class.defaults()
    return form_class(data), data


def _simulation_outcome(form):
    d = form.cleaned_data
    try:
        return sim.outcome(form.draft(), year=d["year"], compare_run=d["compare"])
    except ValidationError as exc:
        _add_errors(form, exc)
        return None


@require_that(can_manage_allocations)
def simulation(request, save_form=None):
    """A draft key or budget change, computed on every request by the engine of a run; nothing is stored."""
    form, data = _simulation_form(request)
    context = {"form": form, "save_form": save_form}
    if form.is_valid():
        result = _simulation_outcome(form)
        if result is not None:
            query = data.urlencode() if hasattr(data, "urlencode") else _encode(data)
            context.update(result=result, panels=sim.panels(result), params=query,
                           hidden=_hidden(data), save_form=save_form or SimulationSaveForm(None))
    return render(request, "budgets/simulation.html", context, status=400 if save_form is not None else 200)


def _encode(data):
    return urlencode(data, doseq=True)


def _hidden(data):
    pairs = data.lists() if hasattr(data, "lists") else [(k, v if isinstance(v, list) else [v]) for k, v in data.items()]
    return [(k, v) for k, values in pairs for v in values
            if k not in ("csrfmiddlewaretoken", "key_name", "budget_name", "run_name")]


@require_that(can_manage_allocations)
def simulation_download(request, panel, fmt):
    form, _data = _simulation_form(request)
    if not form.is_valid():
        raise Http404("Deze simulatie is niet geldig.")
    result = _simulation_outcome(form)
    if result is None:
        raise Http404("Deze simulatie is niet geldig.")
    for p in sim.panels(result):
        if p.key == panel:
            return panel_download(p, fmt, f"simulatie-{result['year']}")
    raise Http404("Deze tabel bestaat niet.")


@require_that(can_manage_allocations)
@require_POST
def simulation_save(request):
    """Store the draft as a new key (and budget) version and start the run of exactly those inputs."""
    form = SimulationSaveForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            run = services.simulation_save(actor=request.user, draft=form.draft(), key_name=d["key_name"],
                                           budget_name=d["budget_name"], run_name=d["run_name"])
        except ValidationError as exc:
            _add_errors(form, exc)
        except QueueUnavailable as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Verdeelsleutel '{d['key_name']}' is vastgelegd en berekening '{run}' is "
                                      "gestart.")
            return redirect("budgets:run_detail", run.pk)
    request.GET = request.POST.copy()  # show the same simulation again, with the errors of the save form
    return simulation(request, save_form=form)
