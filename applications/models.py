"""Aanvragen (applications): periods, applications, chosen components and amounts,
plan sections, attachments and frozen versions."""

import datetime
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from budgets.models import DEFAULT_REGULATION, Regulation
from spukportal import bounds
from spukportal.models import BackgroundJob, FileJob, JobStatus

from . import rules
from .regulations import ApplicantKind, definition
from .intake.flow import STATE_CHOICES, STATES, ApplicationState


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


# --- review by the kerngroep ---------------------------------------------------------------------------

class Verdict(models.TextChoices):
    MEETS = "voldoet", "Voldoet"
    PARTLY = "voldoet_deels", "Voldoet deels"
    FAILS = "voldoet_niet", "Voldoet niet"


class Advice(models.TextChoices):
    POSITIVE = "positief", "Positief"
    NEGATIVE = "negatief", "Negatief"


class Assessment(models.Model):
    """The kerngroep's assessment of one submitted version: a verdict per required element and an overall
    advice, written by the first reviewer and final only when the second reviewer agrees."""

    class Status(models.TextChoices):
        DRAFT = "concept", "In bewerking (eerste beoordelaar)"
        PROPOSED = "ter_controle", "Ter controle bij de tweede beoordelaar"
        RETURNED = "teruggestuurd", "Teruggestuurd door de tweede beoordelaar"
        FINAL = "definitief", "Definitief advies"
        CLOSED = "afgesloten", "Afgesloten (aanvulling gevraagd)"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assessments",
                                    verbose_name="aanvraag")
    version = models.ForeignKey(ApplicationVersion, on_delete=models.PROTECT, related_name="assessments",
                                verbose_name="beoordeelde versie")
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.DRAFT)
    advice = models.CharField("advies", max_length=10, choices=Advice.choices, blank=True)
    reasons = models.TextField("motivering van het advies", blank=True, max_length=bounds.MAX_NOTE_CHARS)
    second_comment = models.TextField("opmerking tweede beoordelaar", blank=True, max_length=bounds.MAX_NOTE_CHARS)
    edit_version = models.PositiveIntegerField("bewerkingsversie", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="eerste beoordelaar")
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True)
    finalized_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="akkoord tweede beoordelaar")
    finalized_at = models.DateTimeField("definitief op", null=True, blank=True)

    class Meta:
        verbose_name = "beoordeling"
        verbose_name_plural = "beoordelingen"
        ordering = ["application", "-version__number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "version"], name="one_assessment_per_version"),
        ]


class AssessmentItem(models.Model):
    """The verdict on one required element (a GALA 4A element, a component, an IZA part)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="items",
                                   verbose_name="beoordeling")
    key = models.CharField("element", max_length=60)
    label = models.CharField("omschrijving", max_length=300)
    position = models.PositiveSmallIntegerField("volgorde", default=0)
    verdict = models.CharField("oordeel", max_length=20, choices=Verdict.choices, blank=True)
    comment = models.TextField("toelichting", blank=True, max_length=bounds.MAX_NOTE_CHARS)

    class Meta:
        verbose_name = "beoordelingspunt"
        verbose_name_plural = "beoordelingspunten"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key"], name="one_item_per_element"),
        ]


class AdditionRequest(models.Model):
    """Aanvulling gevraagd: the points the gemeente is asked to answer, on the version that was assessed."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="addition_requests",
                                    verbose_name="aanvraag")
    version = models.ForeignKey(ApplicationVersion, on_delete=models.PROTECT, related_name="+",
                                verbose_name="beoordeelde versie")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="gevraagd door")
    requested_at = models.DateTimeField("gevraagd op", auto_now_add=True)
    answered_at = models.DateTimeField("beantwoord op (opnieuw ingediend)", null=True, blank=True)

    class Meta:
        verbose_name = "verzoek om aanvulling"
        verbose_name_plural = "verzoeken om aanvulling"
        ordering = ["-requested_at", "-id"]


class AdditionPoint(models.Model):
    request = models.ForeignKey(AdditionRequest, on_delete=models.CASCADE, related_name="points",
                                verbose_name="verzoek")
    position = models.PositiveSmallIntegerField("volgorde")
    text = models.TextField("punt", max_length=bounds.MAX_NOTE_CHARS)
    answer = models.TextField("antwoord van de gemeente", blank=True, max_length=bounds.MAX_NOTE_CHARS)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="beantwoord door")
    answered_at = models.DateTimeField("beantwoord op", null=True, blank=True)

    class Meta:
        verbose_name = "punt van aanvulling"
        verbose_name_plural = "punten van aanvulling"
        ordering = ["position", "id"]


class Comment(models.Model):
    """A remark on an application: internal (kerngroep and ministry only) or to the applicant."""

    class Audience(models.TextChoices):
        INTERNAL = "intern", "Intern (kerngroep en ministerie)"
        APPLICANT = "aanvrager", "Aan de gemeente"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="comments",
                                    verbose_name="aanvraag")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name="auteur")
    audience = models.CharField("zichtbaar voor", max_length=20, choices=Audience.choices)
    text = models.TextField("opmerking", max_length=bounds.MAX_NOTE_CHARS)
    created_at = models.DateTimeField("geplaatst op", auto_now_add=True)

    class Meta:
        verbose_name = "opmerking"
        verbose_name_plural = "opmerkingen"
        ordering = ["created_at", "id"]


# --- decisions by the ministry ------------------------------------------------------------------------

class DecisionBatch(BackgroundJob):
    """One job that makes the decisions (and their letters) for many applications with a final positive
    advice. Re-running it finishes the same decisions: never a second decision or reference number."""

    # Done in parts (one task each), so the batch as a whole may rightly take longer than one task may: a batch
    # that stands still gets a restart button (decision_services.batch_restartable), it is not failed by the sweep.
    swept_when_stale = False

    applications = models.ManyToManyField(Application, related_name="+", verbose_name="aanvragen")
    decided_on = models.DateField("datum beschikking", validators=[bounds.validate_date])
    total = models.PositiveIntegerField("aantal", default=0)
    done = models.PositiveIntegerField("gereed", default=0)
    # The job runs in parts (tasks), each possibly delivered twice: what failed, per application (pk → reason).
    failures = models.JSONField("mislukt per aanvraag", default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="gestart door")
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    # The last sign of life of any of its parts (each application done, each part started or finished). A running
    # batch that has not reported for settings.DECISION_BATCH_SILENT_SECONDS is shown as standing still, with the
    # restart button: a killed worker's part would otherwise only come back when Redis delivers it again.
    reported_at = models.DateTimeField("laatste voortgang", null=True, blank=True)

    @property
    def is_silent(self):
        from django.utils import timezone

        last = self.reported_at or self.started_at
        silence = datetime.timedelta(seconds=settings.DECISION_BATCH_SILENT_SECONDS)
        return self.status == JobStatus.RUNNING and last is not None and last < timezone.now() - silence

    class Meta:
        verbose_name = "reeks beschikkingen"
        verbose_name_plural = "reeksen beschikkingen"
        ordering = ["-created_at", "-id"]


class GrantDecision(models.Model):
    """De beschikking: the ministry grants (amounts per component or IZA line per year, within the
    allocation, with the advance payments) or rejects (with reasons and the objection clause). One per
    application (database-level). Its letter is a PDF made by a background job (`letter`, a DecisionLetter)."""

    class Outcome(models.TextChoices):
        GRANTED = "toegekend", "Toegekend"
        REJECTED = "afgewezen", "Afgewezen"

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="decision",
                                       verbose_name="aanvraag")
    outcome = models.CharField("besluit", max_length=20, choices=Outcome.choices)
    reference = models.CharField("kenmerk", max_length=40, unique=True)
    decided_on = models.DateField("datum beschikking", validators=[bounds.validate_date])
    reasons = models.TextField("motivering", blank=True, max_length=bounds.MAX_NOTE_CHARS)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="besloten door")
    batch = models.ForeignKey(DecisionBatch, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="decisions", verbose_name="reeks")
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    class Meta:
        verbose_name = "beschikking"
        verbose_name_plural = "beschikkingen"
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return f"Beschikking {self.reference}"

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines.all())


class DecisionLetter(FileJob):
    """The job that renders a decision's letter (a tagged PDF, stored privately): swept when it stands still,
    restarted by the ministry ("Opnieuw proberen")."""

    decision = models.OneToOneField(GrantDecision, on_delete=models.CASCADE, related_name="letter",
                                    verbose_name="beschikking")

    class Meta:
        verbose_name = "brief bij een beschikking"
        verbose_name_plural = "brieven bij beschikkingen"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Brief {self.decision.reference}"


class GrantDecisionLine(models.Model):
    """A granted amount: per component (brede SPUK) or per budget line (IZA), per year."""

    decision = models.ForeignKey(GrantDecision, on_delete=models.CASCADE, related_name="lines",
                                 verbose_name="beschikking")
    position = models.PositiveSmallIntegerField("volgorde")
    label = models.CharField("omschrijving", max_length=300)
    component = models.ForeignKey("budgets.Component", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="onderdeel")
    plan_line = models.ForeignKey(PlanLine, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name="begrotingsregel")
    municipality = models.ForeignKey("regions.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="gemeente (lokale inzet)")
    year = models.PositiveSmallIntegerField("jaar", validators=[bounds.validate_year])
    amount = models.BigIntegerField("toegekend bedrag (EUR)", validators=[bounds.validate_amount])

    class Meta:
        verbose_name = "toegekend bedrag"
        verbose_name_plural = "toegekende bedragen"
        ordering = ["position", "year", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(amount__lte=bounds.MAX_AMOUNT_EUR),
                                   name="decision_line_amount_bounded"),
        ]


class AdvancePayment(models.Model):
    """Voorschot: when which part of the granted amount is paid."""

    decision = models.ForeignKey(GrantDecision, on_delete=models.CASCADE, related_name="payments",
                                 verbose_name="beschikking")
    due_on = models.DateField("betaaldatum", validators=[bounds.validate_date])
    year = models.PositiveSmallIntegerField("jaar", null=True, blank=True, validators=[bounds.validate_year])
    amount = models.BigIntegerField("bedrag (EUR)", validators=[bounds.validate_amount])
    # Paid: marked by ministry staff ("Markeer als betaald"); the ledger books it as ADVANCE_PAID.
    paid_on = models.DateField("betaald op", null=True, blank=True, validators=[bounds.validate_date])
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name="als betaald gemarkeerd door")

    class Meta:
        verbose_name = "voorschot"
        verbose_name_plural = "voorschotten"
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(amount__lte=bounds.MAX_AMOUNT_EUR),
                                   name="advance_payment_amount_bounded"),
        ]

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None


def effective_closing_date(period: ApplicationPeriod, municipality) -> datetime.date:
    """The last day this gemeente may submit in the period: the period's closing date or its extension."""
    ext = PeriodExtension.objects.filter(period=period, municipality=municipality).first()
    return ext.closes_on if ext else period.closes_on


# The amendments' models (applications/amendments/models.py) belong to this app: imported here so Django finds them.
from .amendments.models import (AmendedDecision, AmendedDecisionLetter, AmendedDecisionLine,  # noqa: E402,F401
                                AmendmentBatch, ChangeRequest)
