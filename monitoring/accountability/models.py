"""SiSa accountability: spending reports and their lines and transfers, prior grants, the SiSa appendix and
the national SiSa batch."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from applications.regulations import definition
from budgets.models import Regulation
from spukportal import bounds
from spukportal.models import BackgroundJob, FileJob


def _amount_bounded(field: str, name: str, *, signed: bool = False) -> models.CheckConstraint:
    low = -bounds.MAX_AMOUNT_EUR if signed else 0
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": low}) & Q(**{f"{field}__lte": bounds.MAX_AMOUNT_EUR}),
                                  name=name)


class PriorGrant(models.Model):
    """A grant decided before the portal existed (DUS-I's earlier beschikkingen), imported by ministry
    staff. Counted by `monitoring.grants` exactly like the lines of a granted decision in the portal.

    For SPUK IZA the recipient is the region's mandate holder (`region` set); `component` null means the
    whole regulation (brede SPUK from 2025, IZA)."""

    municipality = models.ForeignKey("regions.Municipality", on_delete=models.PROTECT, related_name="prior_grants",
                                     verbose_name="ontvanger")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="prior_grants", verbose_name="IZA-regio")
    regulation = models.CharField("regeling", max_length=20, choices=Regulation.choices)
    year = models.PositiveSmallIntegerField("jaar", validators=[bounds.validate_year])
    component = models.ForeignKey("budgets.Component", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="onderdeel")
    amount = models.BigIntegerField("toegekend bedrag (EUR)", validators=[bounds.validate_amount])
    reference = models.CharField("kenmerk beschikking", max_length=40)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="geïmporteerd door")
    imported_at = models.DateTimeField("geïmporteerd op", auto_now_add=True)

    class Meta:
        verbose_name = "eerdere toekenning"
        verbose_name_plural = "eerdere toekenningen"
        ordering = ["year", "municipality__name", "component__number", "id"]
        constraints = [
            _amount_bounded("amount", "prior_grant_amount_bounded"),
            models.UniqueConstraint(fields=["municipality", "regulation", "year", "component"],
                                    nulls_distinct=False, name="one_prior_grant_per_line"),
        ]

    def __str__(self):
        return f"{self.reference} {self.municipality} {self.year}"


class SpendingReport(models.Model):
    """De verantwoording (SiSa) of one gemeente for one regulation and year. For SPUK IZA (H35) the
    mandate holder reports for its region (`region` set). A submitted report is locked; a correction is a
    new version (with `correction_reason`) and the old one becomes "vervangen"."""

    class Status(models.TextChoices):
        CONCEPT = "concept", "Concept"
        SUBMITTED = "ingediend", "Ingediend"
        REPLACED = "vervangen", "Vervangen"

    municipality = models.ForeignKey("regions.Municipality", on_delete=models.PROTECT,
                                     related_name="spending_reports", verbose_name="gemeente")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="spending_reports", verbose_name="IZA-regio")
    regulation = models.CharField("regeling", max_length=20, choices=Regulation.choices)
    year = models.PositiveSmallIntegerField("jaar", validators=[bounds.validate_year])
    version = models.PositiveSmallIntegerField("versie", default=1)
    correction_reason = models.TextField("reden correctie", blank=True, max_length=bounds.MAX_NOTE_CHARS)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.CONCEPT,
                              db_index=True)
    self_executed = models.BooleanField("/02 zelfstandige uitvoering", default=True)
    is_final = models.BooleanField("/05 eindverantwoording", default=False)
    explanation = models.TextField("toelichting op afwijkingen", blank=True, max_length=bounds.MAX_NOTE_CHARS)
    carry_over = models.BigIntegerField("doorgeschoven naar het volgende jaar (EUR)", default=0,
                                        validators=[bounds.validate_amount])
    edit_version = models.PositiveIntegerField("bewerkingsversie", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="aangemaakt door")
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True)
    submitted_at = models.DateTimeField("ingediend op", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="ingediend door")
    # The SiSa appendix (PDF) is a background job of its own (`appendix`, a SisaAppendix), made after submission.

    class Meta:
        verbose_name = "verantwoording (SiSa)"
        verbose_name_plural = "verantwoordingen (SiSa)"
        ordering = ["-year", "municipality__name", "regulation", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "regulation", "year", "version"],
                                    name="unique_spending_report_version"),
            models.UniqueConstraint(fields=["municipality", "regulation", "year"], condition=Q(status="concept"),
                                    name="one_concept_spending_report"),
            models.UniqueConstraint(fields=["municipality", "regulation", "year"], condition=Q(status="ingediend"),
                                    name="one_current_spending_report"),
            _amount_bounded("carry_over", "spending_report_carry_over_bounded"),
        ]

    def __str__(self):
        return f"Verantwoording {self.get_regulation_display()} {self.year} {self.municipality} v{self.version}"

    @property
    def definition(self):
        """What differs per regulation (applications.regulations): SiSa codes, legal name, the years."""
        return definition(self.regulation)


class SisaAppendix(FileJob):
    """The job that renders the SiSa appendix (PDF) of a submitted report and stores it privately: swept when
    it stands still, restarted with "Bijlage opnieuw maken"."""

    report = models.OneToOneField(SpendingReport, on_delete=models.CASCADE, related_name="appendix",
                                  verbose_name="verantwoording")

    class Meta:
        verbose_name = "SiSa-bijlage"
        verbose_name_plural = "SiSa-bijlagen"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"SiSa-bijlage {self.report}"


class SpendingLine(models.Model):
    """One SiSa row of a report: per component (brede SPUK up to 2024) or one for the regulation."""

    report = models.ForeignKey(SpendingReport, on_delete=models.CASCADE, related_name="lines",
                               verbose_name="verantwoording")
    component = models.ForeignKey("budgets.Component", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="onderdeel")
    expenditure = models.BigIntegerField("/01 besteding jaar T (EUR)", default=0, validators=[bounds.validate_amount])
    correction_previous = models.BigIntegerField("/03 correctie besteding jaar T-1 (EUR)", default=0)
    cumulative = models.BigIntegerField("/04 cumulatieve besteding (EUR)", default=0,
                                        validators=[bounds.validate_amount])

    class Meta:
        verbose_name = "bestedingsregel"
        verbose_name_plural = "bestedingsregels"
        ordering = ["component__number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "component"], nulls_distinct=False,
                                    name="one_spending_line_per_component"),
            _amount_bounded("expenditure", "spending_line_expenditure_bounded"),
            _amount_bounded("correction_previous", "spending_line_correction_bounded", signed=True),
            _amount_bounded("cumulative", "spending_line_cumulative_bounded"),
        ]


class SpendingTransfer(models.Model):
    """H35B: IZA money passed on to a member gemeente of the region, one row per receiving gemeente."""

    report = models.ForeignKey(SpendingReport, on_delete=models.CASCADE, related_name="transfers",
                               verbose_name="verantwoording")
    recipient = models.ForeignKey("regions.Municipality", on_delete=models.PROTECT, related_name="+",
                                  verbose_name="ontvangende gemeente")
    expenditure = models.BigIntegerField("/01 besteding jaar T (EUR)", default=0, validators=[bounds.validate_amount])
    correction_previous = models.BigIntegerField("/03 correctie besteding jaar T-1 (EUR)", default=0)
    cumulative = models.BigIntegerField("/04 cumulatieve besteding (EUR)", default=0,
                                        validators=[bounds.validate_amount])

    class Meta:
        verbose_name = "doorbetaling (H35B)"
        verbose_name_plural = "doorbetalingen (H35B)"
        ordering = ["recipient__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "recipient"], name="one_transfer_per_recipient"),
            _amount_bounded("expenditure", "spending_transfer_expenditure_bounded"),
            _amount_bounded("correction_previous", "spending_transfer_correction_bounded", signed=True),
            _amount_bounded("cumulative", "spending_transfer_cumulative_bounded"),
        ]


class SisaBatch(BackgroundJob):
    """The national SiSa set of one year: a PDF per submitted report in a ZIP, plus a national XLSX.
    Re-running finishes the same job (no second job, no duplicate files)."""

    year = models.PositiveSmallIntegerField("jaar", validators=[bounds.validate_year])
    total = models.PositiveIntegerField("aantal", default=0)
    done = models.PositiveIntegerField("gereed", default=0)
    zip_file = models.CharField("ZIP (privéopslag)", max_length=255, blank=True)
    xlsx_file = models.CharField("XLSX (privéopslag)", max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="gestart door")
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    seconds = models.FloatField("duur (s)", null=True, blank=True)

    class Meta:
        verbose_name = "landelijke SiSa-set"
        verbose_name_plural = "landelijke SiSa-sets"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year"], name="one_sisa_batch_per_year"),
        ]
