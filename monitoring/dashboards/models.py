"""Export jobs of the dashboards (large downloads made by a background job)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from spukportal.models import BackgroundJob


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
