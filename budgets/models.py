"""Budgets, components and allocation runs.

Core schema shared with the applications app: `Component`, `AllocationRun`, `Allocation`.
"""

from django.db import models
from django.db.models import Q


class Regulation(models.TextChoices):
    BREDE_SPUK = "brede_spuk", "Brede SPUK"
    SPUK_IZA = "spuk_iza", "SPUK IZA"


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

    class Meta:
        verbose_name = "onderdeel"
        verbose_name_plural = "onderdelen"
        ordering = ["regulation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["regulation", "number"], name="unique_component_number"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


class AllocationRun(models.Model):
    """One computation (or imported official table) of amounts per gemeente × component × year.
    Immutable once finished."""

    class Kind(models.TextChoices):
        COMPUTED = "berekend", "Berekend"
        ESTABLISHED = "vastgesteld", "Vastgesteld (officiële tabel)"

    class Status(models.TextChoices):
        PENDING = "wachtrij", "In de wachtrij"
        RUNNING = "bezig", "Bezig"
        FINISHED = "klaar", "Klaar"
        FAILED = "mislukt", "Mislukt"

    name = models.CharField("naam", max_length=200)
    regulation = models.CharField("regeling", max_length=20, choices=Regulation.choices)
    kind = models.CharField("soort", max_length=20, choices=Kind.choices, default=Kind.COMPUTED)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    class Meta:
        verbose_name = "verdeelberekening"
        verbose_name_plural = "verdeelberekeningen"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name


class Allocation(models.Model):
    """The amount (whole euros) one gemeente receives for one component in one year, in one run."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="allocations",
                            verbose_name="berekening")
    municipality = models.ForeignKey("regions.Municipality", on_delete=models.PROTECT, related_name="allocations",
                                     verbose_name="gemeente")
    component = models.ForeignKey(Component, on_delete=models.PROTECT, related_name="allocations",
                                  verbose_name="onderdeel")
    year = models.PositiveSmallIntegerField("jaar")
    amount = models.BigIntegerField("bedrag (EUR)")

    class Meta:
        verbose_name = "toekenning"
        verbose_name_plural = "toekenningen"
        constraints = [
            models.UniqueConstraint(fields=["run", "municipality", "component", "year"], name="unique_allocation"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="allocation_not_negative"),
        ]
