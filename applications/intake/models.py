"""Aanvragen (applications): periods, applications, chosen components and amounts, plan sections,
attachments, frozen versions, plan lines and mandate declarations."""

import datetime
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from budgets.models import DEFAULT_REGULATION, Regulation
from spukportal import bounds
from spukportal.prepared import PreparedQuery

from .. import rules
from ..regulations import ApplicantKind, definition
from .flow import ApplicationState, STATES, STATE_CHOICES


# Who signs for a gemeente: the application and a mandate declaration.
SIGNATORY_ROLES = [("wethouder", "Wethouder"), ("burgemeester", "Burgemeester")]


class ApplicationPeriod(models.Model):
    """A period in which gemeenten may apply, set by ministry staff."""

    name = models.CharField("naam", max_length=100)
    regulation = models.CharField("regeling", max_length=20, choices=Regulation.choices,
                                  default=DEFAULT_REGULATION)
    first_year = models.PositiveSmallIntegerField("eerste jaar", validators=[bounds.validate_year])
    last_year = models.PositiveSmallIntegerField("laatste jaar", validators=[bounds.validate_year])
    opens_on = models.DateField("opent op", validators=[bounds.validate_date])
    closes_on = models.DateField("sluit op", help_text="Tot en met deze dag kan worden ingediend.",
                                 validators=[bounds.validate_date])
    plan_required = models.BooleanField(
        "plan van aanpak verplicht", default=True,
        help_text="Uit: een eenvoudige aanvraag ‘op hoofdlijnen’ (zoals in 2023).")
    allocation_run = models.ForeignKey(
        "budgets.AllocationRun", on_delete=models.PROTECT, null=True, blank=True, related_name="application_periods",
        verbose_name="verdeelberekening",
        help_text="De bedragen van deze berekening zijn het maximum dat een gemeente per onderdeel en jaar kan "
                  "aanvragen.")
    review_weeks = models.PositiveSmallIntegerField(
        "beoordelingstermijn (weken)", default=8, validators=[bounds.validate_review_weeks],
        help_text="Zoveel weken na (her)indiening moet de kerngroep een advies hebben gegeven.")
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    class Meta:
        verbose_name = "aanvraagperiode"
        verbose_name_plural = "aanvraagperiodes"
        ordering = ["-first_year", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(last_year__gte=models.F("first_year")), name="period_years_in_order"),
            models.CheckConstraint(
                condition=Q(first_year__gte=bounds.MIN_YEAR) & Q(last_year__lte=bounds.MAX_YEAR)
                & Q(last_year__lt=models.F("first_year") + bounds.MAX_PERIOD_YEARS),
                name="period_years_within_bounds"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="period_dates_in_order"),
            models.UniqueConstraint(fields=["regulation", "name"], name="unique_period_name"),
        ]

    def __str__(self):
        return self.name

    @property
    def definition(self):
        """What differs per regulation (applications.regulations)."""
        return definition(self.regulation)

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def full_name(self) -> str:
        """The period's name with its regulation before it ("Brede SPUK 2024–2026"), unless the name already
        starts with it ("SPUK IZA 2023–2026 (uitwerking)"): the name is free text that the ministry writes."""
        label = self.definition.label
        return self.name if self.name.casefold().startswith(label.casefold()) else f"{label} {self.name}"

    def clean(self):
        """The linked run must fit the period (applications.rules.allocation_run_problems): checked by the
        period form and by `services.period_save` alike."""
        problems = rules.allocation_run_problems(regulation=self.regulation, first_year=self.first_year,
                                                 last_year=self.last_year, run=self.allocation_run,
                                                 in_sentence=lambda code: definition(code).name_in_sentence,
                                                 opens_on=self.opens_on, today=timezone.localdate())
        if problems:
            raise ValidationError({"allocation_run": problems})


class PeriodExtension(models.Model):
    """Uitstel: one gemeente may submit later than the period's closing date."""

    period = models.ForeignKey(ApplicationPeriod, on_delete=models.CASCADE, related_name="extensions",
                               verbose_name="aanvraagperiode")
    municipality = models.ForeignKey("regions.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name="gemeente")
    closes_on = models.DateField("nieuwe sluitingsdatum")
    reason = models.TextField("reden")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="verleend door")
    granted_at = models.DateTimeField("verleend op", auto_now_add=True)

    class Meta:
        verbose_name = "uitstel"
        verbose_name_plural = "uitstel"
        constraints = [
            models.UniqueConstraint(fields=["period", "municipality"], name="unique_extension_per_municipality"),
        ]

    def __str__(self):
        return f"Uitstel {self.municipality} tot {self.closes_on}"


class Application(models.Model):
    """An application by its applicant (see `applicant`): a gemeente (brede SPUK) or an IZA-regio acting
    through its mandate holder (SPUK IZA)."""

    municipality = models.ForeignKey("regions.Municipality", on_delete=models.PROTECT, related_name="applications",
                                     verbose_name="gemeente", null=True, blank=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="applications",
                               verbose_name="IZA-regio", null=True, blank=True)
    period = models.ForeignKey(ApplicationPeriod, on_delete=models.PROTECT, related_name="applications",
                               verbose_name="aanvraagperiode")
    regulation = models.CharField("regeling", max_length=20, choices=Regulation.choices,
                                  default=DEFAULT_REGULATION)
    # Who applies, from the regulation's definition when the application is made: a gemeente or a region.
    applicant_kind = models.CharField("soort aanvrager", max_length=10, choices=ApplicantKind.CHOICES,
                                      default=ApplicantKind.MUNICIPALITY)
    state = models.CharField("status", max_length=30, choices=STATE_CHOICES, default=ApplicationState.CONCEPT, db_index=True)
    # Optimistic lock of the "onderdelen en bedragen" and "ondertekening" forms.
    edit_version = models.PositiveIntegerField("bewerkingsversie", default=1)
    signatory_name = models.CharField("naam ondertekenaar", max_length=200, blank=True)
    signatory_role = models.CharField("functie ondertekenaar", max_length=20, blank=True,
                                      choices=SIGNATORY_ROLES)
    signed_on = models.DateField("datum ondertekening", null=True, blank=True, validators=[bounds.validate_date])
    monitoring_consent = models.BooleanField(
        "toestemming landelijke monitoring", default=False,
        help_text="De gemeente stemt ermee in dat de informatie uit deze aanvraag wordt gebruikt voor de "
                  "landelijke monitoring van het GALA.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="aangemaakt door")
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True)
    submitted_at = models.DateTimeField("laatst ingediend op", null=True, blank=True)
    # Given at the first submission, kept for good (the receipt and every letter name it).
    reference = models.CharField("kenmerk", max_length=40, blank=True)
    # The kerngroep's four eyes: never the same person (check constraint); taken under the row lock.
    first_reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name="eerste beoordelaar")
    second_reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name="tweede beoordelaar")
    review_due_on = models.DateField("advies uiterlijk op", null=True, blank=True, db_index=True)
    continues = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="continuations",
        verbose_name="vervolg van",
        help_text="De aanvraag (met voorlopige toekenning) die deze aanvraag completeert (SPUK IZA: de aanvraag op "
                  "hoofdlijnen).")

    class Meta:
        verbose_name = "aanvraag"
        verbose_name_plural = "aanvragen"
        ordering = ["municipality__name"]
        constraints = [
            # A withdrawn application does not block a new one in the same period (it stays readable).
            models.UniqueConstraint(fields=["municipality", "period"], condition=~Q(state=ApplicationState.INGETROKKEN),
                                    name="one_application_per_period"),
            models.UniqueConstraint(fields=["region", "period"], condition=~Q(state=ApplicationState.INGETROKKEN),
                                    name="one_region_application_per_period"),
            models.UniqueConstraint(fields=["reference"], condition=~Q(reference=""), name="unique_application_reference"),
            models.UniqueConstraint(fields=["continues"], condition=~Q(state=ApplicationState.INGETROKKEN),
                                    name="one_live_continuation"),
            models.CheckConstraint(condition=~Q(first_reviewer=models.F("second_reviewer")),
                                   name="four_eyes_two_reviewers"),
            models.CheckConstraint(
                condition=(Q(applicant_kind=ApplicantKind.MUNICIPALITY) & Q(municipality__isnull=False)
                           & Q(region__isnull=True))
                | (Q(applicant_kind=ApplicantKind.REGION) & Q(region__isnull=False) & Q(municipality__isnull=True)),
                name="applicant_fits_kind"),
        ]

    def __str__(self):
        return f"Aanvraag {self.period} – {self.applicant.name}"

    @property
    def state_info(self):
        return STATES[self.state]

    @property
    def definition(self):
        """What differs per regulation (applications.regulations)."""
        return definition(self.regulation)

    @cached_property
    def applicant(self):
        """Who applies and who may act for it (applications.applicants); made once per instance, so its
        mandate holder and members are looked up once per request."""
        return self.definition.applicant_of(self)

    @cached_property
    def closes_on(self) -> datetime.date:
        """The last day this application may be submitted: its period's closing date or the extension (uitstel)
        of its gemeente (`effective_closing_date`). The header of every page of the application shows it."""
        return effective_closing_date(self.period, self.applicant.extension_municipality)


class ApplicationComponent(models.Model):
    """The gemeente's choice for one component: applied for (with amounts per year) or not (with a reason)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="components",
                                    verbose_name="aanvraag")
    component = models.ForeignKey("budgets.Component", on_delete=models.PROTECT, related_name="+",
                                  verbose_name="onderdeel")
    applied = models.BooleanField("aangevraagd", default=False)
    reason_not_applied = models.TextField("reden niet aangevraagd", blank=True)

    class Meta:
        verbose_name = "gekozen onderdeel"
        verbose_name_plural = "gekozen onderdelen"
        ordering = ["component__number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "component"], name="one_choice_per_component"),
        ]


class RequestedAmount(models.Model):
    choice = models.ForeignKey(ApplicationComponent, on_delete=models.CASCADE, related_name="amounts",
                               verbose_name="onderdeel")
    year = models.PositiveSmallIntegerField("jaar")
    amount = models.BigIntegerField("bedrag (EUR)", validators=[bounds.validate_amount])

    class Meta:
        verbose_name = "aangevraagd bedrag"
        verbose_name_plural = "aangevraagde bedragen"
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["choice", "year"], name="one_amount_per_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="requested_amount_not_negative"),
            models.CheckConstraint(condition=Q(amount__lte=bounds.MAX_AMOUNT_EUR), name="requested_amount_bounded"),
        ]


class PlanSection(models.Model):
    """One section of the plan van aanpak, with its own version number (optimistic locking)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="sections",
                                    verbose_name="aanvraag")
    key = models.CharField("onderdeel", max_length=50)
    text = models.TextField("tekst", blank=True, validators=[bounds.validate_plan_text])
    version = models.PositiveIntegerField("versie", default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                                   verbose_name="gewijzigd door")
    updated_at = models.DateTimeField("gewijzigd op", null=True)

    class Meta:
        verbose_name = "onderdeel plan van aanpak"
        verbose_name_plural = "onderdelen plan van aanpak"
        constraints = [
            models.UniqueConstraint(fields=["application", "key"], name="one_section_per_key"),
        ]


class StoredPdf(models.Model):
    """A PDF kept in private storage under a generated name, with what the user called it and its hash."""

    stored_name = models.CharField("opgeslagen als", max_length=200, unique=True)
    original_name = models.CharField("bestandsnaam", max_length=200)
    size = models.PositiveIntegerField("grootte (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        abstract = True


class Attachment(StoredPdf):
    class Kind(models.TextChoices):
        SIGNED = "ondertekend", "Ondertekende aanvraag"
        APPENDIX = "bijlage", "Bijlage"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments",
                                    verbose_name="aanvraag")
    kind = models.CharField("soort", max_length=20, choices=Kind.choices)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="toegevoegd door")
    uploaded_at = models.DateTimeField("toegevoegd op", auto_now_add=True)
    # Part of a submitted version: never deleted, only taken out of the current draft.
    frozen = models.BooleanField("ingediend", default=False)
    removed_at = models.DateTimeField("verwijderd uit concept op", null=True, blank=True)

    class Meta:
        verbose_name = "bijlage"
        verbose_name_plural = "bijlagen"
        ordering = ["kind", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class ApplicationVersion(models.Model):
    """What was submitted, frozen: a numbered snapshot (JSON) of the whole application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions",
                                    verbose_name="aanvraag")
    number = models.PositiveIntegerField("versie")
    snapshot = models.JSONField("inhoud")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="ingediend door")
    submitted_at = models.DateTimeField("ingediend op")

    class Meta:
        verbose_name = "ingediende versie"
        verbose_name_plural = "ingediende versies"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="unique_version_number"),
        ]

    def __str__(self):
        return f"Versie {self.number}"


class PlanLine(models.Model):
    """SPUK IZA: one budget line of the plan van aanpak — a part of the regioplan with the municipal effort
    and its amount in one year, regional or local (then for which member gemeente), and whether it touches
    a brede SPUK component (then why it is no double funding)."""

    class Scope(models.TextChoices):
        REGIONAL = "regionaal", "Regionaal"
        LOCAL = "lokaal", "Lokaal"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="plan_lines",
                                    verbose_name="aanvraag")
    position = models.PositiveSmallIntegerField("volgorde")
    activity = models.CharField("onderdeel van het regioplan / activiteit", max_length=200)
    scope = models.CharField("regionaal of lokaal", max_length=10, choices=Scope.choices)
    municipality = models.ForeignKey("regions.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="gemeente (bij lokaal)")
    year = models.PositiveSmallIntegerField("jaar")
    amount = models.BigIntegerField("bedrag (EUR)", validators=[bounds.validate_amount])
    brede_component = models.ForeignKey("budgets.Component", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name="raakt onderdeel brede SPUK")
    double_funding_note = models.TextField("waarom geen dubbele financiering", blank=True,
                                           max_length=bounds.MAX_NOTE_CHARS)

    class Meta:
        verbose_name = "begrotingsregel IZA"
        verbose_name_plural = "begrotingsregels IZA"
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(amount__lte=bounds.MAX_AMOUNT_EUR),
                                   name="plan_line_amount_bounded"),
            models.CheckConstraint(
                condition=(Q(scope="lokaal") & Q(municipality__isnull=False))
                | (Q(scope="regionaal") & Q(municipality__isnull=True)),
                name="plan_line_local_has_municipality"),
        ]


class MandateDeclaration(StoredPdf):
    """SPUK IZA: a member gemeente declares that the mandate holder applies on its behalf (signed PDF)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="declarations",
                                    verbose_name="aanvraag")
    municipality = models.ForeignKey("regions.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name="gemeente")
    signatory_name = models.CharField("naam ondertekenaar", max_length=200)
    signatory_role = models.CharField("functie ondertekenaar", max_length=20,
                                      choices=SIGNATORY_ROLES)
    signed_on = models.DateField("datum ondertekening", validators=[bounds.validate_date])
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="vastgelegd door")
    declared_at = models.DateTimeField("vastgelegd op", auto_now_add=True)
    withdrawn_at = models.DateTimeField("ingetrokken op", null=True, blank=True)

    class Meta:
        verbose_name = "mandaatverklaring"
        verbose_name_plural = "mandaatverklaringen"
        ordering = ["municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["application", "municipality"], condition=Q(withdrawn_at__isnull=True),
                                    name="one_declaration_per_municipality"),
        ]

    def __str__(self):
        return f"Mandaatverklaring {self.municipality}"


# On every page of an application (its closing date): SQL written once (spukportal/prepared.py).
_EXTENSION = PreparedQuery(lambda period, municipality: PeriodExtension.objects.filter(
    period=period, municipality=municipality).values_list("closes_on", flat=True)[:1])


def effective_closing_date(period: ApplicationPeriod, municipality) -> datetime.date:
    """The last day this gemeente may submit in the period: the period's closing date or its extension (an
    applicant without a gemeente has none)."""
    extended = _EXTENSION.run(period.pk, municipality.pk) if municipality is not None else []
    return extended[0] if extended else period.closes_on


_EXTENSIONS = PreparedQuery(lambda period_ids, municipality_ids: PeriodExtension.objects.filter(
    period_id__in=period_ids, municipality_id__in=municipality_ids).values_list("period_id", "municipality_id",
                                                                                "closes_on"))


def extended_closing_dates(period_ids, municipality_ids) -> dict:
    """{(period id, gemeente id): the extension's closing date} for these periods and gemeenten, in one query: for
    pages that need `effective_closing_date` of many pairs (`.get(pair, period.closes_on)`)."""
    return {(period_id, municipality_id): closes_on for period_id, municipality_id, closes_on in
            _EXTENSIONS.run(tuple(sorted(period_ids)), tuple(sorted(municipality_ids)))}
