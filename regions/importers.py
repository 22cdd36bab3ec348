"""CSV imports of the reference data, in the formats of data/reference/ (see its README)."""

import datetime
import re

from django.utils.text import slugify

from spukportal import bounds
from spukportal.csv_import import CsvImporter, RowError, parse_int, parse_year, parse_yes_no, require_value

from . import services
from .models import CBS_CODE_REGEX, KVK_NUMBER_REGEX, OIN_REGEX, PROVINCES, Municipality, Region
from .selectors import MANDATE_DEADLINE


def _cbs_code(row):
    code = require_value(row, "cbs_code").upper()
    if not re.match(CBS_CODE_REGEX, code):
        raise RowError(f"'{code}' is geen geldige CBS-code (verwacht 'GM' en vier cijfers, bijv. GM0034).")
    return code


def _check_unique(importer, parsed, key, what):
    seen = {}
    for line, value in parsed:
        k = key(value)
        if k in seen:
            importer.fail(line, f"{what} '{k}' staat dubbel in het bestand (ook op regel {seen[k]}).")
        seen[k] = line


class MunicipalityImporter(CsvImporter):
    label = "gemeenten"
    columns = ("cbs_code", "naam", "provincie")
    # For eHerkenning (e.g. from an export of the COR): an empty or absent value leaves what the beheer set.
    optional_columns = ("kvk_nummer", "oin")
    audit_action = "import.gemeenten"

    def parse(self, row, line):
        province = require_value(row, "provincie")
        if province not in PROVINCES:
            raise RowError(f"onbekende provincie '{province}' (kies uit: {', '.join(PROVINCES)}).")
        value = {"cbs_code": _cbs_code(row), "name": require_value(row, "naam"), "province": province}
        for column, field, regex, message in (("kvk_nummer", "kvk_number", KVK_NUMBER_REGEX, "8 cijfers"),
                                              ("oin", "oin", OIN_REGEX, "20 cijfers")):
            if row.get(column):
                if not re.fullmatch(regex, row[column]):
                    raise RowError(f"{column} '{row[column]}' is ongeldig (verwacht: {message}).")
                value[field] = row[column]
        return value

    def check_all(self, parsed):
        _check_unique(self, parsed, lambda v: v["cbs_code"], "CBS-code")
        _check_unique(self, [(line, v) for line, v in parsed if v.get("kvk_number")], lambda v: v["kvk_number"],
                      "KVK-nummer")
        _check_unique(self, [(line, v) for line, v in parsed if v.get("oin")], lambda v: v["oin"], "OIN")

    def apply(self, value):
        return services.municipality_upsert(**value)


class StatisticsImporter(CsvImporter):
    label = "statistieken"
    columns = ("cbs_code", "peiljaar", "inwoners", "inwoners_gezondheidsachterstand", "bron_inwoners",
               "bron_gezondheidsachterstand")
    audit_action = "import.statistieken"

    def parse(self, row, line):
        year = parse_year(require_value(row, "peiljaar"), "peiljaar", minimum=bounds.MIN_STATISTICS_YEAR)
        population = parse_int(require_value(row, "inwoners"), "inwoners", minimum=1)
        disadvantage = parse_int(
            require_value(row, "inwoners_gezondheidsachterstand"), "inwoners_gezondheidsachterstand"
        )
        if disadvantage > population:
            raise RowError(
                f"'inwoners_gezondheidsachterstand' ({disadvantage}) is groter dan 'inwoners' ({population})."
            )
        return {
            "cbs_code": _cbs_code(row), "reference_year": year, "population": population,
            "population_health_disadvantage": disadvantage,
            "source_population": require_value(row, "bron_inwoners"),
            "source_health_disadvantage": require_value(row, "bron_gezondheidsachterstand"),
        }

    def check_all(self, parsed):
        _check_unique(self, parsed, lambda v: f"{v['cbs_code']} {v['reference_year']}", "gemeente en peiljaar")
        self.municipalities = dict(Municipality.objects.values_list("cbs_code", "pk"))
        for line, value in parsed:
            if value["cbs_code"] not in self.municipalities:
                self.fail(line, f"onbekende gemeente {value['cbs_code']}: importeer eerst de gemeenten.")

    def apply(self, value):
        value = dict(value)
        return services.statistics_upsert(municipality_id=self.municipalities[value.pop("cbs_code")], **value)


def _date_option(value, name):
    if isinstance(value, datetime.date):
        return value
    try:
        date = datetime.date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise RowError(f"ongeldige datum voor {name}: '{value}' (gebruik JJJJ-MM-DD).") from exc
    problem = bounds.date_problem(date)
    if problem:
        raise RowError(f"{name}: {problem}")
    return date


class RegionImporter(CsvImporter):
    """iza_regios.csv: regio, mandaathouder, mandaathouder_is_gemeente (+ optional signatory columns).

    A changed mandate holder closes the previous one the day before the new one starts."""

    label = "IZA-regio's en mandaathouders"
    columns = ("regio", "mandaathouder", "mandaathouder_is_gemeente")
    optional_columns = ("ondertekenaar_naam", "ondertekenaar_functie", "bekendgemaakt_op")
    audit_action = "import.regios"
    # Without a date in the file or on the command line: the GALA's date (Bijlage 2: every region makes its mandate
    # holder known by 30 June 2023). The shipped file names the holders of the VWS letter of 12 Sep 2025 and dates
    # them 30 June 2023 (data/reference/README.md): the sources name no other holders before them.
    default_announced_on = MANDATE_DEADLINE
    default_source = ("VWS-brief 12-09-2025 (4190863-1084972-DMO), bijlage 2B; bekendgemaakt uiterlijk 30-06-2023 "
                      "(GALA, bijlage 2)")

    def parse(self, row, line):
        announced = row.get("bekendgemaakt_op") or self.options.get("announced_on") or self.default_announced_on
        return {
            "region": require_value(row, "regio"),
            "holder": require_value(row, "mandaathouder"),
            "is_municipality": parse_yes_no(require_value(row, "mandaathouder_is_gemeente"),
                                            "mandaathouder_is_gemeente"),
            "signatory_name": row.get("ondertekenaar_naam", ""),
            "signatory_role": row.get("ondertekenaar_functie", ""),
            "announced_on": _date_option(announced, "bekendgemaakt_op"),
        }

    def check_all(self, parsed):
        _check_unique(self, parsed, lambda v: v["region"], "regio")
        _check_unique(self, parsed, lambda v: slugify(v["region"]), "korte naam van regio")
        by_name = {}
        for pk, name in Municipality.objects.values_list("pk", "name"):
            by_name.setdefault(name, []).append(pk)
        for line, value in parsed:
            value["municipality_id"] = None
            if value["is_municipality"]:
                matches = by_name.get(value["holder"], [])
                if len(matches) != 1:
                    reason = "bestaat niet" if not matches else "is niet eenduidig"
                    self.fail(line, f"mandaathouder '{value['holder']}' {reason} als gemeente.")
                value["municipality_id"] = matches[0]

    def apply(self, value):
        return services.mandate_holder_set(
            region_name=value["region"], municipality_id=value["municipality_id"],
            organisation_name="" if value["is_municipality"] else value["holder"],
            signatory_name=value["signatory_name"], signatory_role=value["signatory_role"],
            announced_on=value["announced_on"], source=self.options.get("source") or self.default_source)


class MembershipImporter(CsvImporter):
    """iza_regio_gemeenten.csv: regio, cbs_code, naam. A gemeente that moves to another region ends its
    previous membership the day before the new one starts."""

    label = "lidmaatschap IZA-regio's"
    columns = ("regio", "cbs_code", "naam")
    audit_action = "import.regiolidmaatschap"
    default_valid_from = datetime.date(2023, 1, 1)

    def parse(self, row, line):
        return {"region": require_value(row, "regio"), "cbs_code": _cbs_code(row), "name": require_value(row, "naam")}

    def check_all(self, parsed):
        _check_unique(self, parsed, lambda v: v["cbs_code"], "gemeente")
        municipalities = {m.cbs_code: m for m in Municipality.objects.all()}
        regions = dict(Region.objects.values_list("name", "pk"))
        for line, value in parsed:
            municipality = municipalities.get(value["cbs_code"])
            if municipality is None:
                self.fail(line, f"onbekende gemeente {value['cbs_code']}: importeer eerst de gemeenten.")
            if municipality.name != value["name"]:
                self.fail(line, f"{value['cbs_code']} heet '{municipality.name}', niet '{value['name']}'.")
            if value["region"] not in regions:
                self.fail(line, f"onbekende regio '{value['region']}': importeer eerst de regio's.")
            value["municipality_id"], value["region_id"] = municipality.pk, regions[value["region"]]
        self.valid_from = _date_option(self.options.get("valid_from") or self.default_valid_from, "geldig vanaf")

    def apply(self, value):
        return services.membership_set(municipality_id=value["municipality_id"], region_id=value["region_id"],
                                       valid_from=self.valid_from, name=value["name"])
