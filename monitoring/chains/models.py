"""Ketenaanpak states per gemeente (append-only) and valpreventie figures per gemeente per year."""

from decimal import Decimal, ROUND_DOWN, ROUND_HALF_UP

from django.conf import settings
from django.db import models
from django.db.models import Q

from spukportal import bounds


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
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"),
                                                            rounding=ROUND_DOWN if down else ROUND_HALF_UP)
