"""Gemeenten, their statistics per reference year, IZA-regio's, membership over time, mandate holders."""

from django.core.validators import RegexValidator
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

CBS_CODE_REGEX = r"^GM[0-9]{4}$"
cbs_code_validator = RegexValidator(CBS_CODE_REGEX, "Een CBS-code is 'GM' gevolgd door vier cijfers, bijv. GM0034.")

KVK_NUMBER_REGEX = r"^[0-9]{8}$"
OIN_REGEX = r"^[0-9]{20}$"
kvk_number_validator = RegexValidator(KVK_NUMBER_REGEX, "Een KVK-nummer bestaat uit 8 cijfers.")
POSTAL_CODE_REGEX = r"^[1-9][0-9]{3} [A-Z]{2}$"
postal_code_validator = RegexValidator(POSTAL_CODE_REGEX, "Een postcode is vier cijfers, een spatie en twee "
                                                          "hoofdletters, bijv. 1300 AE.")
oin_validator = RegexValidator(OIN_REGEX, "Een OIN bestaat uit 20 cijfers (voor een gemeente: 00000001, het RSIN "
                                          "en 000).")

PROVINCES = [
    "Drenthe", "Flevoland", "Friesland", "Gelderland", "Groningen", "Limburg", "Noord-Brabant",
    "Noord-Holland", "Overijssel", "Utrecht", "Zeeland", "Zuid-Holland",
]


class Municipality(models.Model):
    cbs_code = models.CharField("CBS-code", max_length=6, unique=True, validators=[cbs_code_validator])
    name = models.CharField("naam", max_length=100)
    province = models.CharField("provincie", max_length=50, choices=[(p, p) for p in PROVINCES])
    # Who the gemeente is to eHerkenning (spukportal/eherkenning.py): the broker names the organisation an officer
    # acts for by its KVK-nummer or its RSIN (part of the OIN). Set by the beheer; empty = no eHerkenning login.
    kvk_number = models.CharField("KVK-nummer", max_length=8, blank=True, default="",
                                  validators=[kvk_number_validator])
    oin = models.CharField("OIN", max_length=20, blank=True, default="", validators=[oin_validator],
                           help_text="Organisatie-identificatienummer uit het COR (00000001 + RSIN + 000).")
    eherkenning_creates_accounts = models.BooleanField(
        "accounts aanmaken via eHerkenning", default=False,
        help_text="Een medewerker die voor deze gemeente met eHerkenning inlogt en nog geen account heeft, krijgt "
                  "er een met de rol gemeentelijk medewerker (vastgelegd in de audittrail). Uit: alleen bestaande, "
                  "gekoppelde accounts.")
    # Where letters (the decision letter) are sent: the gemeente's postal address, set by the beheer or the
    # ministry (regions/forms.py MunicipalityAddressForm). Empty = the letter names the college only.
    postal_address = models.CharField("postadres", max_length=100, blank=True, default="",
                                      help_text="Straat en huisnummer of postbus, bijv. Postbus 200.")
    postal_code = models.CharField("postcode", max_length=7, blank=True, default="",
                                   validators=[postal_code_validator], help_text="Bijv. 1300 AE.")
    postal_city = models.CharField("plaats", max_length=80, blank=True, default="",
                                   help_text="In hoofdletters zoals PostNL het vraagt, bijv. ALMERE.")

    class Meta:
        verbose_name = "gemeente"
        verbose_name_plural = "gemeenten"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(cbs_code__regex=CBS_CODE_REGEX), name="municipality_cbs_code_format"),
            models.UniqueConstraint(fields=["kvk_number"], condition=~Q(kvk_number=""),
                                    name="unique_municipality_kvk_number"),
            models.UniqueConstraint(fields=["oin"], condition=~Q(oin=""), name="unique_municipality_oin"),
        ]

    def clean(self):
        from django.core.exceptions import ValidationError

        parts = {"postal_address": self.postal_address, "postal_code": self.postal_code,
                 "postal_city": self.postal_city}
        if any(parts.values()) and not all(parts.values()):
            raise ValidationError({name: "Vul het postadres helemaal in (adres, postcode en plaats) of laat het "
                                         "helemaal leeg." for name, value in parts.items() if not value})

    @property
    def postal_lines(self) -> list[str]:
        """The postal address as the lines under the addressee's name ([] when not set)."""
        if not self.postal_address:
            return []
        return [self.postal_address, f"{self.postal_code}  {self.postal_city}".strip()]

    @property
    def rsin(self) -> str:
        """The RSIN inside a gemeente's OIN (00000001 + RSIN + 000), or ""."""
        if len(self.oin) == 20 and self.oin.startswith("00000001") and self.oin.endswith("000"):
            return self.oin[8:17]
        return ""

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("regions:municipality_detail", args=[self.cbs_code])


class MunicipalityStatistics(models.Model):
    """CBS figures of one gemeente for one reference year (peiljaar), each with its source."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="statistics",
                                     verbose_name="gemeente")
    reference_year = models.PositiveSmallIntegerField("peiljaar")
    population = models.PositiveIntegerField("inwoners")
    population_health_disadvantage = models.PositiveIntegerField("inwoners met gezondheidsachterstand")
    source_population = models.CharField("bron inwoners", max_length=255)
    source_health_disadvantage = models.CharField("bron gezondheidsachterstand", max_length=255)

    class Meta:
        verbose_name = "statistiek"
        verbose_name_plural = "statistieken"
        ordering = ["municipality__name", "-reference_year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "reference_year"], name="unique_statistics_per_year"),
            models.CheckConstraint(
                condition=Q(population_health_disadvantage__lte=models.F("population")),
                name="disadvantage_not_above_population",
            ),
        ]

    def __str__(self):
        return f"{self.municipality} ({self.reference_year})"


class Region(models.Model):
    """An IZA-regio (samenwerkingsregio) of the SPUK IZA."""

    name = models.CharField("naam", max_length=100, unique=True)
    slug = models.SlugField("korte naam", max_length=100, unique=True)

    class Meta:
        verbose_name = "IZA-regio"
        verbose_name_plural = "IZA-regio's"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("regions:region_detail", args=[self.slug])


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, date=None):
        date = date or timezone.localdate()
        return self.filter(valid_from__lte=date).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=date))


class RegionMembership(models.Model):
    """Gemeente M belongs to region R from `valid_from` until `valid_until` (inclusive; empty = still)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="memberships", verbose_name="regio")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="memberships",
                                     verbose_name="gemeente")
    valid_from = models.DateField("geldig vanaf")
    valid_until = models.DateField("geldig tot en met", null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = "lidmaatschap"
        verbose_name_plural = "lidmaatschappen"
        ordering = ["region__name", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "valid_from"], name="unique_membership_start"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="membership_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.municipality} in {self.region}"


class MandateHolder(models.Model):
    """Who applies for the SPUK IZA on behalf of a region: a member gemeente, or a public body
    (e.g. SamenTwente), with the signing official and the date it was made known."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="mandate_holders",
                               verbose_name="regio")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="mandates",
        verbose_name="mandaatgemeente",
    )
    organisation_name = models.CharField(
        "openbaar lichaam", max_length=150, blank=True,
        help_text="Alleen invullen als de mandaathouder geen gemeente is (bijv. SamenTwente).",
    )
    signatory_name = models.CharField("naam ondertekenaar", max_length=150, blank=True)
    signatory_role = models.CharField("functie ondertekenaar", max_length=100, blank=True)
    announced_on = models.DateField("bekendgemaakt op")
    source = models.CharField("bron", max_length=255, blank=True)
    valid_from = models.DateField("mandaathouder vanaf")
    valid_until = models.DateField("mandaathouder tot en met", null=True, blank=True)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="mandates_acted_for",
        verbose_name="medewerkers namens het openbaar lichaam",
        help_text="Alleen voor een mandaathouder die geen gemeente is: wie namens het openbaar lichaam de "
                  "IZA-aanvraag van de regio doet.")

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = "mandaathouder"
        verbose_name_plural = "mandaathouders"
        ordering = ["region__name", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(municipality__isnull=False) & Q(organisation_name=""))
                | (Q(municipality__isnull=True) & ~Q(organisation_name="")),
                name="mandate_holder_is_municipality_xor_body",
            ),
            models.UniqueConstraint(fields=["region", "valid_from"], name="unique_mandate_start"),
            models.UniqueConstraint(
                fields=["region"], condition=Q(valid_until__isnull=True), name="one_open_mandate_per_region"
            ),
        ]

    def __str__(self):
        return self.holder_name

    @property
    def holder_name(self):
        return self.municipality.name if self.municipality_id else self.organisation_name

    @property
    def is_municipality(self):
        return self.municipality_id is not None
