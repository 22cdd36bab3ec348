"""The writes of the SiSa spending reports: start, save (checked), submit (locked, PDF made by a task),
correct (a new version with a reason), the SiSa appendix job, prior-grant import and the national batch.
Every write runs in `transaction.atomic` with an audit event."""

import hashlib
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from applications.models import PlanLine
from applications.regulations import definition
from budgets.models import Component
from regions.models import Municipality
from regions.selectors import region_mandated_to
from spukportal import audit, bounds
from spukportal.jobs import enqueue_after_commit
from spukportal.models import JobStatus

from .. import grants, ledger_posting
from . import permissions
from ..models import SisaAppendix, SpendingLine, SpendingReport, SpendingTransfer
from . import flow as sisa_flow
from . import pdf as sisa_pdf
from . import rules as sisa_rules
from . import selectors as sisa_selectors

log = logging.getLogger(__name__)

PDF_TASK = "monitoring.tasks.render_sisa_appendix"


def _require(decision):
    if not decision:
        raise PermissionDenied(decision.reason)


def line_field(component_id) -> str:
    return f"l{component_id or 0}"


# --- what a report is about ------------------------------------------------------------------------

class Frame:
    """What one report is checked against: the grant, last year's cumulative figures, the H35B members."""

    def __init__(self, *, municipality_id, regulation, year, region_id=None):
        self.municipality_id, self.regulation, self.year, self.region_id = municipality_id, regulation, year, region_id
        self.granted = grants.granted_for(municipality_id=municipality_id, regulation=regulation, year=year,
                                          region_id=region_id)
        self.previous = sisa_selectors.previous_cumulative(municipality_id=municipality_id, regulation=regulation,
                                                           year=year)
        self.definition = definition(regulation)
        self.carried_in = 0
        carry_over_year = self.definition.carry_over_year
        if carry_over_year is not None and year == carry_over_year + 1:  # what the ledger holds as carried over
            self.carried_in = ledger_position(municipality_id=municipality_id, region_id=region_id,
                                              regulation=regulation, year=year - 1).carried_over
        self.previous_transfers = (sisa_selectors.previous_transfer_cumulative(
            municipality_id=municipality_id, regulation=regulation, year=year)
            if self.definition.sisa_transfer_code else {})

    @property
    def line_keys(self) -> list:
        """The lines of the report: the granted components (brede SPUK up to 2024) or one line."""
        keys = list(self.granted.lines) or [None]
        components = {c.pk: c.number for c in Component.objects.filter(pk__in=[k for k in keys if k])}
        return sorted(keys, key=lambda k: components.get(k, 0))

    def member_ids(self) -> list[int]:
        """H35B recipients: the members with local lines in the decision or the region's IZA plan."""
        if not self.definition.sisa_transfer_code or not self.region_id:
            return []

        ids = set(self.granted.members)
        ids |= set(PlanLine.objects.filter(application__region_id=self.region_id, scope=PlanLine.Scope.LOCAL,
                                           municipality__isnull=False, year=self.year)
                   .exclude(application__state="ingetrokken").values_list("municipality_id", flat=True))
        ids.discard(self.municipality_id)
        return sorted(ids)

    def granted_total(self) -> int:
        return self.granted.total

    def over_period(self) -> int:
        return grants.granted_over_period(municipality_id=self.municipality_id, regulation=self.regulation,
                                          first_year=self.definition.first_year, last_year=self.year,
                                          region_id=self.region_id)


def ledger_position(*, municipality_id, region_id, regulation, year):
    """The recipient's ledger position for the year (IZA: the region's)."""
    from budgets.ledger import selectors as ledger_selectors
    from regions.models import Region

    recipient = (Region.objects.get(pk=region_id) if definition(regulation).by_region and region_id
                 else Municipality.objects.get(pk=municipality_id))
    return ledger_selectors.position(recipient, regulation, years=[year])[year]


def frame_of(report) -> Frame:
    return Frame(municipality_id=report.municipality_id, regulation=report.regulation, year=report.year,
                 region_id=report.region_id)


def check(frame: Frame, data: dict) -> sisa_rules.Outcome:
    """All checks of a report's content. `data`: {"lines": {component_id|None: (exp, corr, cum)},
    "transfers": {municipality_id: (exp, corr, cum)}, "carry_over": int}."""
    out = sisa_rules.Outcome()
    labels = {c.pk: str(c) for c in Component.objects.filter(pk__in=[k for k in data["lines"] if k])}
    spent = 0
    for key, (exp, corr, cum) in data["lines"].items():
        granted = frame.granted.lines.get(key)
        if granted is not None:
            granted += frame.carried_in
        sisa_rules.check_row(sisa_rules.Row(line_field(key), exp, corr, cum, frame.previous.get(key, 0), granted),
                             out, labels.get(key, frame.definition.sisa_code))
        spent += exp or 0
    transfers = data.get("transfers", {})
    members = dict(Municipality.objects.filter(pk__in=transfers).values_list("pk", "name"))
    for member_id, (exp, corr, cum) in transfers.items():
        sisa_rules.check_row(sisa_rules.Row(f"t{member_id}", exp, corr, cum,
                                            frame.previous_transfers.get(member_id, 0),
                                            frame.granted.members.get(member_id)), out,
                             f"{frame.definition.sisa_transfer_code} {members.get(member_id, member_id)}")
    sisa_rules.check_transfers_within_spending(regulation=frame.regulation, transferred=sum(exp or 0 for exp, _, _ in transfers.values()),
                                               spent=spent, out=out)
    sisa_rules.check_carry_over(regulation=frame.regulation, year=frame.year, carry_over=data.get("carry_over"),
                                granted_total=frame.granted_total(), spent_total=spent, out=out)
    problem = bounds.text_problem(data.get("explanation"), max_chars=bounds.MAX_NOTE_CHARS)
    if problem:
        out.add("explanation", problem)
    return out


def warnings_of(report) -> list[str]:
    """The visible warnings of a stored report (spending above the grant)."""
    data = content_of(report)
    return check(frame_of(report), data).warnings


def content_of(report) -> dict:
    return {
        "lines": {line.component_id: (line.expenditure, line.correction_previous, line.cumulative)
                  for line in report.lines.all()},
        "transfers": {t.recipient_id: (t.expenditure, t.correction_previous, t.cumulative)
                      for t in report.transfers.all()},
        "carry_over": report.carry_over, "explanation": report.explanation,
        "self_executed": report.self_executed, "is_final": report.is_final,
    }


def reclaim_of(report) -> int | None:
    """Terugvordering on a final report (None when not final)."""
    if not report.is_final:
        return None
    cumulative = sum(line.cumulative for line in report.lines.all())
    return sisa_rules.reclaim(granted_over_period=frame_of(report).over_period(), cumulative=cumulative)


# --- start, save, submit, correct -------------------------------------------------------------------

def no_grant_message(municipality, regulation, year) -> str:
    return (f"Aan {municipality.name} is voor {year} geen {definition(regulation).label} toegekend; een "
            f"verantwoording kan alleen over een jaar met een toekenning.")


def report_start(*, actor, municipality, regulation: str, year: int) -> SpendingReport:
    """A concept report, its lines (and H35B rows) prefilled with last year's cumulative figures. IZA: the
    gemeente must hold the mandate of a region today; it reports for that region."""
    _require(permissions.can_file_for(actor, municipality))
    problem = bounds.year_problem(year)
    if problem:
        raise ValidationError({"year": problem})
    region = None
    if definition(regulation).by_region:
        region = region_mandated_to(municipality, timezone.localdate())
        if region is None:
            label = definition(regulation).name_in_sentence
            raise ValidationError({"regulation": f"{municipality.name} is geen mandaathouder van een IZA-regio; "
                                                 f"de {label} verantwoordt de mandaathouder voor de regio."})
    frame = Frame(municipality_id=municipality.pk, regulation=regulation, year=year,
                  region_id=region.pk if region else None)
    if not frame.granted.any:
        raise ValidationError({"year": no_grant_message(municipality, regulation, year)})
    with transaction.atomic():
        existing = SpendingReport.objects.select_for_update().filter(
            municipality=municipality, regulation=regulation, year=year).exclude(
            status=SpendingReport.Status.REPLACED).first()
        if existing is not None:
            raise ValidationError({"year": f"Er is al een verantwoording {definition(regulation).label} {year} van "
                                           f"{municipality.name}; open die (een correctie maakt een nieuwe versie)."})
        report = SpendingReport.objects.create(municipality=municipality, region=region, regulation=regulation,
                                               year=year, created_by=actor)
        _write_rows(report, frame, {
            "lines": {k: (0, 0, frame.previous.get(k, 0)) for k in frame.line_keys},
            "transfers": {m: (0, 0, frame.previous_transfers.get(m, 0)) for m in frame.member_ids()}})
        audit.record(actor=actor, action="sisa.aangemaakt", obj=report,
                     details={"regeling": regulation, "jaar": year, "regio": region.name if region else ""})
    return report


def _write_rows(report, frame, data):
    SpendingLine.objects.filter(report=report).delete()
    SpendingTransfer.objects.filter(report=report).delete()
    SpendingLine.objects.bulk_create([
        SpendingLine(report=report, component_id=k, expenditure=v[0] or 0, correction_previous=v[1] or 0,
                     cumulative=v[2] or 0) for k, v in data["lines"].items()])
    SpendingTransfer.objects.bulk_create([
        SpendingTransfer(report=report, recipient_id=m, expenditure=v[0] or 0, correction_previous=v[1] or 0,
                         cumulative=v[2] or 0) for m, v in data.get("transfers", {}).items()])


class EditConflict(Exception):
    pass


def _open_concept(actor, report, base_version=None) -> SpendingReport:
    row = SpendingReport.objects.select_for_update().get(pk=report.pk)
    _require(permissions.can_edit_report(actor, row))
    if base_version is not None and row.edit_version != base_version:
        raise EditConflict("Een collega heeft deze verantwoording intussen opgeslagen; bekijk de nieuwe versie.")
    return row


def report_save(*, actor, report, data: dict, base_version: int | None = None) -> tuple[SpendingReport, list]:
    """Save the concept's content after every check; raises ValidationError({field: messages}) and stores
    nothing when a check fails. Returns the report and its warnings (spending above the grant)."""
    frame = frame_of(report)
    expected_lines = set(frame.line_keys) | {line.component_id for line in report.lines.all()}
    if set(data["lines"]) - expected_lines:
        raise ValidationError("De verantwoording bevat een regel die niet bij de toekenning hoort.")
    outcome = check(frame, data)
    if outcome.errors:
        raise ValidationError(outcome.errors)
    with transaction.atomic():
        row = _open_concept(actor, report, base_version)
        _write_rows(row, frame, data)
        SpendingReport.objects.filter(pk=row.pk).update(
            self_executed=bool(data.get("self_executed", True)), is_final=bool(data.get("is_final")),
            explanation=(data.get("explanation") or "").strip(), carry_over=data.get("carry_over") or 0,
            edit_version=row.edit_version + 1, updated_at=timezone.now())
        audit.record(actor=actor, action="sisa.opgeslagen", obj=row,
                     details={"regels": {str(k): list(v) for k, v in data["lines"].items()},
                              "h35b": {str(k): list(v) for k, v in data.get("transfers", {}).items()},
                              "doorgeschoven": data.get("carry_over") or 0, "eindverantwoording": bool(data.get("is_final")),
                              "waarschuwingen": outcome.warnings})
    row.refresh_from_db()
    return row, outcome.warnings


def report_submit(*, actor, report, enqueue: bool = True) -> SpendingReport:
    """Submit the concept: checked once more, then locked; a correction replaces the version before it.
    The SiSa appendix (PDF) is made by a task after commit."""
    step = sisa_flow.TRANSITIONS["indienen"]
    with transaction.atomic():
        row = _open_concept(actor, report)
        if row.status not in step.sources:
            raise ValidationError("Deze verantwoording is al ingediend.")
        _require(step.guard(actor, row))
        outcome = check(frame_of(row), content_of(row))
        if outcome.errors:
            raise ValidationError("De verantwoording bevat nog fouten; open ‘Bewerken’ en pas ze aan.")
        for effect in step.effects:
            if effect == sisa_flow.Effect.REPLACE_PREVIOUS:
                _replace_previous(actor, row)
        SpendingReport.objects.filter(pk=row.pk).update(status=step.target, submitted_at=timezone.now(),
                                                        submitted_by=actor)
        row.refresh_from_db()
        ledger_posting.post_report(row, by=actor)  # spending and carry-over in the grant ledger
        audit.record(actor=actor, action=step.audit_action, obj=row,
                     details={"versie": row.version, "waarschuwingen": outcome.warnings})
        if sisa_flow.Effect.MAKE_APPENDIX in step.effects:
            appendix = _appendix_reset(row)
            if enqueue:  # the demo renders right away instead (no queue needed)
                _enqueue_pdf(appendix)
    row.refresh_from_db()
    return row


def _replace_previous(actor, row) -> None:
    """Effect of `indienen`: the submitted version before `row` takes the `vervangen` transition."""
    step = sisa_flow.TRANSITIONS["vervangen"]
    previous = SpendingReport.objects.select_for_update().filter(
        municipality_id=row.municipality_id, regulation=row.regulation, year=row.year,
        status__in=step.sources).exclude(pk=row.pk)
    for old in previous:
        SpendingReport.objects.filter(pk=old.pk).update(status=step.target)
        ledger_posting.withdraw_report(old, by=actor)
        audit.record(actor=actor, action=step.audit_action, obj=old, message=f"Vervangen door versie {row.version}")


def report_correct(*, actor, report, reason: str) -> SpendingReport:
    """A correction of a submitted report: a new concept version with the same content and the reason.
    The submitted version stays current (and readable) until the correction is submitted."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Geef de reden van de correctie."})
    problem = bounds.text_problem(reason, max_chars=bounds.MAX_NOTE_CHARS)
    if problem:
        raise ValidationError({"reason": problem})
    with transaction.atomic():
        row = SpendingReport.objects.select_for_update().get(pk=report.pk)
        _require(permissions.can_correct_report(actor, row))
        if SpendingReport.objects.filter(municipality_id=row.municipality_id, regulation=row.regulation,
                                         year=row.year, status=SpendingReport.Status.CONCEPT).exists():
            raise ValidationError({"reason": "Er is al een correctie in concept; open die."})
        last = (SpendingReport.objects.filter(municipality_id=row.municipality_id, regulation=row.regulation,
                                              year=row.year).order_by("-version").first())
        new = SpendingReport.objects.create(
            municipality_id=row.municipality_id, region_id=row.region_id, regulation=row.regulation, year=row.year,
            version=last.version + 1, correction_reason=reason, self_executed=row.self_executed,
            is_final=row.is_final, explanation=row.explanation, carry_over=row.carry_over, created_by=actor)
        _write_rows(new, None, content_of(row))
        audit.record(actor=actor, action="sisa.correctie_gestart", obj=new,
                     details={"versie": new.version, "vorige_versie": row.version, "reden": reason})
    return new


# --- the SiSa appendix (PDF) -------------------------------------------------------------------------

def _appendix_reset(report) -> SisaAppendix:
    """The report's appendix job, waiting to be (re)made from the start."""
    appendix, _ = SisaAppendix.objects.select_for_update().get_or_create(report=report)
    SisaAppendix.objects.filter(pk=appendix.pk).update(status=JobStatus.PENDING, error="", task_id="", file="",
                                                       sha256="", created_at=timezone.now(), started_at=None,
                                                       finished_at=None)
    return appendix


def _enqueue_pdf(appendix):
    enqueue_after_commit(PDF_TASK, appendix)


def appendix_render(*, report_id) -> SpendingReport:
    """The job (a SisaAppendix): render the SiSa appendix and store it privately. Idempotent (a finished one is
    left alone); a failure is kept on the job with its reason, to be retried."""
    report = SpendingReport.objects.select_related("municipality", "region").get(pk=report_id)
    appendix, _ = SisaAppendix.objects.get_or_create(report=report)
    if appendix.is_ready and storages["private"].exists(appendix.file):
        return report
    SisaAppendix.objects.filter(pk=appendix.pk).update(status=JobStatus.RUNNING, error="", started_at=timezone.now())
    try:
        content = sisa_pdf.render(report, reclaim=reclaim_of(report))
        name = storages["private"].save(f"sisa/{report.year}/{sisa_pdf.filename(report)}", ContentFile(content))
        with transaction.atomic():
            SisaAppendix.objects.filter(pk=appendix.pk).update(
                status=JobStatus.FINISHED, file=name, sha256=hashlib.sha256(content).hexdigest(),
                finished_at=timezone.now(), error="")
            audit.record(actor=None, action="sisa.bijlage_klaar", obj=report)
    except Exception as exc:
        log.exception("SiSa-bijlage %s mislukt", report_id)
        with transaction.atomic():
            SisaAppendix.objects.filter(pk=appendix.pk).update(
                status=JobStatus.FAILED, finished_at=timezone.now(),
                error=f"De bijlage kon niet worden gemaakt ({exc.__class__.__name__}: {exc})"[:2000])
            audit.record(actor=None, action="sisa.bijlage_mislukt", obj=report)
    return SpendingReport.objects.select_related("municipality", "region", "appendix").get(pk=report_id)


def appendix_retry(*, actor, report) -> SpendingReport:
    with transaction.atomic():
        row = SpendingReport.objects.select_for_update().get(pk=report.pk)
        _require(permissions.can_read_report(actor, row))
        if row.status == SpendingReport.Status.CONCEPT:
            raise ValidationError("Een concept heeft nog geen SiSa-bijlage.")
        appendix = SisaAppendix.objects.filter(report=row).first()
        if appendix is not None and appendix.is_finished:
            raise ValidationError("De SiSa-bijlage is al klaar.")
        appendix = _appendix_reset(row)
        audit.record(actor=actor, action="sisa.bijlage_opnieuw", obj=row)
        _enqueue_pdf(appendix)
    return SpendingReport.objects.select_related("appendix").get(pk=row.pk)
