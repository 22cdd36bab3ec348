"""The ministry's decision (beschikking): the DECIDE effect of the `toekennen` and `afwijzen` transitions,
the granted amounts (capped by the allocation), the advance payments and the letter (a tagged PDF).

The effect runs inside `applications.intake.services.application_transition`, on the locked application row
(`applications.apps` registers it, `EFFECTS`); `applications.decisions.services` holds the services that go
through the transition (the form's decision, the batch).
"""

import datetime
import hashlib
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from budgets.models import Component
from spukportal import audit, bounds
from spukportal.jobs import enqueue_after_commit
from spukportal.dates import next_working_day
from spukportal.models import JobStatus
from spukportal.money import format_euro
from spukportal import pdf

from .. import ledger_posting, rules, stages
from ..intake.flow import Effect
from ..intake.services import _require
from ..letters import letter_frame
from ..models import AdvancePayment, DecisionLetter, GrantDecision, GrantDecisionLine, PlanLine
from ..permissions import can_retry_decision_letter
from ..review.selectors import latest_version
from .flow import OUTCOME_OF

log = logging.getLogger(__name__)

LETTER_TASK = "applications.tasks.render_decision_letter"
# Advances: portal policy. The GALA sets no payment schedule; it only says (bijlage 2) that no IZA money is paid
# before the region's mandate holder is known.
PAYMENT_WEEKS = 4  # the voorschot of the decision's own year (and earlier years): within four weeks
LATER_YEARS_PAID_ON = (2, 1)  # later years: on 1 February of that year




def decision_reference(app) -> str:
    """The decision's kenmerk: deterministic per application (a re-run never makes another), unique because
    the application's number is, e.g. VWS-2024-BS-000123."""
    prefix = app.definition.reference_prefix
    return f"VWS-{app.period.first_year}-{prefix}-{app.pk:06d}"


# --- what was requested, what may be granted -----------------------------------------------------------

def requested_lines(app) -> list[dict]:
    """What the applicant requested in the last submitted version, as decision lines: brede SPUK per applied
    component per year (from the version's snapshot, else the live rows), SPUK IZA per plan line."""
    if app.definition.budget_in_lines:
        return [{"component": None, "plan_line": line.pk, "year": line.year, "amount": line.amount}
                for line in PlanLine.objects.filter(application=app).order_by("position", "id")]
    version = latest_version(app)
    if version is not None:
        return [{"component": c["id"], "plan_line": None, "year": int(year), "amount": amount}
                for c in version.snapshot["components"] if c["applied"]
                for year, amount in sorted(c["amounts"].items()) if amount is not None]
    return [{"component": row.component_id, "plan_line": None, "year": a.year, "amount": a.amount}
            for row in app.components.filter(applied=True).prefetch_related("amounts").order_by("component__number")
            for a in row.amounts.all()]


def _subjects(app) -> dict:
    """What a decision line may be about: {("component"|"plan_line", id): (label, component, plan_line)}."""
    if app.definition.budget_in_lines:
        return {("plan_line", line.pk): (_line_label(line), None, line)
                for line in PlanLine.objects.filter(application=app).select_related("municipality")}
    return {("component", c.pk): (f"{c.number}. {c.name}", c, None)
            for c in Component.objects.filter(regulation=app.regulation, is_total=False)}


def _line_label(line) -> str:
    where = f"lokaal, {line.municipality.name}" if line.municipality_id else "regionaal"
    return f"{line.activity} ({where})"[:300]


def _key(line) -> tuple:
    return ("plan_line", line["plan_line"]) if line.get("plan_line") else ("component", line.get("component"))


def cap_overruns(app, lines, caps=None) -> dict:
    """Granted amounts above the allocation: {(subject, year): Dutch message naming the year, the amount and
    the cap}, subject ("component"|"plan_line", id) or None for a whole year's total. The cap logic is the
    application's (`definition.caps` and `rules.cap_problems`); `caps` replaces the period's (an amendment after
    a budget change is bound by the newer allocation)."""
    caps = caps if caps is not None else app.definition.caps(app)
    if caps is None:
        return {}
    choices, names = {}, {}
    for line in lines:  # keyed as rules.cap_problems expects: the component's id (IZA: the plan line)
        key = ("plan_line", line["plan_line"]) if line.get("plan_line") else line.get("component")
        choice = choices.setdefault(key, {"applied": True, "amounts": {}})
        choice["amounts"][line["year"]] = choice["amounts"].get(line["year"], 0) + line["amount"]
        names[key] = line.get("label", "")
    problems = rules.cap_problems(caps=caps, years=app.period.years, choices=choices, names=names)
    messages = {}
    for key, year in sorted(problems, key=lambda p: (p[1], str(p[0]))):
        subject = key if isinstance(key, tuple) or key is None else ("component", key)
        if key is None:
            total = sum(c["amounts"].get(year, 0) for c in choices.values())
            messages[(None, year)] = (f"In {year} wordt in totaal {format_euro(total)} toegekend, maar de toekenning "
                                      f"uit de verdeling voor {year} is {format_euro(caps.per_year_total[year])}.")
        elif year not in app.period.years:
            messages[(subject, year)] = f"{names[key]}: {year} valt buiten de aanvraagperiode."
        else:
            cap = caps.per_year_total.get(year, 0) if isinstance(key, tuple) else caps.for_component(key, year)
            messages[(subject, year)] = (f"{names[key]}: in {year} wordt {format_euro(choices[key]['amounts'][year])} "
                                         f"toegekend, maar de toekenning uit de verdeling is ten hoogste "
                                         f"{format_euro(cap or 0)}.")
    return messages


def clean_lines(app, lines, caps=None) -> list[dict]:
    """The decision lines, checked: each about a component (brede SPUK) or plan line (IZA) of this
    application, in a year of the period, each amount bounded, all within the allocation (`caps`, else the
    period's, as `cap_overruns`). Raises a Dutch
    ValidationError (nothing stored) or returns the lines with their labels."""
    subjects = _subjects(app)
    cleaned, errors = [], []
    for line in lines:
        key = _key(line)
        if key not in subjects:
            errors.append("Een toegekend bedrag hoort bij een onderdeel of begrotingsregel van deze aanvraag.")
            continue
        label, component, plan_line = subjects[key]
        year, amount = line.get("year"), line.get("amount")
        if not isinstance(year, int) or year not in app.period.years:
            errors.append(f"{label}: {year} valt buiten de aanvraagperiode.")
            continue
        if not isinstance(amount, int):
            errors.append(f"{label}, {year}: vul een bedrag in hele euro's in.")
            continue
        problem = bounds.amount_problem(amount)
        if problem:
            errors.append(f"{label}, {year}: {problem}")
            continue
        cleaned.append({"component": component, "plan_line": plan_line, "year": year, "amount": amount,
                        "label": label, "municipality": plan_line.municipality if plan_line else None})
    if errors:
        raise ValidationError(errors)
    overruns = cap_overruns(app, [{**c, "component": c["component"] and c["component"].pk,
                                   "plan_line": c["plan_line"] and c["plan_line"].pk} for c in cleaned], caps)
    if overruns:
        raise ValidationError(list(overruns.values()))
    if not any(c["amount"] for c in cleaned):
        raise ValidationError("Een toekenning heeft ten minste één bedrag boven € 0. Wijs de aanvraag anders af.")
    return cleaned


def capped_to_allocation(app, lines) -> list[dict]:
    """The lines lowered to the allocation where they exceed it (the batch's default; see `lowered_to`)."""
    caps = app.definition.caps(app)
    return lines if caps is None else lowered_to(caps, lines)


def lowered_to(caps, lines) -> list[dict]:
    """The lines lowered to `caps` where they exceed it (never raised): a component above its own cap gets the
    cap; the lines of a year above the year's total cap are scaled down in proportion (whole euros, the
    remainder to the first line), so that they add up to the cap exactly. Also used by amended decisions."""
    lines = [dict(line) for line in lines]
    totals = {}
    for line in lines:
        cap = caps.for_component(line["component"], line["year"]) if line.get("component") else None
        if cap is not None:
            line["amount"] = min(line["amount"], cap)
        else:
            totals.setdefault(line["year"], []).append(line)
    for year, group in totals.items():
        cap, total = caps.per_year_total.get(year, 0), sum(line["amount"] for line in group)
        if total > cap:
            for line in group:
                line["amount"] = line["amount"] * cap // total
            group[0]["amount"] += cap - sum(line["amount"] for line in group)
    return lines
    lines = [dict(line) for line in lines]
    totals = {}
    for line in lines:
        cap = caps.for_component(line["component"], line["year"]) if line.get("component") else None
        if cap is not None:
            line["amount"] = min(line["amount"], cap)
        else:
            totals.setdefault(line["year"], []).append(line)
    for year, group in totals.items():
        cap, total = caps.per_year_total.get(year, 0), sum(line["amount"] for line in group)
        if total > cap:
            for line in group:
                line["amount"] = line["amount"] * cap // total
            group[0]["amount"] += cap - sum(line["amount"] for line in group)
    return lines


def payment_schedule(lines, decided_on: datetime.date) -> list[tuple[datetime.date, int, int]]:
    """The advance payments: one voorschot per granted year — the decision's own year (and any earlier year)
    within four weeks of the decision date, later years on 1 February of that year; a day in the weekend or on a
    Dutch public holiday moves to the next working day. [(due_on, year, amount)]."""
    per_year = {}
    for line in lines:
        per_year[line["year"]] = per_year.get(line["year"], 0) + line["amount"]
    soon = decided_on + datetime.timedelta(weeks=PAYMENT_WEEKS)
    return [(next_working_day(soon if year <= decided_on.year else datetime.date(year, *LATER_YEARS_PAID_ON)),
             year, amount) for year, amount in sorted(per_year.items()) if amount]


# --- the effect ----------------------------------------------------------------------------------------

def decide(*, actor, app, transition, today, details, data):
    """`toekennen` / `afwijzen`: the decision with its lines and advance payments, audited; the letter is
    rendered after commit (by a Celery task, or by the batch itself when `data["render"]` is False).

    data: decided_on (date, default today), lines ([{component|plan_line, year, amount}], default what was
    requested), reasons (str; for a rejection the transition's note), batch (DecisionBatch)."""
    outcome = OUTCOME_OF[transition.name]
    granted = outcome == GrantDecision.Outcome.GRANTED
    if GrantDecision.objects.filter(application=app).exists():
        raise ValidationError("Over deze aanvraag is al een besluit genomen; een tweede beschikking kan niet.")
    decided_on = data.get("decided_on") or today or timezone.localdate()
    problem = bounds.date_problem(decided_on)
    if problem:
        raise ValidationError(problem)
    reasons = (data.get("reasons") or "").strip()
    problem = bounds.text_problem(reasons, max_chars=bounds.MAX_NOTE_CHARS)
    if problem:
        raise ValidationError(problem)
    if granted:
        lines = clean_lines(app, data["lines"] if data.get("lines") is not None else requested_lines(app))
    else:
        if not reasons:
            raise ValidationError("Geef de redenen van de afwijzing; ze staan in de beschikking.")
        lines = []
    decision = GrantDecision.objects.create(
        application=app, outcome=outcome,
        reference=decision_reference(app), decided_on=decided_on, reasons=reasons, decided_by=actor,
        batch=data.get("batch"))
    GrantDecisionLine.objects.bulk_create([
        GrantDecisionLine(decision=decision, position=i, label=line["label"], component=line["component"],
                          plan_line=line["plan_line"], municipality=line["municipality"], year=line["year"],
                          amount=line["amount"]) for i, line in enumerate(lines)])
    payments = payment_schedule(lines, decided_on)
    if granted:  # in the grant ledger: refused when the years overlap a live grant not explicitly replaced
        ledger_posting.post_decision(decision, lines, by=actor, replaces=data.get("replaces"))
    for due_on, year, amount in payments:
        ledger_posting.post_advance(AdvancePayment.objects.create(decision=decision, due_on=due_on, year=year,
                                                                  amount=amount), by=actor)
    total = sum(line["amount"] for line in lines)
    details.update(beschikking=decision.reference, datum=decided_on.isoformat(), totaal=total)
    audit.record(actor=actor, action="beschikking.vastgesteld", obj=app,
                 message=f"Beschikking {decision.reference} vastgesteld ({decision.get_outcome_display().lower()}"
                         + (f", {format_euro(total)}" if granted else "") + ")",
                 details={"kenmerk": decision.reference, "besluit": decision.outcome, "datum": decided_on.isoformat(),
                          "regels": [{"omschrijving": line["label"], "jaar": line["year"], "bedrag": line["amount"]}
                                     for line in lines],
                          "voorschotten": [{"datum": d.isoformat(), "jaar": y, "bedrag": a} for d, y, a in payments],
                          "vervangt": [f"{kind}:{pk}" for kind, pk in data.get("replaces") or []],
                          "reeks": data["batch"].pk if data.get("batch") else None})
    letter = DecisionLetter.objects.create(decision=decision)
    if data.get("render", True):  # (before the notices: their after-commit mail needs the tasks registered first)
        enqueue_after_commit(LETTER_TASK, letter)
    return decision


# --- the letter ----------------------------------------------------------------------------------------

def letter_context(decision) -> dict:
    """Everything the letter shows (templates/applications/decision_pdf.html)."""
    app = decision.application
    applicant = app.applicant
    lines = list(decision.lines.all())
    years = sorted({line.year for line in lines})
    rows, order = {}, []
    for line in lines:
        if line.label not in rows:
            rows[line.label] = {"label": line.label, "amounts": {}}
            order.append(line.label)
        rows[line.label]["amounts"][line.year] = rows[line.label]["amounts"].get(line.year, 0) + line.amount
    table = [{"label": rows[k]["label"], "amounts": [rows[k]["amounts"].get(y) for y in years],
              "total": sum(rows[k]["amounts"].values())} for k in order]
    year_totals = [sum(line.amount for line in lines if line.year == y) for y in years]
    holder = applicant.mandate_holder if app.definition.by_region else None
    return {
        **letter_frame(app, reference=decision.reference, date=decision.decided_on, signed_by=decision.decided_by),
        "decision": decision, "application": app, "applicant": applicant, "by_region": holder is not None,
        "in_lines": app.definition.budget_in_lines,
        "holder": holder, "granted": decision.outcome == GrantDecision.Outcome.GRANTED,
        "years": years, "table": table, "year_totals": year_totals, "total": sum(year_totals),
        "payments": [{"year": y, "due_on": d, "amount": a} for d, y, a in payment_schedule(
            [{"year": line.year, "amount": line.amount} for line in lines], decision.decided_on)],
        "payment_weeks": PAYMENT_WEEKS,
        "legal": {"regulation": app.definition.legal_name, "agreement": app.definition.agreement},
        "provisional": decision.outcome == GrantDecision.Outcome.GRANTED and stages.is_provisional(app),
        "stage_note": stages.letter_note(decision),
    }


def letter_filename(decision) -> str:
    return f"beschikking-{decision.reference}.pdf"


def letter_render(*, decision_id) -> GrantDecision:
    """The job (a DecisionLetter): render the letter and store it privately. Idempotent (a finished letter is
    left alone); a failure is kept on the job with its reason, to be retried."""
    decision = GrantDecision.objects.select_related(
        "application__period", "application__municipality", "application__region").get(pk=decision_id)
    letter, _ = DecisionLetter.objects.get_or_create(decision=decision)
    if letter.is_ready:
        return decision
    DecisionLetter.objects.filter(pk=letter.pk).update(status=JobStatus.RUNNING, error="", started_at=timezone.now())
    try:
        content = pdf.render_pdf("applications/decision_pdf.html", letter_context(decision))
        name = storages["private"].save(f"beschikkingen/{decision.application_id}/{letter_filename(decision)}",
                                        ContentFile(content))
        with transaction.atomic():
            DecisionLetter.objects.filter(pk=letter.pk).update(
                status=JobStatus.FINISHED, file=name, sha256=hashlib.sha256(content).hexdigest(),
                finished_at=timezone.now(), error="")
            audit.record(actor=None, action="beschikking.brief_klaar", obj=decision.application,
                         message=f"Beschikking {decision.reference} (pdf) is klaar")
    except Exception as exc:
        log.exception("Beschikking %s: brief mislukt", decision_id)
        with transaction.atomic():
            DecisionLetter.objects.filter(pk=letter.pk).update(
                status=JobStatus.FAILED, finished_at=timezone.now(),
                error=f"De brief kon niet worden gemaakt ({exc.__class__.__name__}: {exc})"[:2000])
            audit.record(actor=None, action="beschikking.brief_mislukt", obj=decision.application,
                         message=f"Beschikking {decision.reference}: brief mislukt")
    return GrantDecision.objects.select_related("letter").get(pk=decision_id)


def advance_mark_paid(*, actor, payment, paid_on) -> AdvancePayment:
    """Ministry staff: the advance was paid on `paid_on` (booked in the grant ledger as ADVANCE_PAID). Once:
    a second attempt (also by a colleague at the same time) is refused, the first stands."""
    from ..permissions import can_mark_advance_paid

    _require(can_mark_advance_paid(actor))
    problem = bounds.date_problem(paid_on)
    if problem:
        raise ValidationError({"paid_on": problem})
    with transaction.atomic():
        row = AdvancePayment.objects.select_for_update().select_related("decision__application").get(pk=payment.pk)
        if row.paid_on is not None:
            raise ValidationError(f"Dit voorschot is al als betaald vastgelegd (op {row.paid_on:%d-%m-%Y}).")
        if row.decision.outcome != GrantDecision.Outcome.GRANTED:
            raise ValidationError("Alleen een voorschot van een toekenning kan betaald zijn.")
        AdvancePayment.objects.filter(pk=row.pk).update(paid_on=paid_on, paid_by=actor)
        row.refresh_from_db()
        ledger_posting.post_advance(row, by=actor)
        audit.record(actor=actor, action="voorschot.betaald", obj=row.decision.application,
                     message=f"Voorschot {row.year or row.due_on.year} ({format_euro(row.amount)}) van beschikking "
                             f"{row.decision.reference} betaald op {paid_on:%d-%m-%Y}",
                     details={"kenmerk": row.decision.reference, "jaar": row.year, "bedrag": row.amount,
                              "betaald_op": paid_on.isoformat()})
    return row


def letter_retry(*, actor, decision) -> GrantDecision:
    """Ministry staff: render a failed (or stuck) letter again."""
    _require(can_retry_decision_letter(actor, decision))
    with transaction.atomic():
        letter, _ = DecisionLetter.objects.select_for_update().get_or_create(decision=decision)
        if letter.status == JobStatus.FINISHED:
            raise ValidationError("De brief van deze beschikking is al klaar.")
        DecisionLetter.objects.filter(pk=letter.pk).update(status=JobStatus.PENDING, error="", task_id="",
                                                           created_at=timezone.now(), started_at=None,
                                                           finished_at=None)
        audit.record(actor=actor, action="beschikking.brief_opnieuw", obj=decision.application,
                     message=f"Beschikking {decision.reference}: brief opnieuw gestart")
        enqueue_after_commit(LETTER_TASK, letter)
    return GrantDecision.objects.select_related("letter").get(pk=decision.pk)


# The workflow's effect this room carries out (registered by `applications.apps`).
EFFECTS = {Effect.DECIDE: decide}
