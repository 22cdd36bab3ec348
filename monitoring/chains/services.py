"""Writes of the ketenaanpak monitoring: a new state of a ketenaanpak (append-only) and the valpreventie figures
of a year. Each runs in one transaction with its audit event; the checks here are the same as the form's, so
that no other caller can store what a form would refuse."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from spukportal import audit, bounds
from spukportal.permissions import require

from ..models import MAX_PEOPLE, ChainApproach, ChainStage, ChainStateChange, FallPreventionFigures
from .permissions import can_record_monitoring

FUTURE_DATE = "De datum ligt in de toekomst; vul de datum in waarop deze stand is bereikt."


def chain_date_problem(value, *, today=None):
    today = today or timezone.localdate()
    if value is None:
        return "Vul de datum in waarop deze stand is bereikt."
    if value > today:
        return FUTURE_DATE
    return bounds.date_problem(value, latest=today)


def fall_prevention_problems(*, home_dwelling_65_plus, assessments, interventions) -> dict:
    """{field: Dutch message} for counts that cannot be right."""
    problems = {}
    for field, value in (("home_dwelling_65_plus", home_dwelling_65_plus), ("assessments", assessments),
                         ("interventions", interventions)):
        if value is None:
            problems[field] = "Vul een aantal in."
        elif value < 0:
            problems[field] = "Een aantal kan niet negatief zijn."
        elif value > MAX_PEOPLE:
            problems[field] = f"Een aantal kan ten hoogste {MAX_PEOPLE:,} zijn.".replace(",", ".")
    if "home_dwelling_65_plus" not in problems and home_dwelling_65_plus == 0:
        problems["home_dwelling_65_plus"] = "Het aantal thuiswonende 65-plussers moet groter zijn dan 0."
    if not problems:
        if assessments > home_dwelling_65_plus:
            problems["assessments"] = ("Meer risico-inschattingen dan thuiswonende 65-plussers geeft een percentage "
                                       "boven 100%; controleer de aantallen.")
        if interventions > home_dwelling_65_plus:
            problems["interventions"] = ("Meer deelnemers dan thuiswonende 65-plussers geeft een percentage boven "
                                         "100%; controleer de aantallen.")
    return problems


def chain_state_record(*, actor, municipality, approach, stage, changed_on, note="", today=None) -> ChainStateChange:
    require(can_record_monitoring(actor, municipality))
    errors = {}
    if approach not in ChainApproach.values:
        errors["approach"] = "Kies een ketenaanpak."
    if stage not in ChainStage.values:
        errors["stage"] = "Kies een stand."
    problem = chain_date_problem(changed_on, today=today)
    if problem:
        errors["changed_on"] = problem
    problem = bounds.text_problem(note, max_chars=500)
    if problem:
        errors["note"] = problem
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        change = ChainStateChange.objects.create(municipality=municipality, approach=approach, stage=stage,
                                                 changed_on=changed_on, note=note, recorded_by=actor)
        audit.record(actor=actor, action="ketenaanpak.stand_vastgelegd", obj=municipality,
                     message=f"{municipality}: {change.get_approach_display()} is sinds "
                             f"{changed_on:%d-%m-%Y} '{change.get_stage_display()}'.",
                     details={"ketenaanpak": approach, "stand": stage, "sinds": changed_on.isoformat(),
                              "regel": change.pk})
    return change


def fall_prevention_save(*, actor, municipality, year, home_dwelling_65_plus, assessments,
                         interventions) -> FallPreventionFigures:
    require(can_record_monitoring(actor, municipality))
    errors = fall_prevention_problems(home_dwelling_65_plus=home_dwelling_65_plus, assessments=assessments,
                                      interventions=interventions)
    problem = bounds.year_problem(year) if year is not None else "Kies een jaar."
    if problem:
        errors["year"] = problem
    elif year > timezone.localdate().year:
        errors["year"] = "Cijfers over een jaar dat nog moet komen kunnen nog niet worden vastgelegd."
    if errors:
        raise ValidationError(errors)
    new = {"home_dwelling_65_plus": home_dwelling_65_plus, "assessments": assessments, "interventions": interventions}
    with transaction.atomic():
        row = (FallPreventionFigures.objects.select_for_update()
               .filter(municipality=municipality, year=year).first())
        before = {k: getattr(row, k) for k in new} if row else None
        if row is None:
            row = FallPreventionFigures(municipality=municipality, year=year)
        for key, value in new.items():
            setattr(row, key, value)
        row.updated_by = actor
        row.save()
        audit.record(actor=actor, action="valpreventie.cijfers_vastgelegd", obj=municipality,
                     message=f"{municipality}: cijfers valpreventie {year} vastgelegd "
                             f"({row.assessment_percent}% risico-inschatting, {row.intervention_percent}% interventie).",
                     details={"jaar": year, "voor": before, "na": new})
    return row
