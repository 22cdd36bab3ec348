"""The determination's rows. Registered through monitoring/models.py (Django finds an app's models there)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from applications.regulations import definition
from budgets.models import Regulation
from spukportal import bounds
from spukportal.models import BackgroundJob, FileJob

from .flow import STATE_CHOICES, DeterminationState

# Bezwaar within six weeks of the letter's date (Algemene wet bestuursrecht, art. 6:7 and 6:8).
OBJECTION_WEEKS = 6


def _bounded(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": bounds.MAX_AMOUNT_EUR}),
                                  name=name)


class DeterminationBatch(BackgroundJob):
    """The ministry's "Vaststellen" for every recipient of a regulation with a final accounting and no
    determination yet: one job with progress; re-running it skips what is determined already."""

    regulation = models.CharField("regeling", max_length=20, choices=Regulation.choices)
    letter_date = models.DateField("datum vaststelling", validators=[bounds.validate_date])
    report_ids = models.JSONField("eindverantwoordingen", default=list, blank=True)
    total = models.PositiveIntegerField("aantal", default=0)
    done = models.PositiveIntegerField("gereed", default=0)
    determined_total = models.BigIntegerField("vastgesteld samen (EUR)", default=0)
    reclaim_total = models.BigIntegerField("terugvordering samen (EUR)", default=0)
    failures = models.JSONField("mislukt", default=list, blank=True)
    seconds = models.FloatField("duur (s)", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="gestart door")
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    class Meta:
        verbose_name = "reeks vaststellingen"
        verbose_name_plural = "reeksen vaststellingen"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Vaststellingen {definition(self.regulation).label} {self.letter_date:%d-%m-%Y}"


class Determination(models.Model):
    """De vaststelling of one recipient (gemeente; SPUK IZA: the region, whose mandate holder accounts) for one
    regulation: the figures per year (`years`), their totals, the status of the reclaim, the letter."""

    municipality = models.ForeignKey("regions.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="determinations", verbose_name="gemeente")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="determinations", verbose_name="IZA-regio")
    regulation = models.CharField("regeling", max_length=20, choices=Regulation.choices)
    status = models.CharField("status", max_length=30, choices=STATE_CHOICES, default=DeterminationState.CONCEPT,
                              db_index=True)
    reference = models.CharField("kenmerk", max_length=40, unique=True)
    final_report = models.ForeignKey("monitoring.SpendingReport", on_delete=models.PROTECT, related_name="+",
                                     verbose_name="eindverantwoording")
    granted = models.BigIntegerField("toegekend (EUR)", default=0)
    determined = models.BigIntegerField("vastgesteld (EUR)", default=0)
    reclaim = models.BigIntegerField("terugvordering (EUR)", default=0)
    not_paid = models.BigIntegerField("besteed boven de toekenning, niet vergoed (EUR)", default=0)
    letter_date = models.DateField("datum vaststelling", null=True, blank=True, validators=[bounds.validate_date])
    reclaim_sent_on = models.DateField("terugvordering verzonden op", null=True, blank=True)
    settled_on = models.DateField("ontvangen of verrekend op", null=True, blank=True)
    batch = models.ForeignKey(DeterminationBatch, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="determinations", verbose_name="reeks")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="aangemaakt door")
    determined_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name="vastgesteld door")
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    class Meta:
        verbose_name = "vaststelling"
        verbose_name_plural = "vaststellingen"
        ordering = ["regulation", "municipality__name", "region__name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(municipality__isnull=True) ^ Q(region__isnull=True),
                                   name="determination_one_recipient"),
            models.UniqueConstraint(fields=["municipality", "region", "regulation"], nulls_distinct=False,
                                    name="one_determination_per_recipient"),
            _bounded("granted", "determination_granted_bounded"),
            _bounded("determined", "determination_determined_bounded"),
            _bounded("reclaim", "determination_reclaim_bounded"),
            _bounded("not_paid", "determination_not_paid_bounded"),
            models.CheckConstraint(condition=Q(determined__lte=models.F("granted")),
                                   name="determination_within_grant"),
        ]

    def __str__(self):
        return f"Vaststelling {self.reference}"

    @property
    def recipient(self):
        return self.region if self.region_id else self.municipality

    @property
    def definition(self):
        return definition(self.regulation)

    @property
    def spent(self) -> int:
        return sum(y.spent for y in self.years.all())

    @property
    def objection_until(self) -> datetime.date | None:
        """The last day to object: six weeks after the letter's date (Awb 6:7/6:8)."""
        if self.letter_date is None:
            return None
        return self.letter_date + datetime.timedelta(weeks=OBJECTION_WEEKS)


class DeterminationYear(models.Model):
    """One year of a determination: granted, spent, carried in and out (within the cap), determined, reclaimed."""

    determination = models.ForeignKey(Determination, on_delete=models.CASCADE, related_name="years",
                                      verbose_name="vaststelling")
    year = models.PositiveSmallIntegerField("jaar", validators=[bounds.validate_year])
    granted = models.BigIntegerField("toegekend (EUR)")
    spent = models.BigIntegerField("besteed (EUR)")
    carried_in = models.BigIntegerField("overgeheveld uit het vorige jaar (EUR)", default=0)
    cap = models.BigIntegerField("ten hoogste over te hevelen (EUR)", default=0)
    carried_out = models.BigIntegerField("overgeheveld naar het volgende jaar (EUR)", default=0)
    determined = models.BigIntegerField("vastgesteld (EUR)")
    reclaim = models.BigIntegerField("terugvordering (EUR)")
    not_paid = models.BigIntegerField("niet vergoed (EUR)", default=0)

    class Meta:
        verbose_name = "vaststelling per jaar"
        verbose_name_plural = "vaststellingen per jaar"
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["determination", "year"], name="one_determination_year"),
            _bounded("carried_out", "determination_year_carry_bounded"),
            models.CheckConstraint(condition=Q(carried_out__lte=models.F("cap")),
                                   name="determination_year_carry_within_cap"),
            _bounded("reclaim", "determination_year_reclaim_bounded"),
            _bounded("determined", "determination_year_determined_bounded"),
        ]


class DeterminationLetter(FileJob):
    """The job that renders a determination's letter (a tagged PDF, stored privately)."""

    determination = models.OneToOneField(Determination, on_delete=models.CASCADE, related_name="letter",
                                         verbose_name="vaststelling")

    class Meta:
        verbose_name = "brief bij een vaststelling"
        verbose_name_plural = "brieven bij vaststellingen"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Brief {self.determination.reference}"
