"""The kerngroep's queue of submitted applications: search, filters, sorting, counts, pages, exports and a
fixed number of queries with 342 applications."""

import datetime
import io
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from applications.models import Application
from applications.review.queue_rows import short_date
from regions.models import Municipality

from . import factories as f

pytestmark = pytest.mark.django_db

QUEUE = reverse("applications:review_queue")
DJANGO_DATE = Template('{{ value|date:"j M Y" }}')


def bulk_submitted(period, count=342):
    """`count` submitted applications (one per gemeente), fast: one bulk insert, not the full factory."""
    creator = f.user("gemeente")
    now = timezone.now()
    today = timezone.localdate()
    rows = [Application(municipality=m, period=period, regulation=period.regulation, state="ingediend",
                        created_by=creator, submitted_at=now - datetime.timedelta(minutes=i),
                        reference=f"T-{m.cbs_code}", review_due_on=today + datetime.timedelta(days=(i % 20) - 5))
            for i, m in enumerate(Municipality.objects.order_by("cbs_code")[:count])]
    return Application.objects.bulk_create(rows)


def rows_of(response):
    return list(response.context["page"])


def test_queue_shows_submitted_never_drafts(login):
    period = f.scenario()
    submitted = f.submitted(period)
    draft = f.draft(period, "GM0995", "gemeente2")
    response = login("kerngroep").get(QUEUE)
    assert response.status_code == 200
    shown = {a.pk for a in rows_of(response)}
    assert submitted.pk in shown and draft.pk not in shown
    page = response.content.decode()
    assert submitted.reference in page
    assert reverse("applications:detail", args=[draft.pk]) not in page


def test_officers_cannot_open_the_queue(login):
    assert login("gemeente").get(QUEUE).status_code == 403


def test_ministry_reads_the_queue(login):
    app = f.submitted(f.scenario())
    assert app.pk in {a.pk for a in rows_of(login("ministerie").get(QUEUE))}


def test_search_den_haag_finds_s_gravenhage_and_by_code_and_region(login):
    period = f.scenario()
    bulk_submitted(period)
    client = login("kerngroep")
    names = lambda r: {a.municipality.name for a in rows_of(r) if a.period_id == period.pk}  # noqa: E731
    assert names(client.get(QUEUE, {"q": "Den Haag"})) == {"'s-Gravenhage"}
    assert names(client.get(QUEUE, {"q": "gm0034"})) == {"Almere"}
    flevoland = names(client.get(QUEUE, {"q": "Flevoland", "sort": "aanvrager"}))
    assert {"Almere", "Lelystad"} <= flevoland


def test_filters_province_unassigned_mine_overdue_and_counts(login):
    period = f.scenario()
    apps = bulk_submitted(period)
    today = timezone.localdate()
    kerngroep = f.user("kerngroep")
    Application.objects.filter(pk=apps[0].pk).update(first_reviewer=kerngroep, state="in_beoordeling")
    client = login("kerngroep")
    ours = lambda r: r.context["page"].paginator.object_list.filter(period=period)  # noqa: E731
    assert [a.pk for a in ours(client.get(QUEUE, {"mine": "on"}))] == [apps[0].pk]
    response = client.get(QUEUE, {"unassigned": "on"})
    assert ours(response).count() == 341
    overdue = ours(client.get(QUEUE, {"overdue": "on"}))
    assert overdue.count() == Application.objects.filter(period=period, review_due_on__lt=today).count() > 0
    limburg = ours(client.get(QUEUE, {"province": "Limburg"}))
    assert limburg.count() == Municipality.objects.filter(province="Limburg").count()
    before = Application.objects.filter(submitted_at__isnull=False).exclude(period=period)
    counts = {c["code"]: c["count"] for c in client.get(QUEUE).context["counts"]}
    assert counts["ingediend"] == 341 + before.filter(state="ingediend").count()
    assert counts["in_beoordeling"] == 1 + before.filter(state="in_beoordeling").count()


def test_sorting_links_and_aria_sort(login):
    period = f.scenario()
    bulk_submitted(period, 30)
    client = login("kerngroep")
    response = client.get(QUEUE, {"sort": "-kenmerk"})
    refs = [a.reference for a in rows_of(response) if a.reference]
    assert refs == sorted(refs, reverse=True)
    page = response.content.decode()
    assert 'aria-sort="descending"' in page
    assert "sort=kenmerk" in page  # a second click reverses


def test_pagination(login):
    bulk_submitted(f.scenario())
    client = login("kerngroep")
    first = rows_of(client.get(QUEUE))
    second = rows_of(client.get(QUEUE, {"pagina": 2}))
    assert len(first) == 50 and len(second) == 50 and not {a.pk for a in first} & {a.pk for a in second}


def test_the_count_and_pages_say_how_many_the_filters_give(login):
    """The queue counts its rows once, per state (the state buttons), and the pages take their count from it."""
    apps = bulk_submitted(f.scenario())
    Application.objects.filter(pk__in=[a.pk for a in apps[:60]]).update(state="in_beoordeling")
    client = login("kerngroep")
    total = Application.objects.filter(submitted_at__isnull=False).count()
    assert total >= 342
    assert f"{total} aanvragen, pagina 1 van {-(-total // 50)}." in client.get(QUEUE).content.decode()
    in_review = Application.objects.filter(state="in_beoordeling").count()
    assert 60 <= in_review < 100
    response = client.get(QUEUE, {"state": "in_beoordeling", "pagina": 2})
    assert f"{in_review} aanvragen, pagina 2 van 2." in response.content.decode()
    assert len(rows_of(response)) == in_review - 50 and all(a.state == "in_beoordeling" for a in rows_of(response))
    assert "1 aanvraag." in client.get(QUEUE, {"state": "in_beoordeling", "q": apps[0].reference}).content.decode()
    none = client.get(QUEUE, {"state": "in_beoordeling", "q": "geen-gemeente-heet-zo"}).content.decode()
    assert "0 aanvragen." in none and "Geen aanvragen gevonden" in none


def test_exports_follow_the_filter(login):
    period = f.scenario()
    bulk_submitted(period)
    client = login("kerngroep")
    csv = client.get(QUEUE, {"q": "Den Haag", "export": "csv"}).content.decode()
    lines = csv.strip().splitlines()
    assert lines[0].startswith("\ufeffKenmerk;Aanvrager") and len(lines) == 2 and "T-GM0518" in lines[1]
    response = client.get(QUEUE, {"province": "Flevoland", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Kenmerk"
    assert len([v for v in values[1:] if v[0].startswith("T-")]) == Municipality.objects.filter(
        province="Flevoland").count()


def _in_utrecht(app):
    return app.municipality.province == "Utrecht"


def _overdue_unassigned(app):
    return app.first_reviewer_id is None and app.review_due_on < timezone.localdate()


def _mine(app):
    return app.first_reviewer and app.first_reviewer.username == "kerngroep" and app.state == "ingediend"


def _in_region_flevoland(app):
    return app.municipality.memberships.filter(region__slug="flevoland").exists()


@pytest.mark.parametrize("params, count, shown", [
    ({}, 50, lambda app: True),
    ({"q": "Den Haag"}, 1, lambda app: app.reference == "T-GM0518"),
    ({"province": "Utrecht", "sort": "-regio"}, 26, _in_utrecht),
    ({"unassigned": "on", "overdue": "on"}, 50, _overdue_unassigned),
    ({"mine": "on", "state": "ingediend"}, 3, _mine),
    ({"region": "flevoland", "regulation": "brede_spuk", "pagina": 3}, 5, _in_region_flevoland),
])
def test_queue_with_342_costs_a_fixed_number_of_queries_and_shows_its_applications(
        login, django_assert_max_num_queries, params, count, shown):
    apps = bulk_submitted(f.scenario())
    Application.objects.filter(pk__in=[a.pk for a in apps[100:103]]).update(first_reviewer=f.user("kerngroep"))
    client = login("kerngroep")
    with django_assert_max_num_queries(12):
        response = client.get(QUEUE, params)
    assert response.status_code == 200
    rows = [a for a in rows_of(response) if a.reference.startswith("T-")]
    assert len(rows) == count and all(shown(a) for a in rows), [a.reference for a in rows]
    page = response.content.decode()
    for app in rows:
        assert app.reference in page and app.municipality.name.replace("'", "&#x27;") in page


def _row(page, reference):
    row = page[:page.index(reference)].rsplit("<tr", 1)[1] + page[page.index(reference):].split("</tr>", 1)[0]
    return dict(re.findall(r'data-label="([^"]+)">(.*?)</t[dh]>', row))


def test_a_row_shows_reviewers_dates_and_late_advice(login):
    """The rows are written in Python (applications.review.queue_rows): each cell as the table promises."""
    period = f.scenario()
    late = f.proposed(f.submitted(period))  # first kerngroep, second kerngroep2; the advice clock runs
    Application.objects.filter(pk=late.pk).update(review_due_on=timezone.localdate() - datetime.timedelta(days=1),
                                                  submitted_at=datetime.datetime(2026, 3, 31, 22, 30, tzinfo=datetime.UTC))
    waiting = f.submitted(period, "GM0995", "gemeente2")
    page = login("kerngroep").get(QUEUE).content.decode()
    cells = _row(page, late.reference)
    assert cells["Kenmerk"] == f'<a href="{reverse("applications:detail", args=[late.pk])}">{late.reference}</a>'
    assert cells["Aanvrager"] == "Almere" and cells["Regio"] == "Flevoland"
    assert cells["Eerste beoordelaar"] == "Dirk Bakker" and cells["Tweede beoordelaar"] == "Gerda Mulder"
    assert cells["Ingediend op"] == "1 Apr 2026"  # 22:30 UTC is the next day in the Netherlands
    assert cells["Advies uiterlijk"].endswith("</span> <strong>(te laat)</strong>")
    other = _row(page, waiting.reference)
    assert other["Eerste beoordelaar"] == "–" and "te laat" not in other["Advies uiterlijk"]
    assert "Geen aanvragen gevonden" in login("kerngroep").get(QUEUE, {"q": "geen-gemeente-heet-zo"}).content.decode()


@settings(max_examples=200, deadline=None)
@given(moment=st.datetimes(min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2100, 1, 1),
                           timezones=st.just(datetime.UTC)))
def test_the_queue_writes_dates_as_django_s_date_filter(moment):
    """As the template wrote them: a moment in Dutch local time."""
    for value in (moment, moment.date()):
        assert short_date(value) == DJANGO_DATE.render(Context({"value": value}))
