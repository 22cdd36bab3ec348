"""Every URL of the amendments × every demo account.

The scenario: Almere (gemeente) was granted (brede SPUK); a first change request was granted in amended decision
-W1 (its letter made); a second one is submitted and waits for the ministry; the ministry started a batch after
a budget change (not run). Lelystad (gemeente2) and Kerkrade (gemeente3) are other gemeenten."""

from tests.access import Case

ALMERE = {"gemeente"}
READERS = {"gemeente", "kerngroep", "ministerie"}
MINISTRY = {"ministerie"}
STAFF = {"kerngroep", "ministerie"}


def scenario():
    """(application, open request, amended decision, batch), made once per test."""
    import datetime

    from django.test import TestCase

    from applications.amendments import services
    from applications.amendments.models import AmendedDecision, AmendmentBatch, ChangeRequest
    from tests.applications import factories as f

    from .helpers import granted

    existing = AmendmentBatch.objects.filter(reasons="Matrixkorting").first()
    if existing:
        amended = AmendedDecision.objects.get(reasons="Matrixwijziging")
        # The second request (a sweep of hostile input may have moved it on since; it is still the one to visit).
        open_request = (ChangeRequest.objects.filter(decision=amended.decision).exclude(pk=amended.change_request_id)
                        .order_by("pk").first())
        return amended.decision.application, open_request, amended, existing
    decision = granted()
    app, almere, ministry = decision.application, f.user("gemeente"), f.user("ministerie")

    def submitted(amount):
        request = services.change_request_start(actor=almere, application=app)
        lines = [dict(line) for line in request.lines]
        lines[0]["amount"] = amount
        request = services.change_request_save(actor=almere, change_request=request, reasons="Matrixwijziging",
                                               plan_text="", lines=lines)
        return services.change_request_transition(actor=almere, change_request=request, transition="indienen")

    with TestCase.captureOnCommitCallbacks(execute=True):  # the letter's job, as production runs it
        first = services.change_request_transition(actor=ministry, change_request=submitted(60_000),
                                                   transition="toekennen", decided_on=datetime.date(2025, 6, 1))
    amended = AmendedDecision.objects.get(change_request=first)
    batch = services.amendment_batch_start(actor=ministry, run=app.period.allocation_run, decisions_=[decision],
                                           decided_on=datetime.date(2025, 7, 1), reasons="Matrixkorting")
    return app, submitted(70_000), amended, batch


def app_pk():
    return (scenario()[0].pk,)


def request_pk():
    return (scenario()[1].pk,)


def amended_pk():
    return (scenario()[2].pk,)


def batch_pk():
    return (scenario()[3].pk,)


CASES = [
    # An open request exists: starting another is refused with a message on the application's page.
    Case("amendments:start", ALMERE, args=app_pk, method="post", ok_status=302),
    Case("amendments:queue", STAFF),
    Case("amendments:request", READERS, args=request_pk),
    # Submitted: no longer editable, back to the request with the reason.
    Case("amendments:request_edit", ALMERE, args=request_pk, ok_status=302),
    # Brede SPUK: the kerngroep is not asked, so it is sent back to the request.
    Case("amendments:request_advise", {"kerngroep"}, args=request_pk, ok_status=302),
    Case("amendments:request_decide", MINISTRY, args=request_pk),
    Case("amendments:request_decide", MINISTRY, args=request_pk, method="post", data={}, ok_status=422,
         label="request-decide-post"),
    # Already submitted: the step is refused with the current state, on the request's page.
    Case("amendments:request_transition", ALMERE, args=lambda: (scenario()[1].pk, "indienen"), method="post",
         ok_status=302),
    Case("amendments:amended_download", READERS, args=amended_pk),
    Case("amendments:amended_retry", MINISTRY, args=amended_pk, method="post", ok_status=302),
    Case("amendments:batches", MINISTRY),
    Case("amendments:batches", MINISTRY, method="post", data={}, ok_status=422, label="batches-post"),
    Case("amendments:batch", MINISTRY, args=batch_pk),
    Case("amendments:batch_progress", MINISTRY, args=batch_pk),
    Case("amendments:batch_restart", MINISTRY, args=batch_pk, method="post", ok_status=302),
]
