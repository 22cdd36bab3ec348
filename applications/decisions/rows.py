"""The rows of "Beschikkingen maken" (the applications awaiting a decision, a checkbox each), written here rather
than in a template loop: about 120 rows took the page about 20 ms of template rendering. The HTML is that of the
template it replaced; every value is escaped."""

from django.utils.safestring import mark_safe

from spukportal.form_renderer import escape_html as escape
from spukportal.html_rows import choice_labels, url_with_pk

from ..models import Application


def awaiting_rows(applications, chosen) -> str:
    """The `<tr>`s for these applications; `chosen`: the pks (as text) that were ticked before."""
    detail_url, regulations = url_with_pk("applications:detail"), choice_labels(Application, "regulation")
    rows = []
    for a in applications:
        checked = " checked" if str(a.pk) in chosen else ""
        rows.append(
            '<tr class="utrecht-table__row">'
            '<td class="utrecht-table__cell"><input type="checkbox" class="utrecht-checkbox '
            f'utrecht-checkbox--html-input" name="applications" value="{a.pk}" id="aanvraag-{a.pk}"{checked}></td>'
            '<th scope="row" class="utrecht-table__header-cell portal-fw-normal">'
            f'<label for="aanvraag-{a.pk}">{escape(a.applicant.name)}</label></th>'
            f'<td class="utrecht-table__cell">{escape(regulations.get(a.regulation, a.regulation))}</td>'
            f'<td class="utrecht-table__cell">{escape(a.period.name)}</td>'
            f'<td class="utrecht-table__cell"><a href="{detail_url.format(a.pk)}">{escape(a.reference or "–")}</a></td>'
            "</tr>")
    return mark_safe("".join(rows))
