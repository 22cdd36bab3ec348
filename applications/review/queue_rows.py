"""The rows of the review queue, written here rather than in a template loop: 50 rows of nine cells took the
queue page about 10 ms of template rendering (two `|date` filters and a `{% url %}` per row among them). The
URL, the labels and the month names are worked out once per page. The HTML is that of the template it replaced;
every value is escaped."""

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe

from spukportal.form_renderer import escape_html as escape
from spukportal.html_rows import choice_labels, url_with_pk

from ..models import Application

# What the rows read (and the applicant: a region's name, its period's opening day): the page loads only these.
ROW_FIELDS = ("reference", "regulation", "state", "submitted_at", "review_due_on", "municipality__name",
              "region__name", "period__opens_on", *(f"{reviewer}__{name}" for reviewer in ("first_reviewer",
              "second_reviewer") for name in ("first_name", "last_name", "username")))
CELL = '<td class="utrecht-table__cell" data-label="{label}">{content}</td>'


def short_date(value, months=None) -> str:
    """"7 Dec 2026", as Django's `|date:"j M Y"` writes it (a datetime in local time). `months`: the 12 month
    abbreviations, already translated (one translation per page rather than per date)."""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    month = months[value.month - 1] if months else str(MONTHS_3[value.month]).title()
    return f"{value.day} {month} {value.year}"


def _reviewer(user) -> str:
    return escape(user.get_full_name() or user.username) if user else "–"


def _due(application, today, months) -> str:
    due = application.review_due_on
    if not due:
        return "–"
    late = " <strong>(te laat)</strong>" if due < today and application.state_info.review_clock else ""
    return f'<span class="portal-nowrap">{short_date(due, months)}</span>{late}'


def queue_rows(applications, today) -> str:
    """The `<tr>`s of the queue's table for these applications (a page of them)."""
    rows = []
    detail_url, months = url_with_pk("applications:detail"), [str(MONTHS_3[m]).title() for m in range(1, 13)]
    regulations, states = choice_labels(Application, "regulation"), choice_labels(Application, "state")
    for a in applications:
        cells = [
            CELL.format(label="Kenmerk", content=f'<a href="{detail_url.format(a.pk)}">'
                                                  f'{escape(a.reference or "(geen kenmerk)")}</a>'),
            f'<th scope="row" class="utrecht-table__header-cell portal-fw-normal" data-label="Aanvrager">'
            f'{escape(a.applicant.name)}</th>',
            CELL.format(label="Regeling", content=escape(regulations.get(a.regulation, a.regulation))),
            CELL.format(label="Regio", content=escape(a.queue_region_name or "–")),
            CELL.format(label="Status", content=escape(states.get(a.state, a.state))),
            CELL.format(label="Eerste beoordelaar", content=_reviewer(a.first_reviewer)),
            CELL.format(label="Tweede beoordelaar", content=_reviewer(a.second_reviewer)),
            f'<td class="utrecht-table__cell portal-nowrap" data-label="Ingediend op">{short_date(a.submitted_at, months)}</td>',
            CELL.format(label="Advies uiterlijk", content=_due(a, today, months)),
        ]
        rows.append('<tr class="utrecht-table__row">' + "".join(cells) + "</tr>")
    if not rows:
        rows.append('<tr class="utrecht-table__row"><td class="utrecht-table__cell" colspan="9">'
                    "Geen aanvragen gevonden met deze zoekterm of filters.</td></tr>")
    return mark_safe("\n".join(rows))
