"""The ledger entry: append-only (save refuses a change, delete and queryset update/delete refuse, the admin
is read-only and a PostgreSQL trigger refuses UPDATE and DELETE). A correction is a new entry with
`reverses`."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from . import sources


class LedgerEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Ledger entries are append-only.")

    def delete(self):
        raise TypeError("Ledger entries are append-only.")


class LedgerEntry(models.Model):
    class Kind(models.TextChoices):
        GRANTED = "granted", "Toegekend"
        ADVANCE_SCHEDULED = "advance_scheduled", "Voorschot gepland"
        ADVANCE_PAID = "advance_paid", "Voorschot betaald"
        SPENT = "spent", "Besteed"
        CARRIED_OVER = "carried_over", "Overgeheveld"
        DETERMINED = "determined", "Vastgesteld"
        RECLAIMED = "reclaimed", "Teruggevorderd"

    municipality = models.ForeignKey("regions.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="gemeente")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name="IZA-regio")
    regulation = models.CharField("regeling", max_length=20)
    year = models.PositiveSmallIntegerField("jaar")
    line = models.CharField("begrotingsregel", max_length=20, blank=True,
                            help_text="Het onderdeel (id) in jaren met een regel per onderdeel, anders leeg.")
    kind = models.CharField("soort", max_length=20, choices=Kind.choices)
    amount = models.BigIntegerField("bedrag (EUR)")
    booked_on = models.DateField("boekdatum")
    source_kind = models.CharField("bron", max_length=30, choices=sources.CHOICES)
    source_id = models.PositiveBigIntegerField("bron-id")
    reverses = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="reversals", verbose_name="draait terug")
    note = models.TextField("toelichting", blank=True)
    created_at = models.DateTimeField("geboekt op", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="geboekt door")

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        app_label = "budgets"
        verbose_name = "boeking"
        verbose_name_plural = "grootboek"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(municipality__isnull=False, region__isnull=True)
                           | Q(municipality__isnull=True, region__isnull=False)),
                name="ledger_entry_one_recipient"),
        ]
        indexes = [
            models.Index(fields=["municipality", "regulation", "year"], name="ledger_municipality_idx"),
            models.Index(fields=["region", "regulation", "year"], name="ledger_region_idx"),
            models.Index(fields=["source_kind", "source_id"], name="ledger_source_idx"),
            models.Index(fields=["regulation", "year", "kind"], name="ledger_totals_idx"),
        ]

    def __str__(self):
        return (f"{self.get_kind_display()} {self.year} {self.amount} "
                f"({sources.label(self.source_kind)} {self.source_id})")

    @property
    def recipient(self):
        return self.municipality or self.region

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Ledger entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Ledger entries are append-only.")
