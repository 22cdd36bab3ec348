"""Amendments of a granted decision: the applicant's change request, the amended decision (wijzigingsbesluit)
with its lines (old and new amount) and its letter, and the ministry's batch of amendments after a budget change.

The models live in the applications app (`applications.models` imports this module so Django registers them)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from spukportal import bounds
from spukportal.models import BackgroundJob, FileJob

from .flow import OPEN_STATES, STATE_CHOICES, STATES, ChangeRequestState


class ChangeRequest(models.Model):
    """Verzoek om wijziging: after a granted decision the applicant (IZA: the mandate holder) asks to change the
    plan and/or the granted amounts per year and line, with reasons. At most one open request per decision."""

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT,
                                     related_name="change_requests", verbose_name="aanvraag")
    decision = models.ForeignKey("applications.GrantDecision", on_delete=models.PROTECT,
                                 related_name="change_requests", verbose_name="beschikking")
    status = models.CharField("status", max_length=20, choices=STATE_CHOICES, default=ChangeRequestState.CONCEPT,
                              db_index=True)
    reasons = models.TextField("reden van de wijziging", max_length=bounds.MAX_NOTE_CHARS)
    plan_text = models.TextField("wijziging van het plan van aanpak", blank=True, max_length=bounds.MAX_NOTE_CHARS)
    # The amounts asked for: every line of the decision as it stands, [{component, plan_line, year, amount}].
    lines = models.JSONField("gevraagde bedragen", default=list)
    # The amounts the request starts from: the number of the decision's latest amended decision when the request
    # was last saved (0: the decision itself). When the grant changed after that (a batch after a budget change),
    # the request cannot be submitted or granted as it stands: see `selectors.changed_since`.
    based_on = models.PositiveSmallIntegerField("uitgaand van wijzigingsbesluit nr.", default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="aangemaakt door")
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    submitted_at = models.DateTimeField("ingediend op", null=True, blank=True)
    advice = models.CharField("advies kerngroep", max_length=10, blank=True,
                              choices=[("positief", "Positief"), ("negatief", "Negatief")])
    advice_note = models.TextField("motivering advies", blank=True, max_length=bounds.MAX_NOTE_CHARS)
    advised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="geadviseerd door")
    advised_at = models.DateTimeField("geadviseerd op", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="besloten door")
    decided_at = models.DateTimeField("besloten op", null=True, blank=True)
    decision_note = models.TextField("motivering besluit", blank=True, max_length=bounds.MAX_NOTE_CHARS)

    class Meta:
        verbose_name = "verzoek om wijziging"
        verbose_name_plural = "verzoeken om wijziging"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["decision"], condition=Q(status__in=sorted(OPEN_STATES)),
                                    name="one_open_change_request_per_decision"),
        ]

    def __str__(self):
        return f"Verzoek om wijziging {self.decision.reference} ({self.pk})"

    @property
    def state_info(self):
        return STATES[self.status]


class AmendmentBatch(BackgroundJob):
    """The ministry's own amendment after a budget change: one job that makes an amended decision for each chosen
    granted decision, lowering its amounts to the new allocation run's. Re-running it finishes the same
    amendments (never a second one for a decision)."""

    run = models.ForeignKey("budgets.AllocationRun", on_delete=models.PROTECT, related_name="+",
                            verbose_name="nieuwe verdeling")
    decisions = models.ManyToManyField("applications.GrantDecision", related_name="+", verbose_name="beschikkingen")
    decided_on = models.DateField("datum wijzigingsbesluiten", validators=[bounds.validate_date])
    reasons = models.TextField("reden", max_length=bounds.MAX_NOTE_CHARS)
    total = models.PositiveIntegerField("aantal", default=0)
    done = models.PositiveIntegerField("gereed", default=0)
    failures = models.JSONField("mislukt per beschikking", default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="gestart door")
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    class Meta:
        verbose_name = "reeks wijzigingsbesluiten"
        verbose_name_plural = "reeksen wijzigingsbesluiten"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Reeks wijzigingsbesluiten {self.pk}"


class AmendedDecision(models.Model):
    """Wijzigingsbesluit: replaces the amounts of a granted decision (or of its previous amendment). Its
    reference is the decision's with "-W1", "-W2", …; the decision it amends stays readable."""

    decision = models.ForeignKey("applications.GrantDecision", on_delete=models.PROTECT, related_name="amendments",
                                 verbose_name="oorspronkelijke beschikking")
    number = models.PositiveSmallIntegerField("volgnummer")
    reference = models.CharField("kenmerk", max_length=50, unique=True)
    change_request = models.OneToOneField(ChangeRequest, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="amended_decision", verbose_name="verzoek om wijziging")
    batch = models.ForeignKey(AmendmentBatch, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="amended_decisions", verbose_name="reeks")
    decided_on = models.DateField("datum wijzigingsbesluit", validators=[bounds.validate_date])
    reasons = models.TextField("reden", max_length=bounds.MAX_NOTE_CHARS)
    plan_text = models.TextField("wijziging van het plan van aanpak", blank=True, max_length=bounds.MAX_NOTE_CHARS)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="besloten door")
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    class Meta:
        verbose_name = "wijzigingsbesluit"
        verbose_name_plural = "wijzigingsbesluiten"
        ordering = ["decision", "number"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "number"], name="one_amendment_per_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="amendment_number_positive"),
        ]

    def __str__(self):
        return f"Wijzigingsbesluit {self.reference}"

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines.all())

    @property
    def old_total(self) -> int:
        return sum(line.old_amount for line in self.lines.all())


class AmendedDecisionLine(models.Model):
    """One line of an amended decision: the amount it grants now and what the decision it replaces granted."""

    amended_decision = models.ForeignKey(AmendedDecision, on_delete=models.CASCADE, related_name="lines",
                                         verbose_name="wijzigingsbesluit")
    position = models.PositiveSmallIntegerField("volgorde")
    label = models.CharField("omschrijving", max_length=300)
    component = models.ForeignKey("budgets.Component", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="onderdeel")
    plan_line = models.ForeignKey("applications.PlanLine", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="begrotingsregel")
    municipality = models.ForeignKey("regions.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="gemeente (lokale inzet)")
    year = models.PositiveSmallIntegerField("jaar", validators=[bounds.validate_year])
    old_amount = models.BigIntegerField("was (EUR)", validators=[bounds.validate_amount])
    amount = models.BigIntegerField("wordt (EUR)", validators=[bounds.validate_amount])

    class Meta:
        verbose_name = "gewijzigd bedrag"
        verbose_name_plural = "gewijzigde bedragen"
        ordering = ["position", "year", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(amount__lte=bounds.MAX_AMOUNT_EUR)
                                   & Q(old_amount__gte=0) & Q(old_amount__lte=bounds.MAX_AMOUNT_EUR),
                                   name="amended_line_amounts_bounded"),
        ]


class AmendedDecisionLetter(FileJob):
    """The job that renders an amended decision's letter (a tagged PDF, stored privately)."""

    amended_decision = models.OneToOneField(AmendedDecision, on_delete=models.CASCADE, related_name="letter",
                                            verbose_name="wijzigingsbesluit")

    class Meta:
        verbose_name = "brief bij een wijzigingsbesluit"
        verbose_name_plural = "brieven bij wijzigingsbesluiten"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Brief {self.amended_decision.reference}"
