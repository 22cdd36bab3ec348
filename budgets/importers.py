"""CSV imports of the budgets app (formats of data/reference/, see its README). All-or-nothing, via CsvImporter.

Budget versions are never changed once stored: importing a file again with the same figures changes
nothing, with other figures it fails and asks for a new version.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction

from regions.models import CBS_CODE_REGEX, Municipality
from spukportal import audit, bounds
from spukportal.csv_import import CREATED, UNCHANGED, CsvImporter, RowError, parse_int, parse_year, require_value

from .components import IZA_NUMBER
from .models import (
    BudgetLine, BudgetMutation, BudgetVersion, Component, FixedAmount,
    Regulation,
)

MILLION = Decimal(1_000_000)
GALA_SOURCE = "GALA (Gezond en Actief Leven Akkoord), hoofdstuk 4A, tabel onderdelen en budgetten (EUR mln, afgerond)"
GALA_DATE = datetime.date(2022, 12, 23)
LETTER_SOURCE = "VWS-brief 12-09-2025 (4190863-1084972-DMO)"
LETTER_DATE = datetime.date(2025, 9, 12)


def parse_millions(value: str, column: str) -> int:
    """'89,3' or '89.3' (EUR mln) → 89300000 euros, exactly; at most `bounds.MAX_AMOUNT_EUR`."""
    try:
        amount = Decimal(value.replace(",", ".")) * MILLION
    except InvalidOperation as exc:
        raise RowError(f"'{column}' moet een bedrag in miljoenen zijn, niet '{value}'.") from exc
    if not amount.is_finite() or "e" in value.lower():
        raise RowError(f"'{column}' moet een bedrag in miljoenen zijn, niet '{value}'.")
    if abs(amount) > bounds.MAX_AMOUNT_EUR:
        raise RowError(f"'{column}' ({value} mln) is groter dan het grootste toegestane bedrag "
                       f"(€ {bounds.MAX_AMOUNT_EUR:,}).".replace(",", "."))
    if amount != amount.to_integral_value():
        raise RowError(f"'{column}' ({value} mln) is geen geheel aantal euro's.")
    return int(amount)


def _column_year(match, column) -> int:
    """The year in a column name such as 'bedrag_2025', within `bounds` (the header is line 1)."""
    return parse_year(match.group(1), f"jaar in kolomnaam {column}")


def _regulation(row):
    value = require_value(row, "regeling")
    if value not in Regulation.values:
        raise RowError(f"onbekende regeling '{value}' (kies uit: {', '.join(Regulation.values)}).")
    return value


def _component(regulation, number):
    component = Component.objects.filter(regulation=regulation, number=number).first()
    if component is None:
        raise RowError(f"onbekend onderdeel {number} van {regulation}: laad eerst de onderdelen.")
    return component


class VersionImporter(CsvImporter):
    """Base: one file makes (at most) one budget version. Subclasses fill `lines` (and mutations)."""

    version_name = ""
    version_kind = ""
    source = ""
    source_date = None
    based_on_name = None
    description = ""

    def run(self, path, *, actor=None, dry_run=False):
        self.lines: dict[tuple[int, int], int] = {}
        self.mutation_rows: list[dict] = []
        with transaction.atomic():
            result = super().run(path, actor=actor, dry_run=True)  # parse and check; nothing kept
            result.dry_run = dry_run
            outcome = self.store(actor) if not dry_run else (UNCHANGED if self.exists() else CREATED)
            result.counts.clear()
            result.counts[outcome] += 1
        return result

    def apply(self, value):
        self.collect(value)
        return UNCHANGED

    @property
    def base_name(self):
        return self.options.get("based_on") or self.based_on_name

    def exists(self):
        return BudgetVersion.objects.filter(name=self.options.get("name") or self.version_name).exists()

    def derived_lines(self) -> dict[tuple[int, int], int]:
        return dict(self.lines)

    def store(self, actor) -> str:
        name = self.options.get("name") or self.version_name
        lines = self.derived_lines()
        existing = BudgetVersion.objects.filter(name=name).first()
        if existing is not None:
            stored = {(cid, year): amount for cid, year, amount in existing.lines.values_list(
                "component_id", "year", "amount")}
            if stored != lines:
                self.fail(None, f"begrotingsversie '{name}' bestaat al met andere bedragen; versies worden nooit "
                                "overschreven: geef de nieuwe versie een eigen naam.")
            return UNCHANGED
        based_on = BudgetVersion.objects.filter(name=self.base_name).first() if self.base_name else None
        if self.base_name and based_on is None:
            self.fail(None, f"deze wijziging bouwt voort op '{self.base_name}'; importeer die eerst.")
        version = BudgetVersion.objects.create(
            name=name, kind=self.version_kind, based_on=based_on, source=self.options.get("source") or self.source,
            source_date=self.options.get("source_date") or self.source_date, description=self.description,
        )
        BudgetLine.objects.bulk_create(
            BudgetLine(version=version, component_id=cid, year=year, amount=amount)
            for (cid, year), amount in sorted(lines.items())
        )
        BudgetMutation.objects.bulk_create(BudgetMutation(version=version, **m) for m in self.mutation_rows)
        audit.record(actor=actor, action="begroting.versie_vastgelegd", obj=version,
                     message=f"Begrotingsversie '{version}' vastgelegd ({len(lines)} regels).",
                     details={"bron": version.source, "bestand": self.path.name})
        return CREATED


class GalaBudgetImporter(VersionImporter):
    """gala_spuk_begroting.csv: onderdeel_nr,onderdeel,hoofdthema,regeling,2023,2024,2025,2026,structureel."""

    label = "begroting GALA"
    columns = ("onderdeel_nr", "onderdeel", "regeling", "2023", "2024", "2025", "2026")
    audit_action = "import.begroting"
    version_name = "GALA-basisbegroting 2023–2026"
    version_kind = BudgetVersion.Kind.BASE
    source = GALA_SOURCE
    source_date = GALA_DATE
    description = "De budgetten per onderdeel uit het GALA (afgerond op 0,1 mln), inclusief de IZA-middelen."
    years = (2023, 2024, 2025, 2026)

    def parse(self, row, line):
        regulation = _regulation(row)
        number = require_value(row, "onderdeel_nr")
        number = IZA_NUMBER if number.upper() == "IZA" else parse_int(number, "onderdeel_nr", minimum=1, maximum=999)
        amounts = {year: parse_millions(row[str(year)], str(year)) for year in self.years if row.get(str(year))}
        return {"component": _component(regulation, number), "amounts": amounts}

    def collect(self, value):
        for year, amount in value["amounts"].items():
            key = (value["component"].pk, year)
            if key in self.lines:
                raise RowError(f"onderdeel {value['component']} staat dubbel in het bestand.")
            self.lines[key] = amount


def _lines_of(name):
    return {(cid, year): amount for cid, year, amount in BudgetLine.objects.filter(version__name=name)
            .values_list("component_id", "year", "amount")}


def total_component(regulation):
    """The one budget line of a regulation: its total line (the brede SPUK's from 2025), or its only
    component (the SPUK IZA's)."""
    components = Component.objects.filter(regulation=regulation)
    return components.filter(is_total=True).first() or components.get()


class MutationImporter(VersionImporter):
    """spuk_mutaties_2025_2026.csv: jaar,regeling,onderwerp,bedrag_mln,bron. From 2025 the brede SPUK is one
    line: the new version holds per regulation and year the earlier budget plus the mutations."""

    label = "begrotingsmutaties"
    columns = ("jaar", "regeling", "onderwerp", "bedrag_mln", "bron")
    audit_action = "import.begrotingsmutaties"
    version_name = "Wijziging 2025–2026 (VWS-brief 12-09-2025)"
    version_kind = BudgetVersion.Kind.AMENDMENT
    source = f"{LETTER_SOURCE}, bijlage 1"
    source_date = LETTER_DATE
    based_on_name = GalaBudgetImporter.version_name
    description = ("Mutaties 2025 en 2026 op de GALA-begroting; vanaf 2025 is de brede SPUK één regel. "
                   "Zonder loon- en prijsbijstelling.")

    def parse(self, row, line):
        amount_text = require_value(row, "bedrag_mln")
        negative = amount_text.startswith("-")
        amount = parse_millions(amount_text.lstrip("-"), "bedrag_mln")
        return {
            "year": parse_year(require_value(row, "jaar"), "jaar", minimum=2023),
            "regulation": _regulation(row), "subject": require_value(row, "onderwerp"),
            "amount": -amount if negative else amount, "source": require_value(row, "bron"),
        }

    def collect(self, value):
        self.mutation_rows.append(value)

    def derived_lines(self):
        base = _lines_of(self.base_name)
        if not base:
            self.fail(None, f"deze wijziging bouwt voort op '{self.base_name}'; importeer die eerst.")
        components = {c.pk: c for c in Component.objects.all()}
        years = {m["year"] for m in self.mutation_rows}
        lines = {k: v for k, v in base.items() if k[1] not in years}
        for year in sorted(years):
            for regulation in Regulation.values:
                total = sum(v for (cid, y), v in base.items() if y == year and components[cid].regulation == regulation)
                total += sum(m["amount"] for m in self.mutation_rows if m["year"] == year
                             and m["regulation"] == regulation)
                if total < 0:
                    self.fail(None, f"het budget van {regulation} in {year} wordt negatief.")
                lines[(total_component(regulation).pk, year)] = total
        return lines


class EstablishedTotalsImporter(VersionImporter):
    """spuk_totalen_vastgesteld_2025_2026.csv: regeling,jaar,totaal_eur,bron (one line per regulation)."""

    label = "vastgestelde totalen"
    columns = ("regeling", "jaar", "totaal_eur", "bron")
    audit_action = "import.begroting_vastgesteld"
    version_name = "Vastgestelde totalen 2025–2026 (VWS-brief 12-09-2025)"
    version_kind = BudgetVersion.Kind.ESTABLISHED
    source = f"{LETTER_SOURCE}, bijlage 2A/2B (som van de bedragen)"
    source_date = LETTER_DATE
    based_on_name = MutationImporter.version_name
    description = ("De vastgestelde totalen 2025 en 2026, inclusief loon- en prijsbijstelling; de brede SPUK is "
                   "één regel. 2023 en 2024 zoals in de vorige versie.")

    def parse(self, row, line):
        return {"regulation": _regulation(row), "year": parse_year(require_value(row, "jaar"), "jaar", minimum=2023),
                "amount": parse_int(require_value(row, "totaal_eur"), "totaal_eur")}

    def collect(self, value):
        key = (total_component(value["regulation"]).pk, value["year"])
        if key in self.lines:
            raise RowError(f"{value['regulation']} {value['year']} staat dubbel in het bestand.")
        self.lines[key] = value["amount"]

    def derived_lines(self):
        previous = _lines_of(self.base_name)
        if not previous:
            self.fail(None, f"deze versie bouwt voort op '{self.base_name}'; importeer die eerst.")
        years = {year for _, year in self.lines}
        return {**{k: v for k, v in previous.items() if k[1] not in years}, **self.lines}


class FixedAmountImporter(CsvImporter):
    """vaste_bedragen_2025_2026.csv: cbs_code,naam,regeling,vast_bedrag_YYYY… into a distribution key.
    A fixed amount applies to the regulation's one line (brede SPUK from 2025)."""

    label = "vaste bedragen"
    columns = ("cbs_code", "naam", "regeling")
    audit_action = "import.vaste_bedragen"

    def parse(self, row, line):
        code = require_value(row, "cbs_code").upper()
        municipality = Municipality.objects.filter(cbs_code=code).first()
        if municipality is None:
            raise RowError(f"onbekende gemeente {code}.")
        amounts = {}
        for column, value in row.items():
            match = re.fullmatch(r"vast_bedrag_(\d{4})", column or "")
            if match and value:
                amounts[_column_year(match, column)] = parse_int(value, column)
        return {"municipality": municipality, "component": total_component(_regulation(row)), "amounts": amounts}

    def apply(self, value):
        key = self.options["key"]
        outcome = UNCHANGED
        for year, amount in value["amounts"].items():
            existing = FixedAmount.objects.filter(key=key, municipality=value["municipality"],
                                                  component=value["component"], year=year).first()
            if existing is None:
                FixedAmount.objects.create(key=key, municipality=value["municipality"], component=value["component"],
                                           year=year, amount=amount, source=self.options.get("source", ""))
                outcome = CREATED
            elif existing.amount != amount:
                raise RowError(f"verdeelsleutel '{key}' heeft voor {value['municipality']} in {year} al een ander "
                               "vast bedrag; een sleutel wordt niet gewijzigd: maak een nieuwe sleutel.")
        return outcome


class OfficialAllocationParser(CsvImporter):
    """Reads a published table of amounts per gemeente (format of brede_spuk_bedragen_2025_2026.csv:
    cbs_code,naam,bedrag_YYYY…): every gemeente once, every amount a whole number of euros. Only parses;
    `budgets.services.official_allocation_import` stores it as a run."""

    label = "officiële toekenningen"
    columns = ("cbs_code", "naam")

    def parse(self, row, line):
        code = require_value(row, "cbs_code").upper()
        if not re.match(CBS_CODE_REGEX, code):
            raise RowError(f"'{code}' is geen geldige CBS-code.")
        amounts = {}
        for column, value in row.items():
            match = re.fullmatch(r"bedrag_(\d{4})", column or "")
            if match:
                amounts[_column_year(match, column)] = parse_int(require_value(row, column), column)
        if not amounts:
            raise RowError("geen kolommen 'bedrag_JJJJ' gevonden.")
        return {"cbs_code": code, "name": require_value(row, "naam"), "amounts": amounts}

    def check_all(self, parsed):
        municipalities = {m.cbs_code: m for m in Municipality.objects.all()}
        seen = {}
        for line, value in parsed:
            if value["cbs_code"] in seen:
                self.fail(line, f"{value['cbs_code']} staat dubbel in het bestand (ook op regel "
                                f"{seen[value['cbs_code']]}).")
            seen[value["cbs_code"]] = line
            if value["cbs_code"] not in municipalities:
                self.fail(line, f"onbekende gemeente {value['cbs_code']}.")
            if sorted(value["amounts"]) != sorted(parsed[0][1]["amounts"]):
                self.fail(line, "deze regel heeft andere jaren dan de eerste regel.")
            value["municipality"] = municipalities[value["cbs_code"]]
        missing = sorted(set(municipalities) - set(seen))
        if missing:
            self.fail(None, f"{len(missing)} gemeente(n) ontbreken in het bestand, o.a. {', '.join(missing[:5])}.")
