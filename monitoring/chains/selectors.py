"""Reads of the ketenaanpak monitoring. Each costs a fixed number of queries, whatever the number of gemeenten."""

from collections import Counter, defaultdict

from django.db import connection
from django.db.models import Count, F, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from spukportal.charts import COUNT, Column, PERCENT, Panel, TEXT, Table

from ..models import (ASSESSMENT_TARGET_PERCENT, ChainApproach, ChainStage, ChainStateChange,
                      FallPreventionFigures, INTERVENTION_TARGET_PERCENT)

STAGE_ORDER = {code: i for i, code in enumerate(ChainStage.values)}


def current_states(municipality_ids=None) -> dict[tuple[int, str], ChainStateChange]:
    """{(municipality_id, approach): its current state (the latest change)} in one query."""
    changes = ChainStateChange.objects.annotate(
        rank=Window(RowNumber(), partition_by=[F("municipality_id"), F("approach")],
                    order_by=[F("changed_on").desc(), F("recorded_at").desc(), F("id").desc()]))
    if municipality_ids is not None:
        changes = changes.filter(municipality_id__in=list(municipality_ids))
    return {(c.municipality_id, c.approach): c for c in changes.filter(rank=1)}


def current_stages(municipality_ids=None) -> dict[tuple[int, str], str]:
    """{(municipality_id, approach): current stage code} of the given gemeenten (None: all): one query, values
    only (PostgreSQL: DISTINCT ON)."""
    changes = ChainStateChange.objects.all()
    if municipality_ids is not None:
        changes = changes.filter(municipality_id__in=list(municipality_ids))
    order = ["municipality_id", "approach", "-changed_on", "-recorded_at", "-id"]
    if connection.vendor == "postgresql":
        rows = (changes.order_by(*order).distinct("municipality_id", "approach")
                .values_list("municipality_id", "approach", "stage"))
        return {(m, a): stage for m, a, stage in rows}
    result = {}
    for m, a, stage in changes.order_by(*order).values_list("municipality_id", "approach", "stage"):
        result.setdefault((m, a), stage)  # the first of each pair is its latest
    return result


def municipality_monitoring(municipality) -> dict:
    """One gemeente's page: per ketenaanpak the current state and its full history; the valpreventie figures."""
    history = defaultdict(list)
    for change in (ChainStateChange.objects.filter(municipality=municipality).select_related("recorded_by")
                   .order_by("-changed_on", "-recorded_at", "-id")):
        history[change.approach].append(change)
    approaches = [{"code": code, "label": label, "current": (history[code] or [None])[0], "history": history[code]}
                  for code, label in ChainApproach.choices]
    figures = list(FallPreventionFigures.objects.filter(municipality=municipality).select_related("updated_by")
                   .order_by("-year"))
    return {"approaches": approaches, "figures": figures}


def coverage(municipality_ids, *, everyone=False) -> dict:
    """Per ketenaanpak how many of the given gemeenten are in each state ('niet gestart' includes gemeenten
    that recorded nothing). Two queries."""
    ids = list(municipality_ids)
    counts = {code: Counter() for code in ChainApproach.values}
    for (_municipality_id, approach), stage in current_stages(None if everyone else ids).items():
        counts[approach][stage] += 1
    rows = []
    for code, label in ChainApproach.choices:
        recorded = sum(counts[code].values())
        cells = [counts[code][stage] + (len(ids) - recorded if stage == ChainStage.NOT_STARTED else 0)
                 for stage in ChainStage.values]
        rows.append({"code": code, "label": label, "cells": cells,
                     "accessible": counts[code][ChainStage.ACCESSIBLE]})
    return {"stages": ChainStage.choices, "rows": rows, "total": len(ids)}


def fall_prevention_totals(municipality_ids, year, *, everyone=False) -> dict:
    """The sums over the given gemeenten (or all: `everyone`) for one year, of those that reported; one query."""
    rows = FallPreventionFigures.objects.filter(year=year)
    if not everyone:
        rows = rows.filter(municipality_id__in=list(municipality_ids))
    totals = rows.aggregate(reported=Count("pk"), population=Sum("home_dwelling_65_plus"),
                            assessments=Sum("assessments"), interventions=Sum("interventions"))
    return {k: v or 0 for k, v in totals.items()}


def municipality_tables(municipality) -> list[Panel]:
    """The gemeente page's tables for download: every recorded ketenaanpak state (the history, newest first) and
    the valpreventie figures per year, as dashboard panels (same CSV/XLSX writers as the dashboards)."""
    data = municipality_monitoring(municipality)
    history = Table([Column("Ketenaanpak", TEXT, 26), Column("Stand", TEXT, 24), Column("Sinds", TEXT, 12),
                     Column("Toelichting", TEXT, 50), Column("Vastgelegd door", TEXT, 24),
                     Column("Vastgelegd op", TEXT, 18)])
    for a in data["approaches"]:
        for c in a["history"]:
            history.rows.append([a["label"], c.get_stage_display(), c.changed_on.strftime("%d-%m-%Y"), c.note,
                                 c.recorded_by.get_full_name() or c.recorded_by.get_username(),
                                 timezone.localtime(c.recorded_at).strftime("%d-%m-%Y %H:%M")])
    figures = Table([Column("Jaar", TEXT, 8), Column("Thuiswonende 65-plussers", COUNT),
                     Column("Risico-inschattingen", COUNT), Column(f"Percentage (doel {ASSESSMENT_TARGET_PERCENT}%)", PERCENT),
                     Column("Interventie", COUNT), Column(f"Percentage (doel {INTERVENTION_TARGET_PERCENT}%)", PERCENT)])
    for f in data["figures"]:
        figures.rows.append([str(f.year), f.home_dwelling_65_plus, f.assessments, f.assessment_percent,
                             f.interventions, f.intervention_percent])
    return [Panel("ketenaanpak", f"Ketenaanpakken {municipality.name}", history),
            Panel("valpreventie", f"Valpreventie {municipality.name}", figures)]
