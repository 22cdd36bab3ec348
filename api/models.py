"""API tokens: one per organisation's system (a gemeente's finance system, the ministry's), made by the beheer.

Only a SHA-256 hash of the token is stored; the token itself is shown once, when it is made. A token has a
scope: one gemeente (it reads what that gemeente's officers read) or the ministry (the national view).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        MUNICIPALITY = "gemeente", "Gemeente"
        MINISTRY = "ministerie", "Ministerie (landelijk)"

    name = models.CharField("naam", max_length=150, help_text="Bijvoorbeeld: financieel systeem gemeente Almere.")
    scope = models.CharField("bereik", max_length=20, choices=Scope.choices)
    municipality = models.ForeignKey("regions.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="gemeente")
    prefix = models.CharField("begin van de token", max_length=12, editable=False)
    key_hash = models.CharField("SHA-256 van de token", max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="aangemaakt door", editable=False)
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    revoked_at = models.DateTimeField("ingetrokken op", null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="ingetrokken door", editable=False)
    last_used_at = models.DateTimeField("laatst gebruikt op", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "API-token"
        verbose_name_plural = "API-tokens"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(scope="gemeente", municipality__isnull=False)
                           | Q(scope="ministerie", municipality__isnull=True)),
                name="api_token_scope_matches_municipality"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None
