"""Every read of the applications app, scoped to the user."""

from django.db.models import Prefetch, Q, Sum
from django.utils import timezone

from spukportal import permissions

from .models import (Application, ApplicationComponent, ApplicationPeriod, Attachment, PeriodExtension,
                     RequestedAmount, effective_closing_date)


def applications_for_user(user):
    """Officers: their own gemeenten's applications (drafts too). Kerngroep and ministry: every application
    submitted at least once. Anyone else: nothing."""
    qs = Application.objects.select_related("municipality", "period").annotate(
        total_requested=Sum("components__amounts__amount", filter=Q(components__applied=True)))
    scope = Q(pk__in=[])
    if permissions.is_officer(user):
        scope |= Q(municipality_id__in=permissions.officer_municipality_ids(user))
    if permissions.is_reviewer(user) or permissions.is_ministry(user):
        scope |= Q(submitted_at__isnull=False)
    return qs.filter(scope).order_by("-period__first_year", "municipality__name")


def periods_open_for_user(user, *, today=None):
    """Periods an officer can start an application in, per gemeente: [(period, municipality, closes_on)]."""
    today = today or timezone.localdate()
    from regions.models import Municipality

    municipalities = list(Municipality.objects.filter(pk__in=permissions.officer_municipality_ids(user)))
    existing = set(Application.objects.filter(municipality__in=municipalities).values_list("period_id",
                                                                                        "municipality_id"))
    result = []
    for period in ApplicationPeriod.objects.filter(opens_on__lte=today).order_by("closes_on"):
        for m in municipalities:
            closes_on = effective_closing_date(period, m)
            if closes_on >= today and (period.pk, m.pk) not in existing:
                result.append((period, m, closes_on))
    return result


def application_for_view(pk):
    return Application.objects.select_related("municipality", "period", "period__allocation_run").get(pk=pk)


def component_rows(application):
    """Every component one can apply for in this regulation, with the applicant's choice, amounts, cap and
    the GALA spending conditions, in number order. (A component added after the application was started
    shows as not chosen yet.)"""
    choices = {c.component_id: c for c in ApplicationComponent.objects.filter(application=application)
               .prefetch_related(Prefetch("amounts", queryset=RequestedAmount.objects.order_by("year")))}
    caps = application.definition.caps(application)
    rows = []
    for component in application.definition.components(application.regulation).order_by("number"):
        choice = choices.get(component.pk) or ApplicationComponent(
            application=application, component=component, applied=False)
        amounts = {a.year: a.amount for a in choice.amounts.all()} if choice.pk else {}
        rows.append({
            "choice": choice, "component": component,
            "years": [{"year": y, "amount": amounts.get(y),
                       "cap": None if caps is None else caps.for_component(component.pk, y)}
                      for y in application.period.years],
        })
    return rows


def year_caps(application) -> dict[int, int]:
    """{year: euros} for the years whose cap is one total over all components (from 2025 on)."""
    caps = application.definition.caps(application)
    return {} if caps is None else {y: a for y, a in sorted(caps.per_year_total.items())
                                    if y in application.period.years}


def sections_of(application, rows=None):
    """[(SectionDef, PlanSection or None)] of the plan, for the components currently applied for."""
    rows = rows if rows is not None else component_rows(application)
    stored = {s.key: s for s in application.sections.select_related("updated_by")}
    defs = application.definition.plan_sections([r["component"] for r in rows if r["choice"].applied])
    return [(d, stored.get(d.key)) for d in defs]


def checklist(application, rows=None, sections=None):
    """The checklist shown on the application page and before submitting ([regulations.CheckItem])."""
    rows = rows if rows is not None else component_rows(application)
    if sections is None and application.period.plan_required:
        sections = sections_of(application, rows)
    has_signed = any(a.kind == Attachment.Kind.SIGNED and a.removed_at is None for a in application.attachments.all())
    return application.definition.checklist(application, rows, sections or [], has_signed_pdf=has_signed)


def current_attachments(application):
    return [a for a in application.attachments.all().select_related("uploaded_by") if a.removed_at is None]


def submission_snapshot(application) -> dict:
    """Everything the applicant submits, as JSON: frozen into a numbered version on submission."""
    rows = component_rows(application)
    sections = sections_of(application, rows) if application.period.plan_required else []
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
                         "sha256": a.sha256} for a in current_attachments(application)],
    }


def snapshot_totals(snapshot) -> dict:
    totals = {str(y): 0 for y in snapshot["years"]}
    for c in snapshot["components"]:
        if c["applied"]:
            for y, a in c["amounts"].items():
                totals[y] = totals.get(y, 0) + (a or 0)
    return totals


def visible_snapshot(user, application):
    """What this user sees of the content: the applicant its live draft, others the last submitted version."""
    if application.applicant.may_act(user):
        return submission_snapshot(application), None
    version = application.versions.order_by("-number").first()
    return (version.snapshot if version else None), version


def diff_versions(a: dict, b: dict) -> dict:
    """The differences between two snapshots: amounts as a table, texts as unified diffs."""
    import difflib

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
    return ApplicationPeriod.objects.select_related("allocation_run").prefetch_related(
        Prefetch("extensions", queryset=PeriodExtension.objects.select_related("municipality", "granted_by"))
    ).order_by("-first_year", "name")

