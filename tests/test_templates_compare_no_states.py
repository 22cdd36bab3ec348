"""Templates never compare a stored state or status code: what a page shows for a state (badge, button, "may do
X") comes from the process tables (applications.intake.flow, applications.review.flow, applications.decisions.flow,
monitoring.accountability.flow) or from the job's flags (BackgroundJob.is_finished / is_failed / is_stale), as a flag or
list the view or tag computes. A comparison in a template is a second, silent copy of a table's rule."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAG = re.compile(r"{%-?\s*(?:if|elif)\b(.*?)-?%}", re.S)
FIELD = r"[\w.]*\b(?:state|status|outcome|pdf_status)"
COMPARISON = re.compile(rf"{FIELD}\s*(?:==|!=|\bnot\s+in\b|\bin\b)|(?:==|!=)\s*{FIELD}\b(?!_)")


def comparisons(text: str) -> list[str]:
    return [m.group(0).strip() for m in TAG.finditer(text) if COMPARISON.search(m.group(1))]


def test_the_check_finds_the_comparisons_it_is_meant_to_find():
    assert comparisons('{% if report.status == "concept" %}x{% endif %}')
    assert comparisons('{% elif a.state in "ingediend in_beoordeling" %}')
    assert comparisons("{% if 'klaar' != run.status %}")
    assert comparisons('{% if form.cleaned_data.state == c.code %}')
    assert not comparisons("{% if state.editable and run.is_failed %}{% if c.current %}")
    assert not comparisons("{% if run.progress_message != run.get_status_display %}")


def test_no_template_compares_a_state_or_status_code():
    found = {}
    for path in sorted((ROOT / "templates").rglob("*.html")) + sorted(ROOT.glob("*/templates/**/*.html")):
        hits = comparisons(path.read_text())
        if hits:
            found[str(path.relative_to(ROOT))] = hits
    assert found == {}
