"""Every read of the applications app, scoped to the user."""

import difflib

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from budgets.selectors import amounts_per_municipality
from regions.models import MandateHolder, Region
from regions.selectors import memberships_on, municipalities_of_officer
from spukportal import permissions
from spukportal.notifications import unread_count
from spukportal.prepared import PreparedQuery

from .. import permissions as permissions_app
from .. import rules
from ..models import (AdditionPoint, Application, ApplicationComponent, ApplicationPeriod, ApplicationVersion,
                      Attachment, MandateDeclaration, PeriodExtension, PlanLine, PlanSection, RequestedAmount,
                      extended_closing_dates)
from .flow import CONTENT_IS_LAST_VERSION, ApplicationState, reader_of


def applications_for_user(user):
    """Officers: their own gemeenten's applications (drafts too) and the IZA applications of the regions their
    gemeenten belonged to, or whose mandate they held, on the period's opening day (the day the applicant is
    fixed on, see `RegionApplicant`). Kerngroep and ministry: every application submitted at least
    once. Anyone else: nothing. (A page still checks `can_view_application` on the one it opens.)"""
    if not user.is_authenticated:
        return Application.objects.none()
    values, shape = _scope_of(user)
    return _applications_for(*values, **shape)


def _scope_of(user) -> tuple[tuple, dict]:
    """The values and shape of a logged-in user's scope (for `_applications_for` and its prepared queries)."""
    officer = permissions.is_officer(user)
    own = tuple(sorted(permissions.officer_municipality_ids(user))) if officer else ()
    return (own, user.pk), {"officer": officer,
                            "staff": permissions.is_reviewer(user) or permissions.is_ministry(user)}


def _applications_for(own, user_pk, *, officer, staff):
    """`applications_for_user` by the user's ids, so that a `PreparedQuery` can build it with stand-ins."""
    qs = Application.objects.select_related("municipality", "region", "period")
    scope = Q(pk__in=[])
    # The region conditions only for a region's application (`region IS NOT NULL` first): PostgreSQL then skips
    # their subqueries for the gemeenten's own applications, most of the table (an officer's list: 4.4 -> 0.55 ms).
    by_region = Q(region__isnull=False)
    if officer:
        scope |= Q(municipality_id__in=own)
        scope |= by_region & Q(Exists(memberships_on(OuterRef("period__opens_on")).filter(
            region_id=OuterRef("region_id"), municipality_id__in=own)))
    scope |= by_region & Q(Exists(MandateHolder.objects.valid_on(OuterRef("period__opens_on")).filter(
        region_id=OuterRef("region_id"), officers=user_pk)))
    if staff:
        scope |= Q(submitted_at__isnull=False)
    return qs.filter(scope).order_by("-period__first_year", "regulation", "municipality__name", "region__name")


# The list of applications and the officer's start page, on every visit: their SQL written once per shape of
# scope (spukportal/prepared.py; about 2 ms of processor time less per page).
_LIST = PreparedQuery(lambda own, user_pk, **shape: with_total_requested(_applications_for(own, user_pk, **shape)))


def application_list(user) -> list:
    """The applications on the list page, each with `total_requested`."""
    if not user.is_authenticated:
        return []
    values, shape = _scope_of(user)
    return _LIST.run(*values, **shape)


def with_total_requested(applications):
    """Each application with `total_requested`: the sum of the amounts of its chosen components, or of its plan
    lines (SPUK IZA); None when it has neither. For the list of applications, the only page that shows it."""
    requested = RequestedAmount.objects.filter(choice__application=OuterRef("pk"), choice__applied=True) \
        .values("choice__application").annotate(total=Sum("amount")).values("total")
    planned = PlanLine.objects.filter(application=OuterRef("pk")).values("application") \
        .annotate(total=Sum("amount")).values("total")
    return applications.annotate(total_requested=Coalesce(Subquery(requested), Subquery(planned)))


# The list of applications asks these on every visit while a period is open: SQL written once (spukportal/prepared.py).
_OPEN_PERIODS = PreparedQuery(lambda today: ApplicationPeriod.objects.filter(
    Q(closes_on__gte=today) | Q(extensions__closes_on__gte=today),
    opens_on__lte=today, allocation_run__isnull=False).distinct().order_by("closes_on"))
_HOLDERS_ACTED_FOR = PreparedQuery(lambda day, municipality_ids, user_pk: _holders_acted_for(
    user_pk, day, municipality_ids))
_STARTED = PreparedQuery(lambda period_ids, municipality_ids, region_ids: Application.objects.filter(
    period__in=period_ids).filter(Q(municipality__in=municipality_ids) | Q(region__in=region_ids))
    .exclude(state=ApplicationState.INGETROKKEN).values_list("period_id", "municipality_id", "region_id"))


def _ids(objects) -> tuple:
    """The distinct primary keys of these objects, in order: a prepared query's value for `__in`."""
    return tuple(sorted({o.pk for o in objects}))


def periods_open_for_user(user, *, today=None) -> list[dict]:
    """Where this officer can start an application now: [{"period", "name", "closes_on"}] — per own gemeente
    for the brede SPUK, per region whose mandate holder they act for in the SPUK IZA. One query when no period is
    open (most of the year), five when one is."""
    today = today or timezone.localdate()
    # A period without an allocation run is not open: nothing would cap the request (rules.allocation_run_problems).
    # A period closed before today is left out unless an extension (uitstel) of some gemeente runs until today.
    periods = _OPEN_PERIODS.run(today)
    if not periods:
        return []
    municipalities = municipalities_of_officer(user)
    # Who may start where: an IZA period per region whose mandate holder the user acts for (that holder's gemeente's
    # extension counts), any other period per own gemeente.
    starts = []
    for period in periods:
        if period.definition.by_region:
            starts += [(period, holder.municipality, holder.region) for holder in
                       _HOLDERS_ACTED_FOR.run(period.opens_on, _ids(municipalities), user.pk)]
        else:
            starts += [(period, m, None) for m in municipalities]
    if not starts:
        return []
    # Where an application was started already (after a withdrawal one may start again).
    existing = set(_STARTED.run(_ids(p for p, _, _ in starts), _ids(m for _, m, region in starts if region is None),
                                _ids(region for _, _, region in starts if region is not None)))
    extended = extended_closing_dates({p.pk for p in periods}, {m.pk for _, m, _ in starts if m is not None})
    result = []
    for period, municipality, region in starts:
        closes_on = extended.get((period.pk, municipality.pk if municipality else None), period.closes_on)
        taken = (period.pk, None, region.pk) if region else (period.pk, municipality.pk, None)
        if closes_on >= today and taken not in existing:
            result.append({"period": period, "name": f"IZA-regio {region.name}" if region else municipality.name,
                           "closes_on": closes_on})
    return result


def _holders_acted_for(user, day, municipalities):
    """The mandate holders (on `day`, a period's opening day) this user acts for: as an officer of the mandate
    gemeente, or linked to a public body."""
    return MandateHolder.objects.valid_on(day).filter(
        Q(municipality__in=municipalities) | Q(officers=user)).select_related("region", "municipality").distinct()


def regions_to_apply_for(user, period):
    """The IZA-regio's whose mandate holder (on the period's opening day) this user acts for."""
    holders = _holders_acted_for(user, period.opens_on, municipalities_of_officer(user))
    return Region.objects.filter(pk__in=holders.values("region")).order_by("name")


# Not the run's frozen inputs: tens of kB of JSON that no application page reads (the run page does). The row of
# every application page: its SQL written once (spukportal/prepared.py; 1.2 → 0.3 ms of processor time).
_APPLICATION = PreparedQuery(lambda pk: Application.objects.select_related(
    "municipality", "region", "period", "period__allocation_run").defer(
    "period__allocation_run__input_snapshot").filter(pk=pk))


def application_for_view(pk) -> Application:
    """The application with its gemeente, region, period and the period's run; Application.DoesNotExist."""
    rows = _APPLICATION.run(int(pk))
    if not rows:
        raise Application.DoesNotExist(f"Geen aanvraag {pk}.")
    return rows[0]


def of_application(application, rows):
    """Rows read by the application's id (a prepared query), each with the application itself in place, as its
    related manager would give them: reading `row.application` asks nothing of the database."""
    for row in rows:
        row.application = application
    return rows


# The components page and every application page's checklist: the choices and their amounts, SQL written once.
_CHOICES = PreparedQuery(lambda pk: ApplicationComponent.objects.filter(application=pk))
_REQUESTED = PreparedQuery(lambda pk: RequestedAmount.objects.filter(choice__application=pk)
                           .values_list("choice_id", "year", "amount"))


def component_rows(application):
    """Every component one can apply for in this regulation, with the applicant's choice, amounts, cap and
    the GALA spending conditions, in number order. (A component added after the application was started
    shows as not chosen yet.)"""
    choices = {c.component_id: c for c in of_application(application, _CHOICES.run(application.pk))}
    requested = {}
    for choice_id, year, amount in _REQUESTED.run(application.pk):
        requested.setdefault(choice_id, {})[year] = amount
    caps = application.definition.caps(application)
    rows = []
    for component in application.definition.components_in_order():
        choice = choices.get(component.pk) or ApplicationComponent(
            application=application, component=component, applied=False)
        amounts = requested.get(choice.pk, {})
        rows.append({
            "choice": choice, "component": component,
            "years": [{"year": y, "amount": amounts.get(y),
                       "cap": None if caps is None else caps.for_component(component.pk, y)}
                      for y in application.period.years],
        })
    return rows


def year_caps(application) -> dict[int, int]:
    """{year: euros} for the period's years whose cap is one total over all components (the regulation's one
    budget line); the components page and the decision form show them."""
    caps = application.definition.caps(application)
    return {} if caps is None else {y: a for y, a in sorted(caps.per_year_total.items())
                                    if y in application.period.years}


def applied_components(application):
    """The components this application currently applies for, in number order (what `component_rows` marks
    applied, without its amounts and caps)."""
    chosen = {c.component_id for c in _CHOICES.run(application.pk) if c.applied}
    return [c for c in application.definition.components_in_order() if c.pk in chosen]


_SECTIONS = PreparedQuery(lambda pk: PlanSection.objects.filter(application=pk).select_related("updated_by"))


def sections_of(application, rows=None):
    """[(SectionDef, PlanSection or None)] of the plan, for the components currently applied for."""
    applied = (applied_components(application) if rows is None
               else [r["component"] for r in rows if r["choice"].applied])
    stored = {s.key: s for s in of_application(application, _SECTIONS.run(application.pk))}
    defs = application.definition.plan_sections(application, applied)
    return [(d, stored.get(d.key)) for d in defs]


def checklist(application, rows=None, sections=None, attachments=None):
    """The checklist shown on the application page and before submitting ([regulations.CheckItem]). `rows`,
    `sections`, `attachments`: the application's `plan_parts`, when the caller has them already."""
    rows = rows if rows is not None else component_rows(application)
    if sections is None and application.definition.has_plan(application.period):
        sections = sections_of(application, rows)
    attachments = attachments if attachments is not None else current_attachments(application)
    has_signed = any(a.kind == Attachment.Kind.SIGNED for a in attachments)
    extra = {}
    if application.definition.budget_in_lines:
        lines = line_dicts(application)
        extra = {"lines": lines, "missing_declarations": missing_declarations(application),
                 "line_problems": rules.line_problems(lines=lines, caps=application.definition.caps(application),
                                                      years=application.period.years,
                                                      members={m.pk for m in application.applicant.members})}
    return application.definition.checklist(application, rows, sections or [], has_signed_pdf=has_signed,
                                            extra=extra)


# --- SPUK IZA ------------------------------------------------------------------------------------------

def plan_lines(application):
    return application.plan_lines.select_related("municipality", "brede_component")


def line_dicts(application) -> list[dict]:
    """The stored budget lines in the shape the rules and the service take."""
    return [{"activity": line.activity, "scope": line.scope, "municipality": line.municipality, "year": line.year,
             "amount": line.amount, "brede_component": line.brede_component,
             "double_funding_note": line.double_funding_note} for line in plan_lines(application)]


def current_declarations(application):
    return MandateDeclaration.objects.filter(application=application, withdrawn_at__isnull=True) \
        .select_related("municipality", "declared_by")


def missing_declarations(application) -> list:
    """The member gemeenten whose mandate declaration is still missing, by name."""
    present = set(current_declarations(application).values_list("municipality_id", flat=True))
    return [m for m in application.applicant.declaring_members if m.pk not in present]


def region_split(application) -> dict:
    """The IZA plan per year: regional, local per member gemeente, total, and the region's cap; plus each
    member's own allocation for reference."""
    years = application.period.years
    caps = application.definition.caps(application)
    members = application.applicant.members
    local = {m.pk: {y: 0 for y in years} for m in members}
    regional = {y: 0 for y in years}
    for line in application.plan_lines.all():
        if line.year not in regional:
            continue
        if line.scope == PlanLine.Scope.LOCAL and line.municipality_id in local:
            local[line.municipality_id][line.year] += line.amount
        else:
            regional[line.year] += line.amount
    run = application.period.allocation_run
    allocations = amounts_per_municipality(run=run, municipalities=members) if run else {}
    return {
        "years": years,
        "regional": [regional[y] for y in years],
        "members": [{"municipality": m, "local": [local[m.pk][y] for y in years],
                     "allocation": [allocations.get(m.pk, {}).get(y) for y in years]} for m in members],
        "total": [regional[y] + sum(local[m.pk][y] for m in members) for y in years],
        "cap": [None if caps is None else caps.per_year_total.get(y, 0) for y in years],
    }


# The application pages' reads of one application, SQL written once (spukportal/prepared.py).
_ATTACHMENTS = PreparedQuery(lambda pk: Attachment.objects.filter(application=pk, removed_at__isnull=True)
                             .select_related("uploaded_by"))
_VERSIONS = PreparedQuery(lambda pk: ApplicationVersion.objects.filter(application=pk).select_related("submitted_by"))


def current_attachments(application):
    """The attachments not removed, by kind and upload time."""
    return of_application(application, _ATTACHMENTS.run(application.pk))


def versions_of(application):
    """The submitted versions, by number, with who submitted them."""
    return of_application(application, _VERSIONS.run(application.pk))


def plan_parts(application):
    """(component rows, plan sections, current attachments) of the live application: what the snapshot and the
    checklist both read."""
    rows = component_rows(application)
    sections = sections_of(application, rows) if application.definition.has_plan(application.period) else []
    return rows, sections, current_attachments(application)


def submission_snapshot(application, parts=None) -> dict:
    """Everything the applicant submits, as JSON: frozen into a numbered version on submission. `parts`: the
    application's `plan_parts`, when the caller has them already."""
    rows, sections, attachments = parts or plan_parts(application)
    # Budget lines and mandate declarations are read only where the regulation has them.
    definition = application.definition
    lines = plan_lines(application) if definition.budget_in_lines else []
    declarations = current_declarations(application) if definition.by_region else []
    return {
        "period": application.period.name,
        "municipality": application.applicant.name,
        "cbs_code": application.applicant.code,
        "years": application.period.years,
        "components": [
            {"id": r["component"].pk, "number": r["component"].number, "name": r["component"].name,
             "applied": r["choice"].applied, "reason": r["choice"].reason_not_applied,
             "amounts": {str(y["year"]): y["amount"] for y in r["years"] if y["amount"] is not None}}
            for r in rows
        ],
        "sections": [{"key": d.key, "title": d.title, "text": s.text if s else ""} for d, s in sections],
        "signatory": {"name": application.signatory_name, "role": application.get_signatory_role_display(),
                      "date": application.signed_on.isoformat() if application.signed_on else None},
        "consent": application.monitoring_consent,
        "attachments": [{"id": a.pk, "kind": a.get_kind_display(), "filename": a.original_name, "size": a.size,
                         "sha256": a.sha256} for a in attachments],
        "lines": [{"activity": line.activity, "scope": line.get_scope_display(),
                   "municipality": line.municipality.name if line.municipality else "", "year": line.year,
                   "amount": line.amount, "brede_component": str(line.brede_component or ""),
                   "double_funding_note": line.double_funding_note} for line in lines],
        "declarations": [{"municipality": d.municipality.name, "signatory": d.signatory_name,
                          "date": d.signed_on.isoformat(), "filename": d.original_name, "sha256": d.sha256}
                         for d in declarations],
    }


def snapshot_totals(snapshot) -> dict:
    totals = {str(y): 0 for y in snapshot["years"]}
    for c in snapshot["components"]:
        if c["applied"]:
            for y, a in c["amounts"].items():
                totals[y] = totals.get(y, 0) + (a or 0)
    return totals


def line_totals(lines) -> list[dict]:
    """The plan lines of a snapshot summed per year, regional and local apart: [{year, regional, local, total}]."""
    per_year = {}
    for line in lines:
        row = per_year.setdefault(line["year"], {"year": line["year"], "regional": 0, "local": 0, "total": 0})
        row["local" if line.get("municipality") else "regional"] += line["amount"] or 0
        row["total"] += line["amount"] or 0
    return [per_year[y] for y in sorted(per_year)]


def visible_snapshot(user, application, version, parts=None):
    """What this user sees of the content: the applicant its live draft, others the last submitted version
    (`version`, None before the first submission). Where the workflow says the draft is that version (submitted and
    not open to changes: `CONTENT_IS_LAST_VERSION`), the applicant is shown the stored version too, instead of the
    draft's rows put together again."""
    own = application.applicant.may_read(user)
    if own and application.state not in CONTENT_IS_LAST_VERSION:
        return submission_snapshot(application, parts), None
    if version is None:
        return (submission_snapshot(application, parts) if own else None), None
    return version.snapshot, (None if own else version)


def diff_versions(a: dict, b: dict) -> dict:
    """The differences between two snapshots: amounts as a table, texts as unified diffs."""
    years = sorted(set(map(str, a["years"])) | set(map(str, b["years"])))
    comp_a = {c["number"]: c for c in a["components"]}
    comp_b = {c["number"]: c for c in b["components"]}
    components = []
    for number in sorted(set(comp_a) | set(comp_b)):
        ca, cb = comp_a.get(number, {}), comp_b.get(number, {})
        cells = [{"year": y, "old": (ca.get("amounts") or {}).get(y), "new": (cb.get("amounts") or {}).get(y)}
                 for y in years]
        changed = (ca.get("applied") != cb.get("applied") or ca.get("reason") != cb.get("reason")
                   or any(c["old"] != c["new"] for c in cells))
        components.append({"number": number, "name": (cb or ca).get("name"), "changed": changed,
                           "old_applied": ca.get("applied"), "new_applied": cb.get("applied"),
                           "old_reason": ca.get("reason", ""), "new_reason": cb.get("reason", ""), "cells": cells})
    sec_a = {s["key"]: s for s in a["sections"]}
    sec_b = {s["key"]: s for s in b["sections"]}
    sections = []
    for key in list(dict.fromkeys([*sec_a, *sec_b])):
        old, new = sec_a.get(key, {}).get("text", ""), sec_b.get(key, {}).get("text", "")
        if old != new:
            lines = list(difflib.ndiff(old.splitlines(), new.splitlines()))
            sections.append({"title": (sec_b.get(key) or sec_a.get(key))["title"],
                             "lines": [{"op": line[0], "text": line[2:]} for line in lines if line[0] in " +-"]})
    other = []
    for label, va, vb in [("Ondertekenaar", a["signatory"], b["signatory"]),
                          ("Toestemming landelijke monitoring", a["consent"], b["consent"]),
                          ("Bijlagen", [x["filename"] for x in a["attachments"]],
                           [x["filename"] for x in b["attachments"]])]:
        if va != vb:
            other.append({"label": label, "old": va, "new": vb})
    return {"years": years, "components": components, "sections": sections, "other": other}


def period_list():
    extensions = PeriodExtension.objects.select_related("municipality", "granted_by")
    return (ApplicationPeriod.objects.select_related("allocation_run").defer("allocation_run__input_snapshot")
            .prefetch_related(Prefetch("extensions", queryset=extensions)).order_by("-first_year", "name"))



def iza_overview(user, region) -> list[dict]:
    """For the region page: the region's IZA applications this user may see, each with its status, the
    declarations present and missing, and the split of the budget."""
    result = []
    for application in Application.objects.filter(region=region).select_related("period", "region") \
            .order_by("-period__first_year"):
        if not permissions_app.can_view_application(user, application):
            continue
        result.append({"application": application, "split": region_split(application),
                       "declarations": list(current_declarations(application)),
                       "missing": missing_declarations(application)})
    return result


# --- the officer's start page (notifications, receipts) -------------------------------------------

def officer_home(user, *, today=None) -> dict:
    """What is asked of this officer's gemeente(n), for the start page: applications with a request for
    additions (with the number of points still open), drafts with their closing date (extension included),
    missing IZA mandate declarations (the mandate holder: which members; a member: whether its own is missing),
    decisions received, the unread notifications, and the standing of every application (its status in words for
    this reader). A fixed number of queries for a gemeente's few
    applications (the IZA drafts add the applicant's mandate holder and members: one region per gemeente)."""
    today = today or timezone.localdate()
    values, shape = _scope_of(user)
    own = set(values[0])  # the officer's gemeenten
    apps = _OFFICER_HOME.run(*values, **shape)
    drafts = [a for a in apps if a.state == ApplicationState.CONCEPT and a.applicant.may_act(user)]
    extensions = extended_closing_dates({a.period_id for a in drafts}, {
        a.applicant.extension_municipality.pk for a in drafts if a.applicant.extension_municipality})
    for a in drafts:
        m = a.applicant.extension_municipality
        a.closes_on = extensions.get((a.period_id, m.pk if m else None), a.period.closes_on)
        a.extended = a.closes_on != a.period.closes_on
        a.days_left = (a.closes_on - today).days
    declarations = []
    for a in apps:
        if not a.definition.by_region or a.state != ApplicationState.CONCEPT:
            continue
        missing = missing_declarations(a)
        if a.applicant.may_act(user):
            if missing:
                declarations.append({"application": a, "missing": missing, "own": False})
        else:
            mine = [m for m in missing if m.pk in own]
            if mine:
                declarations.append({"application": a, "missing": mine, "own": True})
    for a in apps:  # the status of each, in words for this reader (the mandate holder, or a member reading along)
        a.status_text = a.state_info.explanation_for(reader_of(user, a))
    return {
        "standing": apps,
        "additions": [a for a in apps if a.state == ApplicationState.AANVULLING_GEVRAAGD],
        "drafts": drafts,
        "declarations": declarations,
        "decisions": [a for a in apps if hasattr(a, "decision") and a.state in (ApplicationState.TOEGEKEND,
                                                                                 ApplicationState.AFGEWEZEN)],
        "unread": unread_count(user),
    }


def _officer_home_applications(own, user_pk, **shape):
    open_points = AdditionPoint.objects.filter(request__application=OuterRef("pk"), request__answered_at__isnull=True,
                                               answer="").values("request__application").annotate(
        n=Count("pk")).values("n")
    return (_applications_for(own, user_pk, **shape).exclude(state=ApplicationState.INGETROKKEN)
            .select_related("decision").annotate(open_points=Coalesce(Subquery(open_points), 0)))


_OFFICER_HOME = PreparedQuery(_officer_home_applications)


def start_page(user) -> dict:
    """What is asked of an officer's gemeenten, for the start page (`spukportal.hooks.START_PAGE`)."""
    return {"officer_home": officer_home(user)} if permissions.is_officer(user) else {}


def region_page(user, region) -> dict:
    """The region's IZA applications, for its reference page (`spukportal.hooks.REGION_PAGE`)."""
    return {"iza_applications": iza_overview(user, region)}
