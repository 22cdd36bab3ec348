"""The kerngroep's review: assessments and their items, requests for additions and comments."""

from django.conf import settings
from django.db import models

from spukportal import bounds

from ..intake.models import Application, ApplicationVersion


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
