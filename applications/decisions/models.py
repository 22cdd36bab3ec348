"""The ministry's decisions: grant decisions, their lines, letters and advance payments, decision batches."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from spukportal import bounds
from spukportal.models import BackgroundJob, FileJob, JobStatus

from ..intake.models import Application, PlanLine


class DecisionBatch(BackgroundJob):
    """One job that makes the decisions (and their letters) for many applications with a final positive
    advice. Re-running it finishes the same decisions: never a second decision or reference number."""

    # Done in parts (one task each), so the batch as a whole may rightly take longer than one task may: a batch
    # that stands still gets a restart button (decision_services.batch_restartable), it is not failed by the sweep.
    swept_when_stale = False

    applications = models.ManyToManyField(Application, related_name="+", verbose_name="aanvragen")
    decided_on = models.DateField("datum beschikking", validators=[bounds.validate_date])
    total = models.PositiveIntegerField("aantal", default=0)
    done = models.PositiveIntegerField("gereed", default=0)
    # The job runs in parts (tasks), each possibly delivered twice: what failed, per application (pk → reason).
    failures = models.JSONField("mislukt per aanvraag", default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="gestart door")
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    # The last sign of life of any of its parts (each application done, each part started or finished). A running
    # batch that has not reported for settings.DECISION_BATCH_SILENT_SECONDS is shown as standing still, with the
    # restart button: a killed worker's part would otherwise only come back when Redis delivers it again.
    reported_at = models.DateTimeField("laatste voortgang", null=True, blank=True)

    @property
    def is_silent(self):
        last = self.reported_at or self.started_at
        silence = datetime.timedelta(seconds=settings.DECISION_BATCH_SILENT_SECONDS)
        return self.status == JobStatus.RUNNING and last is not None and last < timezone.now() - silence

    class Meta:
        verbose_name = "reeks beschikkingen"
        verbose_name_plural = "reeksen beschikkingen"
        ordering = ["-created_at", "-id"]


class GrantDecision(models.Model):
    """De beschikking: the ministry grants (amounts per component or IZA line per year, within the
    allocation, with the advance payments) or rejects (with reasons and the objection clause). One per
    application (database-level). Its letter is a PDF made by a background job (`letter`, a DecisionLetter)."""

    class Outcome(models.TextChoices):
        GRANTED = "toegekend", "Toegekend"
        REJECTED = "afgewezen", "Afgewezen"

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="decision",
                                       verbose_name="aanvraag")
    outcome = models.CharField("besluit", max_length=20, choices=Outcome.choices)
    reference = models.CharField("kenmerk", max_length=40, unique=True)
    decided_on = models.DateField("datum beschikking", validators=[bounds.validate_date])
    reasons = models.TextField("motivering", blank=True, max_length=bounds.MAX_NOTE_CHARS)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="besloten door")
    batch = models.ForeignKey(DecisionBatch, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="decisions", verbose_name="reeks")
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    class Meta:
        verbose_name = "beschikking"
        verbose_name_plural = "beschikkingen"
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return f"Beschikking {self.reference}"

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines.all())


class DecisionLetter(FileJob):
    """The job that renders a decision's letter (a tagged PDF, stored privately): swept when it stands still,
    restarted by the ministry ("Opnieuw proberen")."""

    decision = models.OneToOneField(GrantDecision, on_delete=models.CASCADE, related_name="letter",
                                    verbose_name="beschikking")

    class Meta:
        verbose_name = "brief bij een beschikking"
        verbose_name_plural = "brieven bij beschikkingen"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Brief {self.decision.reference}"


class GrantDecisionLine(models.Model):
    """A granted amount: per component (brede SPUK) or per budget line (IZA), per year."""

    decision = models.ForeignKey(GrantDecision, on_delete=models.CASCADE, related_name="lines",
                                 verbose_name="beschikking")
    position = models.PositiveSmallIntegerField("volgorde")
    label = models.CharField("omschrijving", max_length=300)
    component = models.ForeignKey("budgets.Component", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="onderdeel")
    plan_line = models.ForeignKey(PlanLine, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name="begrotingsregel")
    municipality = models.ForeignKey("regions.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="gemeente (lokale inzet)")
    year = models.PositiveSmallIntegerField("jaar", validators=[bounds.validate_year])
    amount = models.BigIntegerField("toegekend bedrag (EUR)", validators=[bounds.validate_amount])

    class Meta:
        verbose_name = "toegekend bedrag"
        verbose_name_plural = "toegekende bedragen"
        ordering = ["position", "year", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(amount__lte=bounds.MAX_AMOUNT_EUR),
                                   name="decision_line_amount_bounded"),
        ]


class AdvancePayment(models.Model):
    """Voorschot: when which part of the granted amount is paid."""

    decision = models.ForeignKey(GrantDecision, on_delete=models.CASCADE, related_name="payments",
                                 verbose_name="beschikking")
    due_on = models.DateField("betaaldatum", validators=[bounds.validate_date])
    year = models.PositiveSmallIntegerField("jaar", null=True, blank=True, validators=[bounds.validate_year])
    amount = models.BigIntegerField("bedrag (EUR)", validators=[bounds.validate_amount])
    # Paid: marked by ministry staff ("Markeer als betaald"); the ledger books it as ADVANCE_PAID.
    paid_on = models.DateField("betaald op", null=True, blank=True, validators=[bounds.validate_date])
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name="als betaald gemarkeerd door")

    class Meta:
        verbose_name = "voorschot"
        verbose_name_plural = "voorschotten"
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(amount__lte=bounds.MAX_AMOUNT_EUR),
                                   name="advance_payment_amount_bounded"),
        ]

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None
