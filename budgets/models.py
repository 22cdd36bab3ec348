"""Budgets, components and allocation runs.

Core schema shared with the applications app: `Component`, `AllocationRun`, `Allocation`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from spukportal import bounds
from spukportal.models import BackgroundJob


class Regulation(models.TextChoices):
    BREDE_SPUK = "brede_spuk", "Brede SPUK"
    SPUK_IZA = "spuk_iza", "SPUK IZA"


# The regulation a form, an import or a new record starts on when none is given (portal policy).
DEFAULT_REGULATION = Regulation.BREDE_SPUK


class Theme(models.Model):
    name = models.CharField("naam", max_length=100, unique=True)
    order = models.PositiveSmallIntegerField("volgorde", default=0)

    class Meta:
        verbose_name = "hoofdthema"
        verbose_name_plural = "hoofdthema's"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Component(models.Model):
    """A budget line: one of the 15 onderdelen of the brede SPUK, or the IZA budget."""

    regulation = models.CharField("regeling", max_length=20, choices=Regulation.choices)
    number = models.PositiveSmallIntegerField("nummer")
    name = models.CharField("naam", max_length=200)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="components", verbose_name="hoofdthema")
    is_mandatory = models.BooleanField("verplicht aan te vragen", default=False)
    spending_conditions = models.TextField("bestedingsvoorwaarden (GALA)", blank=True)
    is_total = models.BooleanField(
        "één regel voor de hele regeling", default=False,
        help_text="Vanaf 2025 is de brede SPUK één begrotingsregel (ontschotting); niet apart aan te vragen.",
    )

    class Meta:
        verbose_name = "onderdeel"
        verbose_name_plural = "onderdelen"
        ordering = ["regulation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["regulation", "number"], name="unique_component_number"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    @property
    def label(self):
        return self.name if self.is_total else str(self)


class AllocationRun(BackgroundJob):
    """One computation (or imported official table) of amounts per gemeente × component × year.
    Immutable once finished."""

    stale_error = ("Onderbroken: de berekening stond stil (de verwerker is gestopt of herstart). Er zijn geen "
                   "bedragen opgeslagen; start hem opnieuw.")

    class Kind(models.TextChoices):
        COMPUTED = "berekend", "Berekend"
        ESTABLISHED = "vastgesteld", "Vastgesteld (officiële tabel)"

    name = models.CharField("naam", max_length=200)
    regulation = models.CharField("regeling", max_length=20, choices=Regulation.choices)
    kind = models.CharField("soort", max_length=20, choices=Kind.choices, default=Kind.COMPUTED)
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    # Inputs (frozen in `input_snapshot` when the run is started).
    years = models.JSONField("jaren", default=list)
    budget_version = models.ForeignKey("BudgetVersion", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="runs", verbose_name="begrotingsversie")
    distribution_key = models.ForeignKey("DistributionKey", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="runs", verbose_name="verdeelsleutel")
    reference_date = models.DateField("peildatum regio-indeling", null=True, blank=True)
    input_snapshot = models.JSONField("bevroren invoer", default=dict, blank=True)
    input_fingerprint = models.CharField("vingerafdruk invoer (SHA-256)", max_length=64, blank=True)
    source = models.CharField("bron (officiële tabel)", max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="gestart door")
    is_published = models.BooleanField("zichtbaar voor gemeenten", default=False)
    # The job (status, task, error, start and end: BackgroundJob) and its progress and timings.
    progress = models.PositiveSmallIntegerField("voortgang (%)", default=0)
    progress_message = models.CharField("voortgangsmelding", max_length=255, blank=True)
    compute_seconds = models.FloatField("rekentijd (s)", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("pogingen", default=0)

    class Meta:
        verbose_name = "verdeelberekening"
        verbose_name_plural = "verdeelberekeningen"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="run_progress_at_most_100"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_computed(self):
        return self.kind == self.Kind.COMPUTED

    @property
    def duration_seconds(self):
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class Allocation(models.Model):
    """The amount (whole euros) one gemeente receives for one component in one year, in one run."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="allocations",
                            verbose_name="berekening")
    municipality = models.ForeignKey("regions.Municipality", on_delete=models.PROTECT, related_name="allocations",
                                     verbose_name="gemeente")
    component = models.ForeignKey(Component, on_delete=models.PROTECT, related_name="allocations",
                                  verbose_name="onderdeel")
    year = models.PositiveSmallIntegerField("jaar")
    amount = models.BigIntegerField("bedrag (EUR)", validators=[bounds.validate_amount])

    class Meta:
        verbose_name = "toekenning"
        verbose_name_plural = "toekenningen"
        constraints = [
            models.UniqueConstraint(fields=["run", "municipality", "component", "year"], name="unique_allocation"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="allocation_not_negative"),
            models.CheckConstraint(condition=Q(amount__lte=bounds.MAX_AMOUNT_EUR), name="allocation_bounded"),
        ]


class BudgetVersion(models.Model):
    """One version of the budgets (EUR per budget line and year). Versions are never edited: an amendment
    is a new version that names the version it amends (`based_on`) and lists its mutations."""

    class Kind(models.TextChoices):
        BASE = "basis", "Basisbegroting"
        AMENDMENT = "wijziging", "Wijziging"
        ESTABLISHED = "vastgesteld", "Vastgestelde bedragen"

    name = models.CharField("naam", max_length=200, unique=True)
    kind = models.CharField("soort", max_length=20, choices=Kind.choices)
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendments",
                                 verbose_name="wijzigt versie")
    source = models.CharField("bron", max_length=255)
    source_date = models.DateField("datum bron")
    description = models.TextField("toelichting", blank=True)
    created_at = models.DateTimeField("vastgelegd op", auto_now_add=True)

    class Meta:
        verbose_name = "begrotingsversie"
        verbose_name_plural = "begrotingsversies"
        ordering = ["-source_date", "-id"]

    def __str__(self):
        return self.name


class BudgetLine(models.Model):
    """The budget (whole euros) of one component (or the one brede SPUK line) in one year of a version."""

    version = models.ForeignKey(BudgetVersion, on_delete=models.CASCADE, related_name="lines",
                                verbose_name="begrotingsversie")
    component = models.ForeignKey(Component, on_delete=models.PROTECT, related_name="budget_lines",
                                  verbose_name="onderdeel")
    year = models.PositiveSmallIntegerField("jaar")
    amount = models.BigIntegerField("budget (EUR)", validators=[bounds.validate_amount])

    class Meta:
        verbose_name = "begrotingsregel"
        verbose_name_plural = "begrotingsregels"
        ordering = ["version", "component__regulation", "component__number", "year"]
        constraints = [
            models.UniqueConstraint(fields=["version", "component", "year"], name="unique_budget_line"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_not_negative"),
        ]


class BudgetMutation(models.Model):
    """One change that an amending version makes (as published), kept for the record."""

    version = models.ForeignKey(BudgetVersion, on_delete=models.CASCADE, related_name="mutations",
                                verbose_name="begrotingsversie")
    regulation = models.CharField("regeling", max_length=20, choices=Regulation.choices)
    year = models.PositiveSmallIntegerField("jaar")
    subject = models.CharField("onderwerp", max_length=200)
    amount = models.BigIntegerField("bedrag (EUR, negatief = korting)")
    source = models.CharField("bron", max_length=255)

    class Meta:
        verbose_name = "begrotingsmutatie"
        verbose_name_plural = "begrotingsmutaties"
        ordering = ["version", "year", "id"]


class Factor(models.TextChoices):
    """Statistics a key can weigh; the values are field names of regions.MunicipalityStatistics."""

    POPULATION = "population", "Inwoners"
    DISADVANTAGE = "population_health_disadvantage", "Inwoners met gezondheidsachterstand"


class DistributionKey(models.Model):
    """A version of the verdeelsleutel: weighted factors from one reference year, fixed amounts, rounding."""

    class Rounding(models.TextChoices):
        LARGEST_REMAINDER = "grootste_rest", "Hele euro's, grootste-restmethode, gelijke resten op CBS-code"

    name = models.CharField("naam", max_length=200, unique=True)
    description = models.TextField("toelichting", blank=True)
    reference_year = models.PositiveSmallIntegerField("peiljaar statistieken")
    rounding = models.CharField("afronding", max_length=20, choices=Rounding.choices,
                                default=Rounding.LARGEST_REMAINDER)
    is_default = models.BooleanField("standaardsleutel", default=False)
    created_at = models.DateTimeField("vastgelegd op", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="vastgelegd door")

    class Meta:
        verbose_name = "verdeelsleutel"
        verbose_name_plural = "verdeelsleutels"
        ordering = ["-is_default", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_key"),
        ]

    def __str__(self):
        return self.name


class KeyFactor(models.Model):
    key = models.ForeignKey(DistributionKey, on_delete=models.CASCADE, related_name="factors",
                            verbose_name="verdeelsleutel")
    factor = models.CharField("factor", max_length=40, choices=Factor.choices)
    weight = models.DecimalField("gewicht", max_digits=7, decimal_places=6)

    class Meta:
        verbose_name = "factor"
        verbose_name_plural = "factoren"
        ordering = ["key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["key", "factor"], name="unique_key_factor"),
            models.CheckConstraint(condition=Q(weight__gte=0) & Q(weight__lte=1), name="key_factor_weight_0_1"),
        ]


class FixedAmount(models.Model):
    """A gemeente receives this fixed amount of a budget line in a year instead of its share."""

    key = models.ForeignKey(DistributionKey, on_delete=models.CASCADE, related_name="fixed_amounts",
                            verbose_name="verdeelsleutel")
    municipality = models.ForeignKey("regions.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name="gemeente")
    component = models.ForeignKey(Component, on_delete=models.PROTECT, related_name="+", verbose_name="onderdeel")
    year = models.PositiveSmallIntegerField("jaar")
    amount = models.BigIntegerField("vast bedrag (EUR)", validators=[bounds.validate_amount])
    source = models.CharField("bron", max_length=255, blank=True)

    class Meta:
        verbose_name = "vast bedrag"
        verbose_name_plural = "vaste bedragen"
        ordering = ["key", "year", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["key", "municipality", "component", "year"], name="unique_fixed_amount"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fixed_amount_not_negative"),
        ]


class RegionAllocation(models.Model):
    """The sum of the amounts of an IZA-regio's members (membership valid on the run's reference date)."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="region_allocations",
                            verbose_name="berekening")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="regio")
    component = models.ForeignKey(Component, on_delete=models.PROTECT, related_name="+", verbose_name="onderdeel")
    year = models.PositiveSmallIntegerField("jaar")
    amount = models.BigIntegerField("bedrag (EUR)")

    class Meta:
        verbose_name = "regiototaal"
        verbose_name_plural = "regiototalen"
        constraints = [
            models.UniqueConstraint(fields=["run", "region", "component", "year"], name="unique_region_allocation"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="region_allocation_not_negative"),
        ]


class AllocationReport(BackgroundJob):
    """A generated report (PDF, CSV or XLSX) of a run, made by a Celery task, stored privately."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="reports", verbose_name="berekening")
    format = models.CharField("formaat", max_length=10, choices=Format.choices)
    progress = models.PositiveSmallIntegerField("voortgang (%)", default=0)
    file = models.CharField("bestand (privéopslag)", max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="aangevraagd door")
    created_at = models.DateTimeField("aangevraagd op", auto_now_add=True)

    class Meta:
        verbose_name = "rapport"
        verbose_name_plural = "rapporten"
        ordering = ["-created_at", "-id"]

    @property
    def filename(self):
        return f"verdeling-{self.run_id}.{self.format}"


from .ledger.models import LedgerEntry  # noqa: E402,F401  (registers the ledger's model)
