"""Monitoring and accountability.

Sections: `# --- SiSa ---` (spending reports, prior grants, the national SiSa batch) and the dashboards'
section (ketenaanpak monitoring, exports), each owned and migrated on its own.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from applications.regulations import definition
from budgets.models import Regulation
from spukportal import bounds
from spukportal.models import BackgroundJob, FileJob


# --- SiSa ---------------------------------------------------------------------------------------------

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


# --- monitoring and dashboards ---------------------------------------------------------------------------
# Ketenaanpak states (append-only), valpreventie figures per gemeente per year, and export jobs.

class ChainApproach(models.TextChoices):
    """The five ketenaanpakken of the GALA (stored codes never change)."""

    KANSRIJKE_START = "kansrijke_start", "Kansrijke start"
    VALPREVENTIE = "valpreventie", "Valpreventie"
    OVERGEWICHT_KINDEREN = "overgewicht_kinderen", "Overgewicht kinderen"
    GLI_VOLWASSENEN = "gli_volwassenen", "GLI volwassenen"
    WELZIJN_OP_RECEPT = "welzijn_op_recept", "Welzijn op recept"


class ChainStage(models.TextChoices):
    """How far a gemeente is with one ketenaanpak, in order."""

    NOT_STARTED = "niet_gestart", "Niet gestart"
    PREPARATION = "voorbereiding", "Voorbereiding"
    AGREEMENTS = "samenwerkingsafspraken", "Samenwerkingsafspraken"
    SET_UP = "ingericht", "Ingericht"
    ACCESSIBLE = "toegankelijk", "Toegankelijk"


class ChainStateChange(models.Model):
    """One recorded state of one ketenaanpak of one gemeente, from `changed_on`. Append-only: the current
    state is the latest change (by date, then by when it was recorded); nothing is updated or deleted."""

    municipality = models.ForeignKey("regions.Municipality", on_delete=models.PROTECT, related_name="chain_changes",
                                     verbose_name="gemeente")
    approach = models.CharField("ketenaanpak", max_length=30, choices=ChainApproach.choices)
    stage = models.CharField("stand", max_length=30, choices=ChainStage.choices)
    changed_on = models.DateField("sinds", validators=[bounds.validate_date])
    note = models.CharField("toelichting", max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="vastgelegd door")
    recorded_at = models.DateTimeField("vastgelegd op", auto_now_add=True)

    class Meta:
        verbose_name = "stand ketenaanpak"
        verbose_name_plural = "standen ketenaanpak"
        ordering = ["municipality__name", "approach", "-changed_on", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["municipality", "approach", "changed_on"], name="chain_change_lookup")]
        constraints = [
            models.CheckConstraint(condition=Q(changed_on__gte=bounds.MIN_DATE) & Q(changed_on__lte=bounds.MAX_DATE),
                                   name="chain_change_date_bounded"),
        ]

    def __str__(self):
        return f"{self.municipality}: {self.get_approach_display()} – {self.get_stage_display()}"


# The national targets of the ketenaanpak valpreventie (GALA, werkagenda ketenaanpakken): every year 14% of
# all home-dwelling people aged 65+ get a fall-risk assessment, and 3% of all home-dwelling people aged 65+
# (those among them with a raised risk) follow a recognised intervention. Both are shares of all 65+.
ASSESSMENT_TARGET_PERCENT = 14
INTERVENTION_TARGET_PERCENT = 3
MAX_PEOPLE = 10_000_000  # more than the Netherlands has people aged 65+


class FallPreventionFigures(models.Model):
    """Valpreventie figures of one gemeente for one year; the percentages are computed, never typed."""

    municipality = models.ForeignKey("regions.Municipality", on_delete=models.PROTECT,
                                     related_name="fall_prevention_figures", verbose_name="gemeente")
    year = models.PositiveSmallIntegerField("jaar", validators=[bounds.validate_year])
    home_dwelling_65_plus = models.PositiveIntegerField("thuiswonende 65-plussers")
    assessments = models.PositiveIntegerField("valrisico-inschattingen")
    interventions = models.PositiveIntegerField("deelnemers erkende valpreventieve interventie")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="laatst gewijzigd door")
    updated_at = models.DateTimeField("laatst gewijzigd op", auto_now=True)

    class Meta:
        verbose_name = "cijfers valpreventie"
        verbose_name_plural = "cijfers valpreventie"
        ordering = ["municipality__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="one_fall_prevention_row_per_year"),
            models.CheckConstraint(condition=Q(year__gte=bounds.MIN_YEAR) & Q(year__lte=bounds.MAX_YEAR),
                                   name="fall_prevention_year_bounded"),
            models.CheckConstraint(condition=Q(home_dwelling_65_plus__gt=0)
                                   & Q(home_dwelling_65_plus__lte=MAX_PEOPLE),
                                   name="fall_prevention_population_bounded"),
            models.CheckConstraint(condition=Q(assessments__lte=models.F("home_dwelling_65_plus")),
                                   name="fall_prevention_assessments_within_population"),
            models.CheckConstraint(condition=Q(interventions__lte=models.F("home_dwelling_65_plus")),
                                   name="fall_prevention_interventions_within_population"),
        ]

    def __str__(self):
        return f"Valpreventie {self.municipality} {self.year}"

    # Rounded down, so that a share just under a target never reads as the target (13,99% → 13,9%, not 14,0%).
    @property
    def assessment_percent(self):
        return percent(self.assessments, self.home_dwelling_65_plus, down=True)

    @property
    def intervention_percent(self):
        return percent(self.interventions, self.home_dwelling_65_plus, down=True)

    @property
    def assessment_target_met(self):
        return self.assessments * 100 >= ASSESSMENT_TARGET_PERCENT * self.home_dwelling_65_plus

    @property
    def intervention_target_met(self):
        return self.interventions * 100 >= INTERVENTION_TARGET_PERCENT * self.home_dwelling_65_plus


def percent(part, whole, *, down=False):
    """A share in percent with one decimal (Decimal; rounded half up, or `down`), or None without a base."""
    from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"),
                                                            rounding=ROUND_DOWN if down else ROUND_HALF_UP)


class Export(BackgroundJob):
    """A large export made by a Celery task (e.g. the national spending overview as XLSX), stored privately and
    listed on the downloads page of the one who asked for it."""

    class Kind(models.TextChoices):
        SPENDING_OVERVIEW = "bestedingsoverzicht", "Landelijk overzicht besteding en verdeling"

    kind = models.CharField("soort", max_length=30, choices=Kind.choices)
    parameters = models.JSONField("filters", default=dict, blank=True)
    progress = models.PositiveSmallIntegerField("voortgang (%)", default=0)
    file = models.CharField("bestand (privéopslag)", max_length=255, blank=True)
    rows = models.PositiveIntegerField("regels", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="gemaakt door")
    created_at = models.DateTimeField("aangevraagd op", auto_now_add=True)
    attempts = models.PositiveSmallIntegerField("pogingen", default=0)

    class Meta:
        verbose_name = "export"
        verbose_name_plural = "exports"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_at_most_100"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%d-%m-%Y %H:%M})" if self.created_at else self.get_kind_display()

    @property
    def filename(self):
        year = self.parameters.get("year", "")
        return f"bestedingsoverzicht-{year}-{self.pk}.xlsx"


# --- determinations (vaststellingen) ---------------------------------------------------------------------
# Defined in their own package; imported here so that Django registers them with the monitoring app.

from .determination.models import (Determination, DeterminationBatch, DeterminationLetter,  # noqa: E402,F401
                                   DeterminationYear)
