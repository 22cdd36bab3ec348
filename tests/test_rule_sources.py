"""Where a rule comes from: the GALA is silent on advances, objection, carry-over, SiSa codes and deadlines, and on
reclaiming. Each such rule says, next to its definition, its real source or that it is portal policy, never
"(GALA …)"; and the README's table of rule sources names each of them."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# (file, the line that defines the rule, what the text beside it must name)
RULES = [
    ("applications/regulations.py", "carry_over_year = 2025", "VWS letter"),
    ("applications/regulations.py", "one_line_from_year = 2025", "VWS letter"),
    ("applications/regulations.py", "sisa_codes_source = (\"SiSa-bijlage", "Fvw"),
    ("applications/regulations.py", "sisa_codes_source = \"aangenomen", "portaalbeleid"),
    ("monitoring/accountability/rules.py", "CARRY_OVER_PERCENT = 10", "VWS letter"),
    ("monitoring/accountability/rules.py", "def settle(", "Portal policy"),
    ("monitoring/accountability/rules.py", "def final_year_problem(", "portal policy"),
    ("monitoring/determination/models.py", "OBJECTION_WEEKS = 6", "Algemene wet bestuursrecht"),
    ("monitoring/accountability/selectors.py", "def deadline(", "Fvw"),
    ("applications/decisions/decide.py", "PAYMENT_WEEKS = 4", "portal policy"),
    ("applications/letters.py", "OBJECTION_WEEKS = 6", "Awb art. 6:7"),  # the letters share it
    ("applications/rules.py", "def allocation_run_problems(", "portal policy"),
    ("monitoring/determination/selectors.py", "def unpaid_advances(", "Portal policy"),
]


def _context(path: str, marker: str) -> str:
    """The definition's line, the comment lines right above it and the docstring or comments right below it."""
    lines = (ROOT / path).read_text().splitlines()
    [index] = [i for i, line in enumerate(lines) if marker in line]
    start = index
    while start > 0 and lines[start - 1].strip().startswith("#"):
        start -= 1
    return "\n".join(lines[start:index + 10])


@pytest.mark.parametrize("path, marker, source", RULES)
def test_each_rule_the_gala_is_silent_on_names_its_real_source(path, marker, source):
    text = _context(path, marker)
    assert source in text, f"{path}: '{marker}' does not name {source}:\n{text}"
    assert not re.search(r"\(GALA[^)]*\)", text), \
        f"{path}: '{marker}' is attributed to the GALA, which says nothing about it:\n{text}"


def test_the_readme_lists_where_each_rule_comes_from():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("### Waar een regel vandaan komt", 1)[1].split("\n## ", 1)[0]
    for needed in ("VWS-brief", "Algemene wet bestuursrecht, art. 6:7", "Financiële-verhoudingswet art. 17a",
                   "portaalbeleid", "GALA, bijlage 2"):
        assert needed in table
    assert not re.search(r"GALA hoofdstuk 4A", table)
