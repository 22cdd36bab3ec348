"""Every URL of the applications app × every demo account.

The scenario: Almere (gemeente) has an application that was submitted once and now has "aanvulling
gevraagd" (so it is editable by Almere and visible to kerngroep and ministerie), with two versions and a
frozen signed PDF; Lelystad (gemeente2) and Kerkrade (gemeente3) are other gemeenten and get 403/404
on every URL of it."""

from django.utils import timezone

from tests.access import Case

OFFICERS = {"gemeente", "gemeente2", "gemeente3"}
ALMERE = {"gemeente"}
READERS = {"gemeente", "kerngroep", "ministerie"}  # Almere's submitted application
MINISTRY = {"ministerie"}


def almere():
    """Almere's application in the test period (made when missing: once per module by the matrix's shared scenario)."""
    from applications.intake import services
    from applications.models import Application
    from tests.applications import factories as f

    existing = Application.objects.filter(period__name="Matrixperiode", municipality__cbs_code="GM0034").first()
    if existing:
        return existing
    period = f.scenario()
    period.name = "Matrixperiode"
    period.save()
    app = f.with_additions_requested(f.submitted(period))
    section = app.sections.get(key="uitgangssituatie")
    services.application_save_section(actor=f.user("gemeente"), application=app, key=section.key,
                                      text="Aangevuld.", base_version=section.version)
    f.answer_points(app, "gemeente")
    app = services.application_transition(actor=f.user("gemeente"), application=app, transition="opnieuw_indienen")
    return f.with_additions_requested(app)


def almere_pk():
    return (almere().pk,)


def signed_pdf():
    app = almere()
    return (app.pk, app.attachments.get(kind="ondertekend", removed_at__isnull=True).pk)


def period_pk():
    return (almere().period_id,)


def flevoland():
    """Flevoland's IZA draft by Almere (the mandate holder), with Lelystad's declaration."""
    from applications.models import Application
    from tests.applications import factories as f

    existing = Application.objects.filter(period__name="Matrixperiode IZA").first()
    if existing:
        return existing
    period = f.iza_scenario()
    period.name = "Matrixperiode IZA"
    period.save()
    app = f.iza_draft(period)
    f.declare(app, "gemeente2", "GM0995")
    return app


def flevoland_pk():
    return (flevoland().pk,)


def lelystad_declaration():
    app = flevoland()
    return (app.pk, app.declarations.get(withdrawn_at__isnull=True).pk)


FLEVOLAND = {"gemeente", "gemeente2"}  # the mandate holder and a member reading along

CASES = [
    Case("applications:list", {"gemeente", "gemeente2", "gemeente3", "kerngroep", "ministerie"}),
    Case("applications:start", OFFICERS, args=period_pk),
    Case("applications:start", OFFICERS, args=period_pk, method="post", data=lambda: {}, ok_status=422,
         label="start-post"),
    Case("applications:detail", READERS, args=almere_pk),
    Case("applications:components", ALMERE, args=almere_pk),
    Case("applications:components", ALMERE, args=almere_pk, method="post", data=lambda: {"version": 0},
         ok_status=409, label="components-post"),
    Case("applications:plan", ALMERE, args=almere_pk),
    Case("applications:section_save", ALMERE, args=lambda: (almere().pk, "uitgangssituatie"), method="post",
         data={"uitgangssituatie-text": "Matrix", "uitgangssituatie-version": 99}, ok_status=409),
    Case("applications:signature", ALMERE, args=almere_pk),
    Case("applications:signature", ALMERE, args=almere_pk, method="post",
         data=lambda: {"signatory_name": "X", "signatory_role": "wethouder", "signed_on": str(timezone.localdate()),
                       "version": 0}, ok_status=409, label="signature-post"),
    Case("applications:attachments", ALMERE, args=almere_pk),
    Case("applications:attachments", ALMERE, args=almere_pk, method="post", data={"kind": "bijlage"},
         ok_status=422, label="attachments-post"),
    Case("applications:attachment_download", READERS, args=signed_pdf),
    Case("applications:attachment_remove", ALMERE, args=signed_pdf, method="post", ok_status=302),
    Case("applications:submit", ALMERE, args=almere_pk),
    Case("applications:submit", ALMERE, args=almere_pk, method="post", data={}, ok_status=422,
         label="submit-post"),
    Case("applications:withdraw", ALMERE, args=almere_pk),
    Case("applications:withdraw", ALMERE, args=almere_pk, method="post", data={}, ok_status=422,
         label="withdraw-post"),
    Case("applications:version_detail", READERS, args=lambda: (almere().pk, 1)),
    Case("applications:version_detail", READERS, args=lambda: (almere().pk, 2), label="version-2"),
    Case("applications:version_diff", READERS, args=almere_pk),
    Case("applications:lines", ALMERE, args=flevoland_pk),
    Case("applications:lines", ALMERE, args=flevoland_pk, method="post", data={}, ok_status=422, label="lines-post"),
    Case("applications:declarations", FLEVOLAND, args=flevoland_pk),
    Case("applications:declarations", set(), args=flevoland_pk, method="post", data={},
         label="declarations-post-without-anything-to-declare"),
    Case("applications:declaration_download", FLEVOLAND, args=lelystad_declaration),
    Case("applications:declaration_withdraw", {"gemeente2"}, args=lelystad_declaration, method="post",
         label="declaration-withdraw-asks-first"),
    Case("applications:declaration_withdraw", {"gemeente2"}, args=lelystad_declaration, method="post",
         data={"confirmed": "1"}, ok_status=302),
    Case("applications:declaration_reminder", ALMERE, args=flevoland_pk, method="post", ok_status=302),
    Case("applications:period_list", MINISTRY),
    Case("applications:period_create", MINISTRY),
    Case("applications:period_create", MINISTRY, method="post", data={}, ok_status=422, label="period-create-post"),
    Case("applications:period_edit", MINISTRY, args=period_pk),
    Case("applications:extension_grant", MINISTRY, args=period_pk),
    Case("applications:extension_grant", MINISTRY, args=period_pk, method="post", data={}, ok_status=422,
         label="extension-post"),
    # notifications and receipts
    Case("applications:receipt", READERS, args=lambda: (almere().pk, 1)),
]


# --- decisions by the ministry ------------------------------------------------------------------
# Kerkrade (gemeente3) has a final positive advice and no decision yet; Lelystad (gemeente2) has been granted,
# its letter made; one batch (of Lelystad's decision) exists.


def _decision_period(name, code, username):
    from applications.models import Application
    from tests.applications import factories as f

    existing = Application.objects.filter(period__name=name).first()
    if existing:
        return existing
    period = f.scenario(municipalities=(code,))
    period.name = name
    period.save()
    return f.with_final_advice(f.submitted(period, code, username), "positief")


def kerkrade_pk():
    return (_decision_period("Matrixperiode besluit", "GM0928", "gemeente3").pk,)


def lelystad_granted():
    import datetime

    from applications.decisions import services as decision_services, decide as decisions
    from applications.models import GrantDecision
    from tests.applications import factories as f

    app = _decision_period("Matrixperiode beschikking", "GM0995", "gemeente2")
    decision = GrantDecision.objects.filter(application=app).first()
    if decision is None:
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):  # the batch's job, as production runs it
            decision_services.decision_batch_start(actor=f.user("ministerie"), applications=[app],
                                                   decided_on=datetime.date(2025, 3, 10))
        decision = GrantDecision.objects.get(application=app)
        decisions.letter_render(decision_id=decision.pk)
    return decision


def lelystad_pk():
    return (lelystad_granted().application_id,)


def batch_pk():
    return (lelystad_granted().batch_id,)


def lelystad_payment():
    decision = lelystad_granted()
    return (decision.application_id, decision.payments.order_by("pk").first().pk)


LELYSTAD_READERS = {"gemeente2", "kerngroep", "ministerie"}

CASES += [
    Case("applications:decide", MINISTRY, args=kerkrade_pk),
    Case("applications:decide", MINISTRY, args=kerkrade_pk, method="post", data={}, ok_status=422,
         label="decide-post"),
    Case("applications:decision_download", LELYSTAD_READERS, args=lelystad_pk),
    Case("applications:decision_retry", MINISTRY, args=lelystad_pk, method="post", ok_status=302),
    Case("applications:advance_paid", MINISTRY, args=lelystad_payment),
    Case("applications:advance_paid", MINISTRY, args=lelystad_payment, method="post", data={}, ok_status=422,
         label="advance-paid-post"),
    Case("applications:decision_batches", MINISTRY),
    Case("applications:decision_batches", MINISTRY, method="post", data={}, ok_status=422,
         label="decision-batches-post"),
    Case("applications:decision_batch", MINISTRY, args=batch_pk),
    Case("applications:decision_batch_progress", MINISTRY, args=batch_pk),
    Case("applications:decision_batch_restart", MINISTRY, args=batch_pk, method="post", ok_status=302),
]

CASES += [
    # --- the kerngroep's review ---
    Case("applications:review_queue", {"kerngroep", "ministerie"}),
    # POSTs that the service refuses for this state/person end in a redirect with a Dutch message
    Case("applications:review_take", {"kerngroep", "ministerie"}, args=almere_pk, method="post", ok_status=302),
    Case("applications:review_second_take", {"kerngroep", "ministerie"}, args=almere_pk, method="post",
         ok_status=302),
    Case("applications:review_assign", set(), args=almere_pk, method="post", data={}),  # the chair only
    Case("applications:assessment", {"kerngroep", "ministerie"}, args=almere_pk),
    Case("applications:assessment", set(), args=almere_pk, method="post", data={}, label="assessment-post"),
    Case("applications:assessment_agree", {"kerngroep", "ministerie"}, args=almere_pk, method="post",
         ok_status=302),
    Case("applications:assessment_return", {"kerngroep", "ministerie"}, args=almere_pk, method="post", data={},
         ok_status=422),
    Case("applications:additions_request", {"kerngroep"}, args=almere_pk),
    Case("applications:additions_answer", ALMERE, args=almere_pk, method="post", ok_status=302),
    Case("applications:comment_add", READERS, args=almere_pk, method="post", data={}, ok_status=302),
]
