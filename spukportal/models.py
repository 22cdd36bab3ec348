"""Shared infrastructure: roles (as data), the append-only audit trail and the fields every background job has."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class Role(models.Model):
    """A role a user can hold. The codes are fixed (permission functions refer to them); the rows are
    data, seeded by a migration and assigned in the admin."""

    OFFICER = "gemeente"
    REVIEWER = "kerngroep"
    MINISTRY = "ministerie"
    ADMINISTRATOR = "beheerder"
    REVIEW_CHAIR = "voorzitter"  # chairs the kerngroep: assigns reviewers (holds the kerngroep role as well)
    CODES = [
        (OFFICER, "Gemeentelijk medewerker"),
        (REVIEWER, "Beoordelaar kerngroep / VNG-ondersteuningsteam"),
        (REVIEW_CHAIR, "Voorzitter kerngroep"),
        (MINISTRY, "Medewerker ministerie (VWS / DUS-I)"),
        (ADMINISTRATOR, "Beheerder"),
    ]

    code = models.CharField("code", max_length=20, unique=True, choices=CODES)
    name = models.CharField("naam", max_length=100)
    description = models.TextField("omschrijving", blank=True)

    class Meta:
        verbose_name = "rol"
        verbose_name_plural = "rollen"
        ordering = ["name"]

    def __str__(self):
        return self.name


class RoleAssignment(models.Model):
    """User U holds role R (for an officer: on behalf of gemeente M)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments",
        verbose_name="gebruiker",
    )
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="assignments", verbose_name="rol")
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, blank=True,
        related_name="officer_assignments", verbose_name="gemeente",
        help_text="Verplicht voor de rol gemeentelijk medewerker, leeg voor de andere rollen.",
    )
    created_at = models.DateTimeField("toegekend op", auto_now_add=True)

    class Meta:
        verbose_name = "roltoekenning"
        verbose_name_plural = "roltoekenningen"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "municipality"], name="unique_role_assignment_with_municipality"
            ),
            models.UniqueConstraint(
                fields=["user", "role"], condition=models.Q(municipality__isnull=True),
                name="unique_role_assignment_without_municipality",
            ),
        ]

    def __str__(self):
        if self.municipality_id:
            return f"{self.user} – {self.role} ({self.municipality})"
        return f"{self.user} – {self.role}"


class Notification(models.Model):
    """A message for one user about something that concerns them (shown in the portal, and mailed after
    the transaction commits by a Celery task that retries; a failed mail never undoes what happened)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name="ontvanger")
    event = models.CharField("soort", max_length=60)
    subject = models.CharField("onderwerp", max_length=200)
    body = models.TextField("bericht")
    url = models.CharField("link", max_length=300, blank=True)
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("gelezen op", null=True, blank=True)
    mailed_at = models.DateTimeField("gemaild op", null=True, blank=True)
    mail_error = models.TextField("fout bij mailen", blank=True)

    class Meta:
        verbose_name = "melding"
        verbose_name_plural = "meldingen"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.subject


class EHerkenningIdentity(models.Model):
    """The person behind an eHerkenning login (the broker's pseudonym for them at this portal, the
    ActingSubjectID), acting for gemeente M, is portal user U. Made on the first login (an existing account
    that logs in once with its password, or a new account where the gemeente allows it), removed in the beheer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="eherkenning_identities", verbose_name="gebruiker")
    municipality = models.ForeignKey("regions.Municipality", on_delete=models.CASCADE,
                                     related_name="eherkenning_identities", verbose_name="gemeente")
    acting_subject_id = models.CharField("pseudoniem (ActingSubjectID)", max_length=255)
    created_at = models.DateTimeField("gekoppeld op", auto_now_add=True)

    class Meta:
        verbose_name = "eHerkenning-koppeling"
        verbose_name_plural = "eHerkenning-koppelingen"
        constraints = [models.UniqueConstraint(fields=["municipality", "acting_subject_id"],
                                               name="unique_eherkenning_identity")]

    def __str__(self):
        return f"{self.user} – {self.municipality} (eHerkenning)"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit events are append-only.")

    def delete(self):
        raise TypeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One thing that happened: who, when, what, to which object, with details. Append-only."""

    timestamp = models.DateTimeField("tijdstip", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name="door",
    )
    actor_name = models.CharField("door (naam)", max_length=150, blank=True)
    action = models.CharField("actie", max_length=80, db_index=True)
    object_type = models.CharField("soort object", max_length=80, db_index=True)
    object_id = models.CharField("object-id", max_length=64, db_index=True)
    object_repr = models.CharField("object", max_length=255, blank=True)
    message = models.CharField("omschrijving", max_length=500, blank=True)
    details = models.JSONField("details", default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "auditgebeurtenis"
        verbose_name_plural = "audittrail"
        ordering = ["-timestamp", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "timestamp"])]

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_name or 'systeem'}: {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are append-only.")


class JobStatus(models.TextChoices):
    """Where a background job (a Celery task with a row of its own) stands. The stored values never change."""

    PENDING = "wachtrij", "In de wachtrij"
    RUNNING = "bezig", "Bezig"
    FINISHED = "klaar", "Klaar"
    FAILED = "mislukt", "Mislukt"


# A job "bezig" for longer than the hard time limit of a task plus a margin has no worker any more; one "in de
# wachtrij" for this long was lost with the broker.
STALE_RUNNING = datetime.timedelta(seconds=getattr(settings, "CELERY_TASK_TIME_LIMIT", 660) + 240)
STALE_PENDING = datetime.timedelta(hours=1)


def job_is_stale(job, now=None) -> bool:
    """Running without finishing for longer than any attempt may take (the worker was killed or stopped), or
    waiting in the queue for longer than `STALE_PENDING`: to be retried (the periodic sweep marks it failed)."""
    now = now or timezone.now()
    if job.status == JobStatus.RUNNING:
        return job.started_at is not None and job.started_at < now - STALE_RUNNING
    if job.status == JobStatus.PENDING:
        return job.created_at is not None and job.created_at < now - STALE_PENDING
    return False


class BackgroundJob(models.Model):
    """The fields of a job row (allocation run, report, decision batch, SiSa batch, export): its status, the Celery
    task that works on it, why it failed, when it started and finished. `spukportal.jobs.enqueue_after_commit`
    fills `task_id` and, when the queue is down, `status`/`error`/`finished_at`. (What has a status of its own, such
    as a decision with its letter, has its job as a row of its own: DecisionLetter, SisaAppendix.) Each job model has its
    own `created_at` (its label differs: aangemaakt / aangevraagd op), which `job_is_stale` reads for a waiting job."""

    Status = JobStatus
    # The periodic sweep (spukportal.jobs.stale_jobs_fail) marks a stale job failed with this reason, so it can be
    # retried and nobody waits for it. Only for jobs done by one task, which the task time limit bounds.
    swept_when_stale = True
    stale_error = ("Onderbroken: de taak stond stil (de verwerker is gestopt of herstart). Er is niets half "
                   "opgeslagen; start hem opnieuw.")

    status = models.CharField("status", max_length=20, choices=JobStatus.choices, default=JobStatus.PENDING)
    task_id = models.CharField("taak-id", max_length=255, blank=True)
    error = models.TextField("foutmelding", blank=True)
    started_at = models.DateTimeField("gestart op", null=True, blank=True)
    finished_at = models.DateTimeField("klaar op", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_done(self):
        return self.status in (JobStatus.FINISHED, JobStatus.FAILED)

    @property
    def is_finished(self):
        return self.status == JobStatus.FINISHED

    @property
    def is_failed(self):
        return self.status == JobStatus.FAILED

    @property
    def is_stale(self):
        return job_is_stale(self)


class FileJob(BackgroundJob):
    """A job that makes one file and stores it privately (a decision letter, a SiSa appendix): the file's name in
    private storage and its SHA-256."""

    file = models.CharField("bestand (privéopslag)", max_length=255, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def is_ready(self) -> bool:
        return self.status == JobStatus.FINISHED and bool(self.file)
