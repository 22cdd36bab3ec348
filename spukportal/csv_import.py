"""All-or-nothing CSV imports with line-numbered Dutch errors, dry runs, summaries and an audit event.

An importer subclasses `CsvImporter`, names its columns and implements `parse` (one row → a value, or
`RowError`) and `apply` (one parsed value → "created" / "updated" / "unchanged"). `run` parses every
row first, then applies them all in one transaction; any error rolls everything back and names the
file and line.
"""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from . import audit, bounds

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
# NUL and the other C0 control characters (tab, line feed and carriage return are allowed).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RowError(Exception):
    """A problem with one row; the importer adds file and line."""


class ImportFailed(Exception):
    def __init__(self, path, line, reason):
        self.path, self.line, self.reason = str(path), line, reason
        where = f"{Path(self.path).name}, regel {line}" if line else Path(self.path).name
        super().__init__(f"{where}: {reason} Er is niets geïmporteerd.")


@dataclass
class ImportResult:
    label: str
    dry_run: bool
    counts: Counter = field(default_factory=Counter)

    def __str__(self):
        prefix = "Proefimport (niets opgeslagen)" if self.dry_run else "Import"
        return (
            f"{prefix} {self.label}: {self.counts[CREATED]} nieuw, {self.counts[UPDATED]} gewijzigd, "
            f"{self.counts[UNCHANGED]} ongewijzigd."
        )


class CsvImporter:
    label = ""
    columns: tuple[str, ...] = ()
    optional_columns: tuple[str, ...] = ()
    audit_action = ""

    def __init__(self, **options):
        self.options = options

    # -- to implement ------------------------------------------------------------------------------
    def parse(self, row: dict, line: int):
        raise NotImplementedError

    def check_all(self, parsed: list[tuple[int, object]]) -> None:
        """Cross-row checks (duplicates, completeness); raise ImportFailed-compatible RowError via
        `self.fail(line, reason)`."""

    def apply(self, value) -> str:
        raise NotImplementedError

    # -- machinery ----------------------------------------------------------------------------------
    def fail(self, line, reason):
        raise ImportFailed(self.path, line, reason)

    def read(self, source, *, name: str | None = None) -> list[tuple[int, object]]:
        """Parse and check every row. `source`: a path, or an open binary file (an upload); `name` is the
        file name used in messages (default: the path's or the file's own name)."""
        self.path = Path(name or getattr(source, "name", None) or str(source))
        text = self._text(source)
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","  # the portal's own and Excel's CSV
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = reader.fieldnames or []
        missing = [c for c in self.columns if c not in header]
        if missing:
            self.fail(1, f"kolom ontbreekt: {', '.join(missing)} (verwacht: {', '.join(self.columns)}).")
        parsed = []
        try:
            for row in reader:
                line = reader.line_num
                if None in row or any(v is None for v in row.values()):
                    self.fail(line, f"verkeerd aantal velden (verwacht {len(header)}).")
                row = {k: (v or "").strip() for k, v in row.items()}
                if not any(row.values()):
                    continue
                bad = next((k for k, v in row.items() if _CONTROL_CHARS.search(v)), None)
                if bad is not None:
                    self.fail(line, f"kolom '{bad}' bevat een ongeldig teken (een stuurteken zoals NUL).")
                try:
                    parsed.append((line, self.parse(row, line)))
                except RowError as exc:
                    self.fail(line, str(exc))
        except csv.Error as exc:
            self.fail(reader.line_num, f"ongeldige CSV ({exc}).")
        if not parsed:
            self.fail(None, "het bestand bevat geen gegevensregels.")
        self.check_all(parsed)
        return parsed

    def _text(self, source) -> str:
        """The file's text: at most `bounds.MAX_IMPORT_BYTES`, UTF-8 (a BOM is allowed); a decoding error
        names the line it is on."""
        limit = bounds.MAX_IMPORT_BYTES
        if hasattr(source, "read"):
            if (getattr(source, "size", None) or 0) > limit:
                self.fail(None, f"het bestand is groter dan {limit // (1024 * 1024)} MB.")
            source.seek(0)
            data = source.read(limit + 1)
        else:
            try:
                with open(source, "rb") as handle:
                    data = handle.read(limit + 1)
            except OSError as exc:
                raise ImportFailed(source, None, f"het bestand kan niet worden geopend ({exc.strerror}).") from exc
        if len(data) > limit:
            self.fail(None, f"het bestand is groter dan {limit // (1024 * 1024)} MB.")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            raise ImportFailed(self.path, line, "het bestand is geen UTF-8-tekst (sla het op als CSV UTF-8).") from exc

    def run(self, source, *, actor=None, dry_run=False) -> ImportResult:
        parsed = self.read(source)
        result = ImportResult(label=self.label, dry_run=dry_run)
        with transaction.atomic():
            for line, value in parsed:
                try:
                    result.counts[self.apply(value)] += 1
                except RowError as exc:
                    self.fail(line, str(exc))
                except (IntegrityError, ValidationError) as exc:
                    self.fail(line, f"de regel past niet bij de bestaande gegevens ({exc}).")
            audit.record(
                actor=actor, action=self.audit_action, object_type="import", object_id=self.label,
                message=str(result),
                details={"bestand": self.path.name, **{k: result.counts[k] for k in (CREATED, UPDATED, UNCHANGED)},
                         "opties": {k: str(v) for k, v in self.options.items()}},
            )
            if dry_run:
                transaction.set_rollback(True)
        return result


# -- small parsing helpers shared by importers -------------------------------------------------------

def parse_int(value: str, column: str, *, minimum: int | None = 0, maximum: int = bounds.MAX_AMOUNT_EUR) -> int:
    """A whole number between `minimum` and `maximum` (by default the largest amount, `bounds.MAX_AMOUNT_EUR`)."""
    cleaned = value.replace(" ", "")
    digits = cleaned.lstrip("-")
    if not (digits.isascii() and digits.isdigit()) or cleaned.count("-") > 1 or "-" in cleaned[1:]:
        raise RowError(f"'{column}' moet een geheel getal zijn, niet '{value}'.")
    if len(digits.lstrip("0")) > len(str(maximum)):  # before int(): no huge conversions
        raise RowError(f"'{column}' mag niet groter zijn dan {maximum} (gevonden: '{value[:30]}').")
    number = int(cleaned)
    if minimum is not None and number < minimum:
        raise RowError(f"'{column}' mag niet kleiner zijn dan {minimum} (gevonden: {number}).")
    if number > maximum:
        raise RowError(f"'{column}' mag niet groter zijn dan {maximum} (gevonden: {number}).")
    return number


def parse_year(value: str, column: str, *, minimum: int = bounds.MIN_YEAR, maximum: int = bounds.MAX_YEAR) -> int:
    year = parse_int(value, column, minimum=None, maximum=99999)
    problem = bounds.year_problem(year, minimum=minimum, maximum=maximum)
    if problem:
        raise RowError(f"'{column}': {problem[0].lower()}{problem[1:]}")
    return year


def parse_yes_no(value: str, column: str) -> bool:
    lowered = value.lower()
    if lowered in ("ja", "j", "yes", "true", "1"):
        return True
    if lowered in ("nee", "n", "no", "false", "0"):
        return False
    raise RowError(f"'{column}' moet 'ja' of 'nee' zijn, niet '{value}'.")


def require_value(row: dict, column: str) -> str:
    value = row.get(column, "")
    if not value:
        raise RowError(f"'{column}' is leeg.")
    return value
