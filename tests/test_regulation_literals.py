"""Every per-regulation fact lives in the regulation's definition (`applications/regulations.py`): no other
module of the product names one regulation. The allowed places are the definitions themselves, the codes
(`budgets/models.py`), the reference data of the components (`budgets/components.py`), demo data,
migrations, tests and benchmarks."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("spukportal", "regions", "budgets", "applications", "monitoring", "templates")
ALLOWED = {"applications/regulations.py", "budgets/models.py", "budgets/components.py"}
LITERAL = re.compile(r"""Regulation\.(BREDE_SPUK|SPUK_IZA)\b|["'](brede_spuk|spuk_iza)["']""")


def _allowed(relative: str) -> bool:
    name = Path(relative).name
    return relative in ALLOWED or "migrations" in Path(relative).parts or "demo" in name


def literals() -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            if path.suffix not in (".py", ".html", ".txt") or "__pycache__" in path.parts:
                continue
            relative = path.relative_to(ROOT).as_posix()
            if _allowed(relative):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if LITERAL.search(line):
                    found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_no_module_outside_the_definitions_names_a_regulation():
    assert literals() == [], "ask the regulation's definition instead:\n" + "\n".join(literals())


def test_the_search_finds_a_literal():
    """The check itself: a module comparing with a regulation code is reported with its file and line."""
    module = ROOT / "applications" / "zz_regulation_literal_probe.py"
    module.write_text('"""probe"""\n\nIS_IZA = "spuk_iza"\n', encoding="utf-8")
    try:
        assert "applications/zz_regulation_literal_probe.py:3: IS_IZA = \"spuk_iza\"" in literals()
    finally:
        module.unlink()
