"""Demo of a decision (`make run`): Urk's application 2024–2026 taken all the way to "Toegekend", with its
decision letter (pdf). Called by `manage.py load_demo_data` after the applications demo; idempotent.

Urk (GM0184, Flevoland) is used by no other demo. Its officer `demo-urk` has no usable password (nobody logs
in as Urk; the gemeenten's demo accounts are gemeente, gemeente2 and gemeente3). The path is the real one:
draft → submitted → kerngroep takes it → proposes a positive advice → kerngroep2 agrees → ministerie grants."""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from regions.models import Municipality
from spukportal.celery import app as celery_app
from spukportal.models import Role, RoleAssignment

from ..demo import _fill, _say, _signed_pdf
from ..intake import services
from ..models import Application, ApplicationPeriod, GrantDecision
from ..review import services as review
from . import decide as decisions

CBS_CODE = "GM0184"
USERNAME = "demo-urk"
PERIOD = "2024–2026"


def _officer(municipality):
    User = get_user_model()
    # No e-mail address: nobody reads Urk's demo mail, and other demos' mails to Urk's officers stay as they were.
    user, created = User.objects.get_or_create(username=USERNAME, defaults={"first_name": "Demo", "last_name": "Urk"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role=Role.objects.get(code=Role.OFFICER),
                                         municipality=municipality)
    return user


def load(stdout=None):
    celery_app.loader.import_default_modules()  # the letter and mail tasks, sent after commit by name
    User = get_user_model()
    municipality = Municipality.objects.filter(cbs_code=CBS_CODE).first()
    period = ApplicationPeriod.objects.filter(name=PERIOD).first()
    staff = {u.username: u for u in User.objects.filter(username__in=["kerngroep", "kerngroep2", "ministerie"])}
    if municipality is None or period is None or len(staff) < 3 or not Role.objects.filter(code=Role.OFFICER).exists():
        _say(stdout, "Beschikkingen: demo overgeslagen (Urk, de periode 2024–2026 of demo-accounts ontbreken).")
        return
    app = Application.objects.filter(period=period, municipality=municipality).exclude(state="ingetrokken").first()
    if app is not None and GrantDecision.objects.filter(application=app).exists():
        return
    with transaction.atomic():
        grant(municipality, _officer(municipality), staff, period, signatory=("A. Visser (wethouder van Urk)",
                                                                               "wethouder van Urk"), app=app)
    _say(stdout, "Beschikkingen: Urk toegekend, met de beschikking (pdf).")


def grant(municipality, officer, staff, period, *, signatory, app=None) -> GrantDecision:
    """The gemeente's application in `period` taken the real path to "Toegekend" (filled, signed by
    `signatory` (name, function), submitted, reviewed by kerngroep and kerngroep2, granted by ministerie today),
    its letter rendered here. Also used by the determination demo."""
    if app is None:
        app = services.application_create(actor=officer, period=period, municipality=municipality,
                                          today=max(period.opens_on, min(timezone.localdate(), period.closes_on)))
        app = _fill(app, officer, complete=True)
        app = services.application_save_signature(
            actor=officer, application=app, base_version=app.edit_version,
            signatory_name=signatory[0], signatory_role="wethouder",
            signed_on=datetime.date(2026, 9, 15), monitoring_consent=True)
        services.attachment_add(actor=officer, application=app, kind="ondertekend",
                                uploaded_file=SimpleUploadedFile(
                                    f"Aanvraag brede SPUK {municipality.name} ondertekend.pdf",
                                    _signed_pdf(municipality, signatory[1]), "application/pdf"))
    if app.state == "concept":
        app = services.application_submit(actor=officer, application=app,
                                          today=min(timezone.localdate(), period.closes_on))
    if app.state == "ingediend":
        app = services.application_transition(actor=staff["kerngroep"], application=app,
                                              transition="in_beoordeling_nemen")
    if app.state == "in_beoordeling":
        if app.second_reviewer_id is None:
            review.second_reviewer_take(actor=staff["kerngroep2"], application=app)
        assessment = review.current_assessment(app)
        if assessment.status != assessment.Status.PROPOSED:
            review.assessment_save(
                actor=staff["kerngroep"], application=app, base_version=assessment.edit_version,
                items={i.key: {"verdict": "voldoet", "comment": ""} for i in assessment.items.all()},
                advice="positief", reasons="Het plan sluit aan op de GALA-doelen en de lokale situatie; alle "
                                           "onderdelen zijn uitgewerkt.", propose=True)
        app = services.application_transition(actor=staff["kerngroep2"], application=Application.objects.get(
            pk=app.pk), transition="positief_adviseren")
    # Granted as the ministry's form does (the toekennen transition), the letter rendered right here rather
    # than by a worker: the demo needs no running queue.
    app = services.application_transition(actor=staff["ministerie"], application=app, transition="toekennen",
                                          data={"decided_on": timezone.localdate(), "render": False})
    decisions.letter_render(decision_id=GrantDecision.objects.get(application=app).pk)
    return GrantDecision.objects.get(application=app)
