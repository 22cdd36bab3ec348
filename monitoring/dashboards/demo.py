"""Demo data of the monitoring (`make run`; the test database loads it too): ketenaanpak states with some
history and valpreventie figures for every gemeente of the IZA-regio's Flevoland and Zuid-Limburg, so that the
gemeente pages and the dashboards show something. Idempotent: a gemeente that has states already is left alone.
Deterministic (derived from the CBS code), dated in the past."""

import datetime
import hashlib

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from regions.models import MunicipalityStatistics, Region
from regions.selectors import memberships_on

from ..models import ChainApproach, ChainStage, ChainStateChange, FallPreventionFigures

REGIONS = ["Flevoland", "Zuid-Limburg"]
OFFICERS = {"GM0034": "gemeente", "GM0995": "gemeente2", "GM0928": "gemeente3"}
START = datetime.date(2023, 3, 1)
STAGES = ChainStage.values
YEARS = [2024, 2025]


def _seed(*parts) -> int:
    return int(hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def load(stdout=None):
    User = get_user_model()
    fallback = User.objects.filter(username="beheer").first()
    officers = {code: User.objects.filter(username=name).first() for code, name in OFFICERS.items()}
    regions = list(Region.objects.filter(name__in=REGIONS))
    members = [m.municipality for m in memberships_on(timezone.localdate()).filter(region__in=regions)
               .select_related("municipality")]
    if fallback is None or not members:
        return
    done = set(ChainStateChange.objects.filter(municipality__in=members).values_list("municipality_id", flat=True))
    population = {}
    for s in MunicipalityStatistics.objects.filter(municipality__in=members).order_by("reference_year"):
        population[s.municipality_id] = s.population  # the latest reference year wins
    changes, figures = [], []
    for m in members:
        if m.pk in done:
            continue
        who = officers.get(m.cbs_code) or fallback
        for a_index, approach in enumerate(ChainApproach.values):
            reached = _seed(m.cbs_code, approach) % len(STAGES)  # how far this gemeente got
            day = START + datetime.timedelta(days=_seed(m.cbs_code, approach, "start") % 120)
            for stage in STAGES[1:reached + 1]:
                changes.append(ChainStateChange(municipality=m, approach=approach, stage=stage, changed_on=day,
                                                note="", recorded_by=who))
                day += datetime.timedelta(days=90 + _seed(m.cbs_code, approach, stage) % 200)
                if day > datetime.date(2026, 6, 30):
                    break
        elderly = max(500, int(population.get(m.pk, 20_000) * 0.19))
        for year in YEARS:
            if FallPreventionFigures.objects.filter(municipality=m, year=year).exists():
                continue
            share_assessed = 6 + _seed(m.cbs_code, year, "a") % 12  # 6–17 %
            share_intervention = 1 + _seed(m.cbs_code, year, "i") % 4  # 1–4 %
            figures.append(FallPreventionFigures(
                municipality=m, year=year, home_dwelling_65_plus=elderly,
                assessments=elderly * share_assessed // 100, interventions=elderly * share_intervention // 100,
                updated_by=who))
    with transaction.atomic():
        ChainStateChange.objects.bulk_create(changes)
        FallPreventionFigures.objects.bulk_create(figures)
    if stdout and (changes or figures):
        stdout.write(f"Monitoring: {len(changes)} standen van ketenaanpakken en {len(figures)} jaren valpreventie "
                     f"voor {len(members)} gemeenten van {', '.join(REGIONS)}.")
