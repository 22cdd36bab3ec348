"""Reads of the kerngroep's review: the queue of submitted applications and a reviewer's own work."""

import datetime
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models import Count, F, OuterRef, Q, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils import timezone

from regions.models import Municipality, Region
from regions.search import municipality_query, normalise, normalised_name
from regions.selectors import memberships_on
from spukportal import permissions
from spukportal.models import Role
from spukportal.prepared import PreparedQuery

from .. import permissions as app_permissions
from .. import regulations
from ..intake import flow as workflow
from ..intake.flow import ApplicationState, STATES
from ..intake.selectors import of_application
from ..models import AdditionRequest, Application, ApplicationVersion, Assessment, Comment
from . import flow as review_flow
from .forms import ReviewersAssignForm

AWAITING_REVIEW = (ApplicationState.INGEDIEND, ApplicationState.IN_BEOORDELING)

# sort key → (label, order_by fields)
QUEUE_SORTS = {
    "kenmerk": ("Kenmerk", ("reference",)),
    "aanvrager": ("Aanvrager", ("municipality__name", "region__name")),
    "regeling": ("Regeling", ("regulation", "reference")),
    "regio": ("Regio", ("queue_region_name", "reference")),
    "status": ("Status", ("state", "reference")),
    "eerste": ("Eerste beoordelaar", ("first_reviewer__username", "reference")),
    "tweede": ("Tweede beoordelaar", ("second_reviewer__username", "reference")),
    "ingediend": ("Ingediend op", ("submitted_at", "reference")),
    "uiterlijk": ("Advies uiterlijk", ("review_due_on", "reference")),
}
DEFAULT_SORT = "uiterlijk"


def _region_ids_matching(q):
    wanted = normalise(q)
    return [pk for pk, name in Region.objects.values_list("pk", "name") if wanted and wanted in normalised_name(name)]


def waiting_for(user, *, whose=(review_flow.FIRST, review_flow.SECOND)) -> Q:
    """The applications whose next review step is this user's (`user`: the user or their id; `whose`: as first
    and/or second reviewer): taking one assigned to them, the assessment while it waits for them (review_flow: a
    draft or returned advice for the first reviewer, a proposal for the second)."""
    waits = {side: [s.code for s in review_flow.STATES.values() if s.waits_for == side] for side in whose}
    open_assessments = Q(pk__in=[])
    if review_flow.FIRST in waits:
        open_assessments |= Q(application__first_reviewer=user, status__in=waits[review_flow.FIRST])
    if review_flow.SECOND in waits:
        open_assessments |= Q(application__second_reviewer=user, status__in=waits[review_flow.SECOND])
    ids = Assessment.objects.filter(open_assessments).values("application_id")
    taken = Q(state=ApplicationState.IN_BEOORDELING, pk__in=ids)
    if review_flow.FIRST in waits:
        return taken | Q(state=ApplicationState.INGEDIEND, first_reviewer=user)
    return taken


def review_queue(user, *, q="", regulation="", state="", province="", region="", mine=False, unassigned=False,
                 overdue=False, waiting=False, sort=DEFAULT_SORT, today=None):
    """Every application submitted at least once (never a draft that never left the gemeente), filtered, with
    its region (the IZA-regio, or the gemeente's current one), for kerngroep and ministry. Returns
    (queryset, counts per state over the same filters except the state)."""
    today = today or timezone.localdate()
    if not (permissions.is_reviewer(user) or permissions.is_ministry(user)):
        return Application.objects.none(), {}
    # A gemeente's region today (one membership at a time; ordered by the region only, so that PostgreSQL need not
    # join the gemeenten for the memberships' default order: 4.5 -> 1.3 ms for a page of the queue).
    current_region = memberships_on(today).filter(municipality=OuterRef("municipality_id")).order_by("region__name")
    qs = Application.objects.filter(submitted_at__isnull=False).select_related(
        "municipality", "region", "period", "first_reviewer", "second_reviewer")
    if q:
        region_ids = _region_ids_matching(q)
        members = memberships_on(today).filter(region_id__in=region_ids).values("municipality")
        qs = qs.filter(Q(municipality__in=_municipality_ids(q)) | Q(region_id__in=region_ids)
                       | Q(municipality__in=members) | Q(reference__icontains=q.strip()))
    if regulation:
        qs = qs.filter(regulation=regulation)
    if province:
        regions_in = memberships_on(today).filter(municipality__province=province).values("region")
        qs = qs.filter(Q(municipality__province=province) | Q(region_id__in=regions_in))
    if region:
        members = memberships_on(today).filter(region__slug=region).values("municipality")
        qs = qs.filter(Q(region__slug=region) | Q(municipality__in=members))
    if mine:
        qs = qs.filter(Q(first_reviewer=user) | Q(second_reviewer=user))
    if unassigned:
        qs = qs.filter(first_reviewer__isnull=True)
    if waiting:
        qs = qs.filter(waiting_for(user))
    if overdue:
        qs = qs.filter(review_due_on__lt=today, state__in=AWAITING_REVIEW)
    counts = {row["state"]: row["n"] for row in qs.order_by().values("state").annotate(n=Count("pk"))}
    if state:
        qs = qs.filter(state=state)
    qs = qs.annotate(queue_region_name=Coalesce("region__name", Subquery(current_region.values("region__name")[:1])))
    key = sort.lstrip("-") if sort.lstrip("-") in QUEUE_SORTS else DEFAULT_SORT
    fields = QUEUE_SORTS[key][1]
    descending = sort.startswith("-")
    order = [(f"-{f}" if descending else f) for f in fields]
    if key in ("uiterlijk", "eerste", "tweede", "ingediend"):
        order = [F(fields[0]).desc(nulls_last=True) if descending else F(fields[0]).asc(nulls_last=True),
                 *order[1:]]
    return qs.order_by(*order, "pk"), counts


def _municipality_ids(q):
    return Municipality.objects.filter(municipality_query(q)).values("pk")


def state_counts(counts: dict) -> list[dict]:
    """[{code, label, count}] for every state a submitted application can have, in workflow order."""
    return [{"code": s.code, "label": s.label, "count": counts.get(s.code, 0)}
            for s in STATES.values() if s.code != ApplicationState.CONCEPT]


def _submitted():
    return Application.objects.filter(submitted_at__isnull=False).select_related("municipality", "region", "period")


def _reviewer_list(user_pk, *, which):
    """A list of the reviewer's start page, its first 20 by due date: as first reviewer, as second reviewer, or
    waiting for their approval."""
    base = _submitted()
    if which == "first":
        base = base.filter(first_reviewer=user_pk,
                           state__in=[*AWAITING_REVIEW, ApplicationState.AANVULLING_GEVRAAGD])
    elif which == "second":
        base = base.filter(second_reviewer=user_pk, state=ApplicationState.IN_BEOORDELING)
    else:
        base = base.filter(waiting_for(user_pk, whose=(review_flow.SECOND,)))
    return base.order_by("review_due_on", "pk")[:20]


_REVIEWER_LIST = PreparedQuery(_reviewer_list)  # on every start page of the kerngroep: SQL written once


# The reviewer's start page counts in one query, with SQL written once: per state the submitted applications (the
# queue's counts without filters), and of them the ones overdue for this reviewer and the ones nobody took yet.
_REVIEWER_COUNTS = PreparedQuery(lambda user_pk, today: Application.objects.filter(submitted_at__isnull=False)
                                 .order_by().values("state").annotate(
    n=Count("pk"),
    overdue=Count("pk", filter=(Q(first_reviewer=user_pk) | Q(second_reviewer=user_pk))
                  & Q(review_due_on__lt=today, state__in=AWAITING_REVIEW)),
    unassigned=Count("pk", filter=Q(state=ApplicationState.INGEDIEND, first_reviewer__isnull=True))))


def reviewer_home(user, today=None) -> dict:
    """The reviewer's work for the start page: queue counts per state and own open items."""
    today = today or timezone.localdate()
    if not permissions.is_reviewer(user):
        return {}
    rows = _REVIEWER_COUNTS.run(user.pk, today)
    first, second, awaiting = (_REVIEWER_LIST.run(user.pk, which=which) for which in ("first", "second", "awaiting"))
    return {"counts": state_counts({row["state"]: row["n"] for row in rows}), "first": first, "second": second,
            "awaiting": awaiting,
            "lists": [("Wacht op uw akkoord", awaiting), ("Eerste beoordelaar", first), ("Tweede beoordelaar", second)],
            "overdue": sum(row["overdue"] for row in rows), "unassigned": sum(row["unassigned"] for row in rows)}


# Asked on every application page the kerngroep or the ministry opens: SQL written once (spukportal/prepared.py).
_ANY_ASSESSMENT = PreparedQuery(lambda pk: Assessment.objects.filter(application=pk).values_list("pk")[:1])
_LATEST_ADDITION_REQUEST = PreparedQuery(lambda pk: AdditionRequest.objects.filter(application=pk)
                                         .order_by("-requested_at", "-id")[:1])


def review_panel(user, application) -> dict | None:
    """What the review panel on the application page offers this user (None: no panel, e.g. an officer)."""
    if not app_permissions.can_see_review(user, application):
        return None
    panel = {"has_assessment": bool(_ANY_ASSESSMENT.run(application.pk)),
             "can_take": bool(workflow.check(user, application, "in_beoordeling_nemen")),
             "can_second": (permissions.is_reviewer(user) and application.state in REVIEWABLE
                            and application.second_reviewer_id is None and application.first_reviewer_id != user.pk)}
    if app_permissions.can_assign_reviewers(user) and application.state in REVIEWABLE:
        reviewers = reviewers_queryset(get_user_model())
        panel["assign_form"] = ReviewersAssignForm(reviewers=reviewers, initial={
            "first": application.first_reviewer_id, "second": application.second_reviewer_id})
    return panel


REVIEWABLE = {ApplicationState.INGEDIEND, ApplicationState.IN_BEOORDELING, ApplicationState.AANVULLING_GEVRAAGD}


def reviewers_queryset(user_model):
    """The kerngroep members (the choices of the chair's assignment form)."""
    return user_model.objects.filter(is_active=True, role_assignments__role__code=Role.REVIEWER).distinct() \
        .order_by("username")


def _comments(pk, *, staff):
    comments = Comment.objects.filter(application=pk).select_related("author").order_by("created_at", "id")
    return comments if staff else comments.filter(audience=Comment.Audience.APPLICANT)


_COMMENTS = PreparedQuery(_comments)  # on every application page: SQL written once (spukportal/prepared.py)


def review_context(user, application) -> dict:
    """Everything of the review that the application page shows this user: the review panel (kerngroep and
    ministry), the latest request for additions with its points (everyone who may read the application), and
    the comments this user may read (never an internal one for the gemeente)."""
    staff = bool(app_permissions.can_see_review(user, application))
    # The kerngroep asks for additions to a submitted application: a draft's page asks nothing. The latest request
    # is the open one while the application awaits additions (open_addition_request).
    request = None if application.submitted_at is None else latest_addition_request(application)
    if request is not None:
        prefetch_related_objects([request], "points")
    open_request = request if application.state == ApplicationState.AANVULLING_GEVRAAGD else None
    comments = of_application(application, _COMMENTS.run(application.pk, staff=staff))
    return {"panel": review_panel(user, application), "request": request,
            "can_answer": bool(open_request and app_permissions.acts_as_applicant(user, application)),
            "comments": comments, "staff": staff,
            "can_comment": staff or bool(app_permissions.acts_as_applicant(user, application))}


AWAITING_DECISION = (ApplicationState.ADVIES_POSITIEF, ApplicationState.ADVIES_NEGATIEF)


_AWAITING_DECISION = PreparedQuery(lambda: Application.objects.filter(
    state__in=AWAITING_DECISION, decision__isnull=True).order_by().values_list("regulation", "state")
    .annotate(n=Count("pk")).values_list("regulation", "state", "n"))  # the ministry's start page: SQL written once


def awaiting_decision_rows() -> dict:
    """For the ministry's start page: per regulation and final advice the number of applications awaiting a
    decision, each with the review queue's filter that lists exactly them (`query`); and their total."""
    counts = {(r, s): n for r, s, n in _AWAITING_DECISION.run()}
    rows = [{"label": f"{label}, {STATES[state].label.lower()}", "count": counts.get((code, state), 0),
             "query": urlencode({"regulation": code, "state": state})}
            for code, label in regulations.choices() for state in AWAITING_DECISION]
    return {"rows": rows, "total": sum(counts.values())}

def start_page(user) -> dict:
    """The reviewer's work, for the start page (`spukportal.hooks.START_PAGE`)."""
    return {"reviewer_home": reviewer_home(user)} if permissions.is_reviewer(user) else {}


# --- the assessment and the request for additions of an application -----------------------------------

# The assessment page and the review's services ask these on every visit: SQL written once (spukportal/prepared.py).
_VERSION_BEFORE = PreparedQuery(lambda pk, number: ApplicationVersion.objects.filter(
    application=pk, number__lt=number).order_by("-number")[:1])
_ASSESSMENT_OF = PreparedQuery(lambda pk, version: Assessment.objects.filter(application=pk, version=version))
_ADDITION_REQUESTS = PreparedQuery(lambda pk: AdditionRequest.objects.filter(application=pk)
                                   .order_by("-requested_at"))


def latest_version(app):
    """The application's latest submitted version (None before the first submission)."""
    return version_before(app, None)


def version_before(app, number):
    """The application's version before version `number` (None: the latest), or None."""
    rows = _VERSION_BEFORE.run(app.pk, 2**31 - 1 if number is None else number)
    return of_application(app, rows)[0] if rows else None


def current_assessment(app) -> Assessment | None:
    """The assessment of the latest submitted version, if the review has started on it (at most one per version)."""
    version = latest_version(app)
    if version is None:
        return None
    rows = of_application(app, _ASSESSMENT_OF.run(app.pk, version.pk))
    for assessment in rows:
        assessment.version = version
    return rows[0] if rows else None


def addition_requests(app) -> list[AdditionRequest]:
    """Every request for additions of the application, the latest first, with their points."""
    requests = of_application(app, _ADDITION_REQUESTS.run(app.pk))
    prefetch_related_objects(requests, "points")
    return requests


def review_due_on(app, today=None) -> datetime.date:
    today = today or timezone.localdate()
    return today + datetime.timedelta(weeks=app.period.review_weeks)


def open_addition_request(app) -> AdditionRequest | None:
    """The request the applicant must answer now (the latest, while the application awaits additions)."""
    if app.state != ApplicationState.AANVULLING_GEVRAAGD:
        return None
    return latest_addition_request(app)


def latest_addition_request(app) -> AdditionRequest | None:
    """The application's latest request for additions (None before the first), read with SQL written once."""
    rows = of_application(app, _LATEST_ADDITION_REQUEST.run(app.pk))
    return rows[0] if rows else None


def unanswered_points_problems(app) -> list[str]:
    """Why a resubmission is refused: a point of the open request for additions without an answer."""
    request = open_addition_request(app)
    if request is None:
        return []
    missing = [p.position for p in request.points.all() if not p.answer.strip()]
    if not missing:
        return []
    return [f"Aanvulling: beantwoord elk gevraagd punt (nog open: punt {', '.join(map(str, missing))})."]
