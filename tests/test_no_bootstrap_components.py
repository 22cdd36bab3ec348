"""No Bootstrap components or utilities left.

The portal's look is the NL Design System (static/vendor/rijkshuisstijl/); of Bootstrap only the grid-only
build static/vendor/bootstrap/bootstrap-grid.min.css is loaded. A Bootstrap class that is not in that build
(`btn`, `table-sm`, `alert-danger`, `visually-hidden`, `text-end`, …) styles nothing any more, so it must not
be written. This test reads every template and every app's Python for class attributes and class strings and
names file and line of each such class. It runs once per template folder / app, so `-k templates/budgets`
checks one folder.

The allowed set is every class selector in the vendored grid build (row, col-*, g-*, m*-/p*-, d-*, flex-*,
gap-*, …); the forbidden set is the Bootstrap component and utility prefixes below.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
GRID_CSS = ROOT / "static" / "vendor" / "bootstrap" / "bootstrap-grid.min.css"
APPS = ["spukportal", "regions", "budgets", "applications", "monitoring"]

# Bootstrap component / utility class names: a name is forbidden when it is one of these or starts with one
# followed by "-" (so `btn` and `btn-primary`, not `btnx`); entries ending in "-" match any continuation.
FORBIDDEN_PREFIXES = [
    "btn", "table", "alert", "badge", "breadcrumb", "nav", "navbar", "form-control", "form-select", "form-check",
    "form-label", "form-text", "form-floating", "form-switch", "form-range", "col-form-label", "input-group",
    "card", "list-group", "pagination", "page-item", "page-link", "dropdown", "modal", "progress", "spinner",
    "accordion", "text-bg", "visually-hidden", "fw-", "fs-", "text-end", "text-start", "text-center",
    "text-danger", "text-success", "text-warning", "text-info", "text-muted", "text-body-secondary",
    "text-secondary", "text-primary", "text-nowrap", "text-break", "text-truncate", "small", "lead", "rounded",
    "border", "shadow", "bg-", "invalid-feedback", "valid-feedback", "is-invalid", "is-valid", "link-",
    "float-", "w-25", "w-50", "w-75", "w-100", "w-auto", "h-100", "mw-100", "font-monospace", "align-middle",
    "align-top", "align-bottom", "align-baseline", "stretched-link", "ratio", "vstack", "hstack", "clearfix",
    "opacity-", "overflow-", "position-", "sticky-", "fixed-", "z-", "gap-", "row-gap-", "column-gap-",
]
HEADING_CLASS = re.compile(r"^(h[1-6]|display-[1-6])$")


def _grid_classes():
    css = re.sub(r"/\*.*?\*/", "", GRID_CSS.read_text(), flags=re.S)
    return set(re.findall(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)", css))


ALLOWED = _grid_classes()


def forbidden(name):
    if name in ALLOWED:
        return False
    if HEADING_CLASS.match(name):
        return True
    for prefix in FORBIDDEN_PREFIXES:
        if prefix.endswith("-"):
            if name.startswith(prefix):
                return True
        elif name == prefix or name.startswith(prefix + "-"):
            return True
    return False


# Template tags and variables inside a class attribute are not class names; their literal strings may be.
_TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
_QUOTED = re.compile(r"""["']([^"'{}]*)["']""")
_CLASS_ATTR = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.S)
# `{% include … with css_class="…" %}`, crispy `css_class=`, `field_class=`…, `{% nlds_… class="…" %}`
_CLASS_ARG = re.compile(r"""\b[a-z_]+_class\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _names(value):
    """The class names in a class attribute's value: the literal text, plus quoted strings inside its tags
    (`{% if x %}btn-primary{% else %}…` → both branches are literal text; `{{ x|default:'btn' }}` → 'btn')."""
    names = []
    for code in _TEMPLATE_CODE.findall(value):
        for literal in _QUOTED.findall(code):
            names += literal.split()
    names += _TEMPLATE_CODE.sub(" ", value).split()
    return [n for n in names if re.fullmatch(r"-?[_a-zA-Z][_a-zA-Z0-9-]*", n)]


def _line(text, offset):
    return text.count("\n", 0, offset) + 1


def template_findings(path):
    text = path.read_text()
    # double quotes inside template tags (`class="{% if a == "b" %}…"`) become single ones, same length, so
    # that an attribute's value runs to its own closing quote and line numbers stay right
    text = _TEMPLATE_CODE.sub(lambda m: m.group(0).replace('"', "'"), text)
    found = []
    for regex in (_CLASS_ATTR, _CLASS_ARG):
        for match in regex.finditer(text):
            value = match.group(1) if match.group(1) is not None else match.group(2)
            for name in _names(value):
                if forbidden(name):
                    found.append(f"{path.relative_to(ROOT)}:{_line(text, match.start())}: {name}")
    return found


def _class_strings(tree):
    """(line, string) for every string that is a CSS class: a `class`/`*_class` keyword or dict key,
    `attrs["class"] = …`, and strings holding a `class="…"` attribute (format_html, mark_safe)."""
    out = []

    def strings(node):
        return [(n.lineno, n.value) for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]

    def is_class_name(name):
        return name in ("class", "class_", "css_class") or (name.endswith("_class") and name != "form_class")

    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg and is_class_name(node.arg):
            out += strings(node.value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and isinstance(key.value, str) and is_class_name(key.value):
                    out += strings(value)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if (isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant)
                        and target.slice.value == "class"):
                    out += strings(node.value)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "class=" in node.value:
            for match in _CLASS_ATTR.finditer(node.value):
                out.append((node.lineno, match.group(1) or match.group(2) or ""))
    return out


def python_findings(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for line, value in _class_strings(tree):
        for name in value.split():
            if forbidden(name):
                found.append(f"{path.relative_to(ROOT)}:{line}: {name}")
    return found


def _template_groups():
    groups = {"templates": sorted(p for p in TEMPLATES.glob("*") if p.is_file())}
    for folder in sorted(p for p in TEMPLATES.iterdir() if p.is_dir()):
        groups[f"templates/{folder.name}"] = sorted(p for p in folder.rglob("*") if p.is_file())
    return groups


TEMPLATE_GROUPS = _template_groups()


@pytest.mark.parametrize("group", sorted(TEMPLATE_GROUPS))
def test_templates_use_no_bootstrap_components(group):
    found = [f for path in TEMPLATE_GROUPS[group] if path.suffix in (".html", ".txt", ".xml", ".svg")
             for f in template_findings(path)]
    assert not found, "Bootstrap classes outside the grid build:\n" + "\n".join(found)


@pytest.mark.parametrize("app", APPS)
def test_python_emits_no_bootstrap_components(app):
    found = [f for path in sorted((ROOT / app).rglob("*.py")) if "migrations" not in path.parts
             for f in python_findings(path)]
    assert not found, "Bootstrap classes outside the grid build:\n" + "\n".join(found)


def test_the_grid_build_is_the_only_bootstrap():
    assert GRID_CSS.exists()
    assert "Bootstrap Grid v5.3.8" in GRID_CSS.read_text()[:200]
    assert not (ROOT / "static" / "vendor" / "bootstrap" / "bootstrap.min.css").exists()
    assert {"row", "col-md-6", "g-3", "mb-0", "d-flex", "align-items-end"} <= ALLOWED
    assert "btn" not in ALLOWED and "text-end" not in ALLOWED and "gap-2" not in ALLOWED


def test_the_scanner_sees_what_it_should():
    assert forbidden("btn") and forbidden("btn-primary") and forbidden("table-sm") and forbidden("h5")
    assert forbidden("fw-bold") and forbidden("text-bg-light") and forbidden("visually-hidden")
    assert not forbidden("btnx") and not forbidden("mb-3") and not forbidden("row") and not forbidden("col-lg-4")
    assert not forbidden("utrecht-button") and not forbidden("portal-table-scroll") and not forbidden("navigation")
    assert _names('a {% if x %}btn-primary{% else %}b{% endif %} {{ y|default:"text-end" }}') == [
        "text-end", "a", "btn-primary", "b"]
