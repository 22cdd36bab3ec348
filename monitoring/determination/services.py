"""The writes of determinations (vaststellingen): the concept, the transitions of `flow` (determine, send the
reclaim, register its receipt, close without a reclaim) with their ledger postings, the letter job and the
ministry's batch. Every write runs in `transaction.atomic` on the locked row, with an audit event."""

import datetime
import hashlib
import logging
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from applications.letters import MINISTER, MINISTRY, MINISTRY_ADDRESS, signatory
from applications.regulations import definition
from budgets.ledger import services as ledger
from budgets.ledger import sources
from budgets.ledger.recipients import recipient_fields
from regions.models import Region
from spukportal import audit, bounds
from spukportal.dates import long_date as dutch_date
from spukportal.jobs import enqueue_after_commit
from spukportal.models import JobStatus, Role, RoleAssignment
from spukportal.money import format_euro
from spukportal.process import check_transition, send_notices

from ..accountability import rules as sisa_rules
from ..models import SpendingReport
from . import flow, permissions, selectors
from .flow import Effect
from .models import Determination, DeterminationBatch, DeterminationLetter, DeterminationYear

log = logging.getLogger(__name__)

LETTER_TASK = "monitoring.tasks.render_determination_letter"
BATCH_TASK = "monitoring.tasks.run_determination_batch"
PROGRESS_EVERY = 10


def _require(decision):
    if not decision:
        raise PermissionDenied(decision.reason)


def reference(recipient, regulation: str) -> str:
    """The determination's kenmerk: one per recipient and regulation, e.g. VWS-VS-BS-GM0034."""
    prefix = definition(regulation).reference_prefix
    code = f"R{recipient.pk:03d}" if isinstance(recipient, Region) else recipient.cbs_code
    return f"VWS-VS-{prefix}-{code}"


# --- the concept --------------------------------------------------------------------------------------------

def _store_figures(determination, settlement: sisa_rules.Settlement) -> None:
    determination.years.all().delete()
    DeterminationYear.objects.bulk_create([DeterminationYear(
        determination=determination, year=y.year, granted=y.granted, spent=y.spent, carried_in=y.carried_in,
        cap=y.cap, carried_out=y.carried_out, determined=y.determined, reclaim=y.reclaim, not_paid=y.not_paid)
        for y in settlement.years])
    determination.granted, determination.determined = settlement.granted, settlement.determined
    determination.reclaim, determination.not_paid = settlement.reclaim, settlement.not_paid


def settlement_of(report) -> sisa_rules.Settlement:
    recipient = selectors.recipient_of(report)
    settlement = selectors.settlement(recipient, report.regulation)
    if not settlement.years or settlement.granted <= 0:
        raise ValidationError(f"Aan {recipient.name} is voor de {definition(report.regulation).label} niets "
                              "toegekend: er is niets vast te stellen.")
    unpaid = selectors.unpaid_advances(recipient, report.regulation)
    if unpaid:
        which = ", ".join(f"{year} {format_euro(amount)}" for year, amount in unpaid.items())
        raise ValidationError(f"Van de toekenning aan {recipient.name} zijn nog niet alle voorschotten betaald "
                              f"({which}). Vaststellen kan als elk voorschot als betaald is geboekt (bij de "
                              "beschikking, ‘Markeer als betaald’): wat wordt teruggevorderd, moet eerst zijn betaald.")
    last = max(y.year for y in settlement.years)
    if report.year != last:
        raise ValidationError(f"De eindverantwoording is over {report.year}, maar de toekenning loopt tot en met "
                              f"{last}: vaststellen kan na de eindverantwoording over {last}.")
    return settlement


def concept_create(*, actor, report: SpendingReport, batch=None) -> Determination:
    """The concept of the recipient's determination (made once; an existing one is returned), its figures from
    the final accounting and the ledger."""
    _require(permissions.can_manage_determinations(actor))
    if report.status != SpendingReport.Status.SUBMITTED or not report.is_final:
        raise ValidationError("Vaststellen kan alleen na een ingediende eindverantwoording.")
    recipient = selectors.recipient_of(report)
    existing = selectors.determination_for(report)
    if existing is not None:
        return existing
    settlement = settlement_of(report)
    try:
        with transaction.atomic():
            d = Determination(
                **recipient_fields(recipient), regulation=report.regulation,
                reference=reference(recipient, report.regulation), final_report=report, created_by=actor, batch=batch)
            d.save()
            _store_figures(d, settlement)
            d.save(update_fields=["granted", "determined", "reclaim", "not_paid"])
            audit.record(actor=actor, action="vaststelling.concept", obj=d,
                         details={"kenmerk": d.reference, "vastgesteld": d.determined, "terugvordering": d.reclaim})
    except IntegrityError:  # made at the same moment by someone else: theirs is the one
        existing = selectors.determination_for(report)
        if existing is None:
            raise
        return existing
    return d


# --- the transitions ----------------------------------------------------------------------------------------

def _audience(determination, name):
    if name != "recipient":
        return []
    return [a.user for a in RoleAssignment.objects.filter(
        role__code=Role.OFFICER, municipality_id=determination.final_report.municipality_id,
        user__is_active=True).select_related("user")]


def _words(d) -> dict:
    return {"regulation": d.definition.label, "reference": d.reference, "recipient": d.recipient.name,
            "determined": format_euro(d.determined), "reclaim": format_euro(d.reclaim),
            "objection_until": dutch_date(d.objection_until) if d.objection_until else ""}


def transition(*, actor, determination: Determination, name: str, on: datetime.date | None = None,
               enqueue: bool = True) -> Determination:
    """Take transition `name` on the (locked) determination. `on`: the date of the letter (vaststellen), of the
    reclaim sent or of its receipt; today when not given. Two people at once: the second sees the current state."""
    on = on or timezone.localdate()
    problem = bounds.date_problem(on)
    if problem:
        raise ValidationError({"on": problem})
    step = flow.TRANSITIONS[name]
    with transaction.atomic():
        d = Determination.objects.select_for_update(of=("self",)).select_related(
            "municipality", "region", "final_report").get(pk=determination.pk)
        _require(check_transition(flow.TRANSITIONS, flow.STATES, actor, d, d.status, name, "Een vaststelling"))
        details = {"kenmerk": d.reference, "van": d.status, "naar": step.target, "datum": on.isoformat()}
        for effect in step.effects:
            _EFFECTS[effect](d, actor=actor, on=on, enqueue=enqueue, details=details)
        d.status = step.target
        d.save()
        audit.record(actor=actor, action=step.audit_action, obj=d, details=details)
        send_notices(step, prefix="vaststelling", audiences=lambda n: _audience(d, n), words=_words(d),
                     links=lambda _n: reverse("monitoring:determination_detail", args=[d.pk]))
    return Determination.objects.select_related("municipality", "region", "final_report").get(pk=d.pk)


def _post_determined(d, *, actor, on, enqueue, details):
    """Determine on the current figures (the concept may be older than a correction of the accounting)."""
    if d.final_report.status != SpendingReport.Status.SUBMITTED:
        raise ValidationError("De eindverantwoording is intussen gecorrigeerd; maak de vaststelling opnieuw.")
    if on < d.final_report.submitted_at.date():
        raise ValidationError({"on": "De vaststelling kan niet vóór de eindverantwoording "
                                     f"({dutch_date(d.final_report.submitted_at.date())}) liggen."})
    _store_figures(d, settlement_of(d.final_report))
    d.letter_date, d.determined_by = on, actor
    ledger.post_determined(recipient=d.recipient, regulation=d.regulation,
                           year_amounts={y.year: y.determined for y in d.years.all()},
                           source=(sources.DETERMINATION, d.pk), booked_on=on, by=actor,
                           note=f"Vaststelling {d.reference}")
    details.update({"vastgesteld": d.determined, "terugvordering": d.reclaim})


def _make_letter(d, *, actor, on, enqueue, details):
    letter, _ = DeterminationLetter.objects.get_or_create(determination=d)
    if enqueue:
        enqueue_after_commit(LETTER_TASK, letter)


def _post_reclaimed(d, *, actor, on, enqueue, details):
    for y in d.years.all():
        if y.reclaim:
            ledger.post_reclaimed(recipient=d.recipient, regulation=d.regulation, year=y.year, amount=y.reclaim,
                                  source=(sources.DETERMINATION, d.pk), booked_on=on, by=actor,
                                  note=f"Terugvordering {d.reference}")
    details["terugvordering"] = d.reclaim


def _note_reclaim_sent(d, *, on, **_):
    d.reclaim_sent_on = on


def _note_settled(d, *, on, **_):
    d.settled_on = on


_EFFECTS = {Effect.POST_DETERMINED: _post_determined, Effect.MAKE_LETTER: _make_letter,
            Effect.POST_RECLAIMED: _post_reclaimed, Effect.NOTE_RECLAIM_SENT: _note_reclaim_sent,
            Effect.NOTE_SETTLED: _note_settled}


# --- the letter ---------------------------------------------------------------------------------------------

def letter_filename(d) -> str:
    return f"vaststelling-{d.reference}.pdf"


def _addressee(d) -> dict:
    """The gemeente's college, or for a region the gemeente that accounted for it as mandate holder."""
    accountant = d.final_report.municipality
    lines = [f"Het college van burgemeester en wethouders van de gemeente {accountant.name}"]
    if d.region_id:
        lines.append(f"als mandaathouder namens de gemeenten in de IZA-regio {d.region.name}")
    return {"lines": lines, "address": accountant.postal_lines}


def letter_context(d) -> dict:
    """Everything the letter shows (templates/monitoring/determination/letter_pdf.html, on the portal's
    letter_base.html)."""
    return {"ministry": MINISTRY, "ministry_address": MINISTRY_ADDRESS, "minister": MINISTER,
            "addressee": _addressee(d), "letter_reference": d.reference, "letter_date": d.letter_date,
            "signatory": signatory(d.determined_by),
            "determination": d, "years": list(d.years.all()), "recipient": d.recipient, "report": d.final_report,
            "legal": {"regulation": d.definition.legal_name, "agreement": d.definition.agreement},
            "percent": sisa_rules.CARRY_OVER_PERCENT, "objection_until": d.objection_until}


def letter_render(*, determination_id) -> Determination:
    """The job (a DeterminationLetter): render the letter and store it privately. Idempotent; a failure is kept
    on the job with its reason, to be retried."""
    from spukportal.pdf import render_pdf  # WeasyPrint loads only in the process that renders (as the decision letter)

    d = Determination.objects.select_related("municipality", "region", "final_report", "determined_by") \
        .get(pk=determination_id)
    letter, _ = DeterminationLetter.objects.get_or_create(determination=d)
    if letter.is_ready:
        return d
    DeterminationLetter.objects.filter(pk=letter.pk).update(status=JobStatus.RUNNING, error="",
                                                            started_at=timezone.now())
    try:
        content = render_pdf("monitoring/determination/letter_pdf.html", letter_context(d))
        name = storages["private"].save(f"vaststellingen/{d.pk}/{letter_filename(d)}", ContentFile(content))
        with transaction.atomic():
            DeterminationLetter.objects.filter(pk=letter.pk).update(
                status=JobStatus.FINISHED, file=name, sha256=hashlib.sha256(content).hexdigest(),
                finished_at=timezone.now(), error="")
            audit.record(actor=None, action="vaststelling.brief_klaar", obj=d,
                         message=f"Vaststelling {d.reference} (pdf) is klaar")
    except Exception as exc:
        log.exception("Vaststelling %s: brief mislukt", determination_id)
        with transaction.atomic():
            DeterminationLetter.objects.filter(pk=letter.pk).update(
                status=JobStatus.FAILED, finished_at=timezone.now(),
                error=f"De brief kon niet worden gemaakt ({exc.__class__.__name__}: {exc})"[:2000])
            audit.record(actor=None, action="vaststelling.brief_mislukt", obj=d,
                         message=f"Vaststelling {d.reference}: brief mislukt")
    return Determination.objects.select_related("letter").get(pk=determination_id)


def letter_retry(*, actor, determination) -> Determination:
    _require(permissions.can_retry_letter(actor, determination))
    with transaction.atomic():
        letter = DeterminationLetter.objects.select_for_update().filter(determination=determination).first()
        if letter is None:
            raise ValidationError("Deze vaststelling heeft nog geen brief: stel haar eerst vast.")
        if letter.status == JobStatus.FINISHED:
            raise ValidationError("De brief van deze vaststelling is al klaar.")
        DeterminationLetter.objects.filter(pk=letter.pk).update(status=JobStatus.PENDING, error="", task_id="",
                                                                created_at=timezone.now(), started_at=None,
                                                                finished_at=None)
        audit.record(actor=actor, action="vaststelling.brief_opnieuw", obj=determination,
                     message=f"Vaststelling {determination.reference}: brief opnieuw gestart")
        enqueue_after_commit(LETTER_TASK, letter)
    return Determination.objects.select_related("letter").get(pk=determination.pk)


# --- the batch ----------------------------------------------------------------------------------------------

def batch_preview(regulation: str) -> dict:
    """What "Vaststellen" for all would do: per final accounting the settlement, and the totals."""
    rows, problems = [], []
    for report in selectors.undetermined_reports(regulation):
        try:
            rows.append((report, settlement_of(report)))
        except ValidationError as exc:
            problems.append((report, " ".join(exc.messages)))
    return {"rows": rows, "problems": problems, "count": len(rows),
            "granted": sum(s.granted for _r, s in rows), "determined": sum(s.determined for _r, s in rows),
            "reclaim": sum(s.reclaim for _r, s in rows), "with_reclaim": sum(1 for _r, s in rows if s.reclaim)}


def batch_start(*, actor, regulation: str, letter_date: datetime.date, expected_count: int,
                enqueue: bool = True) -> DeterminationBatch:
    """Start the batch for every final accounting of the regulation without a determination. `expected_count`
    is what the confirmation showed: when the set changed since, nothing starts and the page shows the new set."""
    _require(permissions.can_manage_determinations(actor))
    problem = bounds.date_problem(letter_date)
    if problem:
        raise ValidationError({"letter_date": problem})
    with transaction.atomic():
        running = DeterminationBatch.objects.select_for_update().filter(
            regulation=regulation, status__in=[JobStatus.PENDING, JobStatus.RUNNING])
        if any(not b.is_stale for b in running):
            raise ValidationError(f"Er loopt al een reeks vaststellingen voor de {definition(regulation).label}.")
        preview = batch_preview(regulation)
        if preview["count"] != expected_count:
            raise ValidationError("Het aantal vast te stellen ontvangers is intussen veranderd "
                                  f"({preview['count']} in plaats van {expected_count}); controleer het opnieuw.")
        if not preview["count"]:
            raise ValidationError("Er is niets vast te stellen: geen eindverantwoording zonder vaststelling.")
        batch = DeterminationBatch.objects.create(
            regulation=regulation, letter_date=letter_date, created_by=actor, total=preview["count"],
            report_ids=[r.pk for r, _s in preview["rows"]])
        audit.record(actor=actor, action="vaststelling.reeks_gestart", obj=batch,
                     details={"regeling": regulation, "aantal": preview["count"], "datum": letter_date.isoformat(),
                              "vastgesteld": preview["determined"], "terugvordering": preview["reclaim"]})
        if enqueue:
            enqueue_after_commit(BATCH_TASK, batch)
    return batch


def batch_restartable(batch) -> bool:
    """A batch that failed (for some recipients) or stands still may be started again."""
    return batch.status == JobStatus.FAILED or batch.is_stale


def batch_restart(*, actor, batch, enqueue: bool = True) -> DeterminationBatch:
    """Start the batch again on the same final accountings: what is determined stays as it is (the run skips it);
    the recipients that failed are tried again."""
    _require(permissions.can_manage_determinations(actor))
    with transaction.atomic():
        row = DeterminationBatch.objects.select_for_update().get(pk=batch.pk)
        if not batch_restartable(row):
            raise ValidationError("Deze reeks loopt nog of is klaar; opnieuw starten kan niet.")
        DeterminationBatch.objects.filter(pk=row.pk).update(status=JobStatus.PENDING, task_id="", error="",
                                                            failures=[], created_at=timezone.now(),
                                                            started_at=None, finished_at=None)
        audit.record(actor=actor, action="vaststelling.reeks_opnieuw", obj=row,
                     message=f"Reeks vaststellingen opnieuw gestart ({row.done} van {row.total} waren vastgesteld)")
        if enqueue:
            enqueue_after_commit(BATCH_TASK, row)
    row.refresh_from_db()
    return row


def batch_run(*, batch_id, task_id="", letters: bool = True) -> DeterminationBatch:
    """Determine each final accounting of the batch (one transaction each: a failure stops nobody else);
    the letters are jobs of their own. Re-running skips what is determined already."""
    batch = DeterminationBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.status == JobStatus.FINISHED:
        return batch
    started = time.monotonic()
    DeterminationBatch.objects.filter(pk=batch_id).update(status=JobStatus.RUNNING, started_at=timezone.now(),
                                                          error="", **({"task_id": task_id} if task_id else {}))
    actor, failures, done = batch.created_by, [], 0
    reports = SpendingReport.objects.filter(pk__in=batch.report_ids).select_related("municipality", "region")
    for i, report in enumerate(reports.order_by("municipality__name"), start=1):
        try:
            d = concept_create(actor=actor, report=report, batch=batch)
            if d.letter_date is None:
                transition(actor=actor, determination=d, name="vaststellen", on=batch.letter_date, enqueue=letters)
            done += 1
        except (ValidationError, PermissionDenied) as exc:
            failures.append(f"{selectors.recipient_of(report).name}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
        except Exception as exc:  # one recipient's failure does not stop the others
            log.exception("Reeks vaststellingen %s: verantwoording %s mislukt", batch_id, report.pk)
            failures.append(f"{selectors.recipient_of(report).name}: {exc.__class__.__name__}: {exc}")
        if i % PROGRESS_EVERY == 0:
            DeterminationBatch.objects.filter(pk=batch_id).update(done=done)
    made = Determination.objects.filter(batch=batch, letter_date__isnull=False)
    totals = {"determined_total": sum(made.values_list("determined", flat=True)),
              "reclaim_total": sum(made.values_list("reclaim", flat=True))}
    status = JobStatus.FAILED if failures else JobStatus.FINISHED
    with transaction.atomic():
        DeterminationBatch.objects.filter(pk=batch_id).update(
            status=status, done=done, failures=failures[:500], finished_at=timezone.now(),
            seconds=time.monotonic() - started, **totals,
            error=(f"{len(failures)} van {batch.total} niet gelukt." if failures else ""))
        audit.record(actor=None, action="vaststelling.reeks_klaar", obj=batch,
                     message=f"Reeks vaststellingen: {done} van {batch.total} vastgesteld")
    batch.refresh_from_db()
    return batch
