"""Queries whose SQL is written once per process and run again with new values (spukportal/prepared.py): the rows
are what the ORM gives for the same QuerySet, and a query that would not be the same on the next request is
refused."""

import datetime
import threading

import pytest
from django.db import connections
from django.db.models import F
from django.utils import timezone

from applications.intake import selectors
from applications.models import Application
from regions.models import RegionMembership
from spukportal.audit import events_for
from spukportal.models import AuditEvent
from spukportal.prepared import PreparedQuery
from tests.applications import factories as f

pytestmark = pytest.mark.django_db


def application_row(pk):
    return (Application.objects.select_related("municipality", "region", "period", "period__allocation_run")
            .defer("period__allocation_run__input_snapshot").filter(pk=pk))


def test_rows_with_joins_deferred_fields_and_annotations_are_the_orms_own(django_assert_num_queries):
    period = f.scenario()
    first, second = f.draft(period), f.draft(period, "GM0995", "gemeente2")
    prepared = PreparedQuery(lambda pk: application_row(pk).annotate(gemeente=F("municipality__name")))
    for application in (first, second):
        expected = application_row(application.pk).annotate(gemeente=F("municipality__name")).get()
        with django_assert_num_queries(1):  # the joined rows come with it
            row, = prepared.run(application.pk)
            assert (row.pk, row.municipality.name, row.period.name, row.gemeente) == (
                expected.pk, expected.municipality.name, expected.period.name, expected.municipality.name)
            assert row.period.allocation_run.pk == expected.period.allocation_run.pk
        assert row.period.allocation_run.get_deferred_fields() == {"input_snapshot"}
        assert {k: v for k, v in vars(row).items() if k != "_state"} == \
            {k: v for k, v in vars(expected).items() if k != "_state"}
    assert prepared.run(-1) == []


def test_each_shape_is_written_once_and_tuples_dates_and_text_take_the_new_values():
    builds = []

    def build(codes, day, name, *, region):
        builds.append(1)
        return RegionMembership.objects.valid_on(day).filter(municipality__in=codes, municipality__name=name) \
            .values_list("region__name" if region else "municipality__cbs_code", flat=True)

    prepared = PreparedQuery(build)
    almere, amsterdam = f.municipality("GM0034"), f.municipality("GM0363")
    today = timezone.localdate()
    assert prepared.run((almere.pk, amsterdam.pk), today, "Almere", region=False) == ["GM0034"]
    assert len(builds) == 2  # written once, and built once more to check that nothing else varies
    assert prepared.run([amsterdam.pk, almere.pk], today, "Amsterdam", region=False) == ["GM0363"]
    assert prepared.run((almere.pk,), today, "Almere", region=False) == ["GM0034"]  # another length: a shape
    assert prepared.run((almere.pk,), today, "Almere", region=True) == ["Flevoland"]  # another keyword: a shape
    assert prepared.run((almere.pk,), datetime.date(1990, 1, 1), "Almere", region=True) == []  # before any region
    assert len(builds) == 6
    assert prepared.run((amsterdam.pk,), today, "Amsterdam", region=True) == ["Amsterdam"]
    assert len(builds) == 6
    assert prepared.run((), today, "Almere", region=True) == []  # an empty `__in`: no rows in that shape
    assert PreparedQuery(lambda pk: AuditEvent.objects.none().filter(pk=pk)).run(1) == []


def test_a_query_with_a_value_that_is_not_a_parameter_is_refused():
    with pytest.raises(ValueError, match="differs between two builds"):
        PreparedQuery(lambda pk: AuditEvent.objects.filter(pk=pk, timestamp__lte=timezone.now())).run(1)
    with pytest.raises(ValueError, match="does not have value 1"):
        PreparedQuery(lambda pk, other: AuditEvent.objects.filter(pk=pk)).run(1, 2)
    with pytest.raises(ValueError, match="cannot prefetch"):
        PreparedQuery(lambda pk: Application.objects.filter(pk=pk).prefetch_related("versions")).run(1)
    for value in (None, True, 1.5, timezone.now(), ("1",)):
        with pytest.raises(TypeError):
            PreparedQuery(lambda pk: AuditEvent.objects.filter(pk=pk)).run(value)


def test_fields_with_a_narrow_range_compare_as_the_orm_compares_them():
    """Django leaves out a comparison of an integer field with a value outside its range (a version's number is a
    PositiveIntegerField: `number__lt=-5` is never true, `number__gt=-5` always): a stand-in outside the range is
    not taken for the query's answer; the query is written with stand-ins within every range, and a number is
    passed as the ORM wrote it (psycopg's Int4 on PostgreSQL)."""
    from applications.models import ApplicationVersion

    application = f.submitted(f.scenario())
    ApplicationVersion.objects.create(application=application, number=2, snapshot={}, submitted_at=timezone.now(),
                                      submitted_by=f.user("gemeente"))
    below = PreparedQuery(lambda pk, number: ApplicationVersion.objects.filter(application=pk, number__lt=number)
                          .order_by("number").values_list("number", flat=True))
    above = PreparedQuery(lambda pk, number: ApplicationVersion.objects.filter(application=pk, number__gt=number)
                          .order_by("number").values_list("number", flat=True))
    for number in (-5, 0, 1, 2, 3, 2**31 - 1):
        for prepared, lookup in ((below, "number__lt"), (above, "number__gt")):
            orm = list(ApplicationVersion.objects.filter(application=application.pk, **{lookup: number})
                       .order_by("number").values_list("number", flat=True))
            assert prepared.run(application.pk, number) == orm, (lookup, number)
    assert below.run(application.pk, 2) == [1] and above.run(application.pk, 1) == [2]


def test_a_constant_equal_to_a_stand_in_is_refused():
    """A constant of the query that equals the stand-in of a value cannot be told from it: refused, rather than
    the constant replaced by the value."""
    stand_in = -2_086_194_337  # the first stand-in for the first value (spukportal.prepared._FAMILIES)
    with pytest.raises(ValueError, match="constant of the query equals a stand-in"):
        PreparedQuery(lambda pk: AuditEvent.objects.filter(pk=pk).exclude(pk=stand_in)).run(1)


def test_an_application_pages_reads_give_what_the_related_managers_gave(django_assert_num_queries):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.intake import services
    from applications.models import Comment
    from applications.review import selectors as review_selectors
    from applications.review.services import comment_add

    officer, reviewer = f.user("gemeente"), f.user("kerngroep")
    application = f.fill_completely(f.draft(f.scenario()))
    extra = services.attachment_add(actor=officer, application=application, kind="overig",
                                    uploaded_file=SimpleUploadedFile("extra.pdf", f.PDF, "application/pdf"))
    services.attachment_remove(actor=officer, attachment=extra)
    application = services.application_submit(actor=officer, application=application)
    comment_add(actor=reviewer, application=application, text="Voor de gemeente.", audience=Comment.Audience.APPLICANT)
    comment_add(actor=reviewer, application=application, text="Intern.", audience=Comment.Audience.INTERNAL)

    versions, attachments = selectors.versions_of(application), selectors.current_attachments(application)
    assert [v.pk for v in versions] == list(application.versions.values_list("pk", flat=True)) and versions
    assert [a.original_name for a in attachments] == ["ondertekend.pdf"]  # the removed one is not current
    events = events_for(application)
    assert [e.pk for e in events] == list(AuditEvent.objects.filter(
        object_type="applications.application", object_id=str(application.pk)).order_by("timestamp", "id")
        .values_list("pk", flat=True)) and events
    with django_assert_num_queries(0):  # who submitted, uploaded and acted came with the rows; the application too
        assert versions[-1].submitted_by.username == attachments[0].uploaded_by.username == "gemeente"
        assert versions[-1].application is attachments[0].application is application
        assert events[-1].actor.username == "kerngroep"
    staff = review_selectors.review_context(reviewer, application)["comments"]
    applicant = review_selectors.review_context(officer, application)["comments"]
    assert [c.text for c in staff] == ["Voor de gemeente.", "Intern."]
    assert [c.text for c in applicant] == ["Voor de gemeente."]  # never an internal comment for the gemeente


def test_columns_are_converted_on_every_run_with_the_converters_worked_out_once():
    """A JSON column and a timestamp come out as the ORM gives them, run after run: the converters that Django
    works out per query are remembered per shape, and another selection of columns gets its own."""
    first = AuditEvent.objects.create(action="test.een", object_type="test", object_id="1",
                                      details={"bedrag": 12, "jaren": [2026, 2027]})
    second = AuditEvent.objects.create(action="test.twee", object_type="test", object_id="2", details={"leeg": None})
    rows = PreparedQuery(lambda pk: AuditEvent.objects.filter(pk=pk))
    values = PreparedQuery(lambda pk: AuditEvent.objects.filter(pk=pk).values_list("details", "timestamp"))
    for event in (first, second, first, second):
        expected = AuditEvent.objects.get(pk=event.pk)
        row, = rows.run(event.pk)
        assert (row.details, row.timestamp) == (expected.details, expected.timestamp)
        assert isinstance(row.details, dict) and row.timestamp.tzinfo is not None
        assert values.run(event.pk) == [(expected.details, expected.timestamp)]
    assert len(rows._found_converters) == len(values._found_converters) == 1

    def in_another_thread():  # a connection of its own, as a thread of the development server has
        try:
            assert rows.run(-1) == []
        finally:
            connections.close_all()

    thread = threading.Thread(target=in_another_thread)
    thread.start()
    thread.join()
    assert len(rows._found_converters) == 1  # the same database: nothing more remembered per thread
