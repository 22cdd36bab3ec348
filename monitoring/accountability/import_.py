"""Import of prior grants (beschikkingen of DUS-I from before the portal) by ministry staff: a CSV with
cbs_code,regeling,jaar,onderdeel,bedrag,kenmerk. Whole or nothing, Dutch errors with the line number
(spukportal.csv_import). A row for an existing (gemeente, regeling, jaar, onderdeel) updates its amount."""

from applications import regulations
from budgets.models import Component
from regions.models import MandateHolder, Municipality
from spukportal.csv_import import CREATED, UNCHANGED, UPDATED, CsvImporter, RowError, parse_int, parse_year, require_value

from .. import ledger_posting
from ..models import PriorGrant


class PriorGrantImporter(CsvImporter):
    label = "eerdere toekenningen"
    columns = ("cbs_code", "regeling", "jaar", "onderdeel", "bedrag", "kenmerk")
    audit_action = "import.eerdere_toekenningen"

    def __init__(self, **options):
        super().__init__(**options)
        self.municipalities = {m.cbs_code: m for m in Municipality.objects.all()}
        self.components = {(c.regulation, c.number): c for c in Component.objects.all()}

    def parse(self, row, line):
        code = require_value(row, "cbs_code").upper()
        municipality = self.municipalities.get(code)
        if municipality is None:
            raise RowError(f"onbekende gemeente '{code[:20]}'.")
        regulation = require_value(row, "regeling").lower()
        if regulation not in regulations.codes():
            raise RowError(f"'regeling' moet {' of '.join(regulations.codes())} zijn, niet '{regulation[:30]}'.")
        the = regulations.definition(regulation)
        year = parse_year(row["jaar"], "jaar", minimum=the.first_year, maximum=the.last_year)
        component = None
        if row["onderdeel"]:
            number = parse_int(row["onderdeel"], "onderdeel", minimum=1, maximum=99)
            component = self.components.get((regulation, number))
            if component is None:
                raise RowError(f"onbekend onderdeel {number} van de {the.label}.")
        elif the.per_component(year):
            raise RowError(f"tot en met {the.one_line_from_year - 1} wordt de {the.name_in_sentence} per onderdeel "
                           "toegekend: vul 'onderdeel' in.")
        amount = parse_int(require_value(row, "bedrag"), "bedrag")
        reference = require_value(row, "kenmerk")
        if len(reference) > 40:
            raise RowError("'kenmerk' is langer dan 40 tekens.")
        region = None
        if the.by_region:
            holder = MandateHolder.objects.filter(municipality=municipality).order_by("-valid_from").first()
            if holder is None:
                raise RowError(f"{municipality.name} is geen mandaathouder van een IZA-regio; de {the.name_in_sentence} "
                               "wordt aan de mandaathouder toegekend.")
            region = holder.region
        return {"municipality": municipality, "region": region, "regulation": regulation, "year": year,
                "component": component, "amount": amount, "reference": reference}

    def check_all(self, parsed):
        seen = {}
        for line, v in parsed:
            key = (v["municipality"].pk, v["regulation"], v["year"], v["component"] and v["component"].pk)
            if key in seen:
                self.fail(line, f"dezelfde toekenning staat ook op regel {seen[key]}.")
            seen[key] = line

    def apply(self, value):
        actor = self.options.get("actor")
        existing = PriorGrant.objects.filter(municipality=value["municipality"], regulation=value["regulation"],
                                             year=value["year"], component=value["component"]).first()
        if existing is None:
            ledger_posting.post_prior_grant(PriorGrant.objects.create(**value, imported_by=actor), by=actor)
            return CREATED
        if (existing.amount, existing.reference, existing.region_id) == (value["amount"], value["reference"],
                                                                        value["region"] and value["region"].pk):
            return UNCHANGED
        old_group = ledger_posting.prior_grant_group(existing)
        moved = (existing.reference, existing.region_id) != (value["reference"], value["region"] and value["region"].pk)
        existing.amount, existing.reference, existing.region = value["amount"], value["reference"], value["region"]
        existing.imported_by = actor
        existing.save(update_fields=["amount", "reference", "region", "imported_by"])
        if moved:
            ledger_posting.prior_grant_moved(old_group, existing, by=actor)
        ledger_posting.post_prior_grant(existing, by=actor)  # the beschikking anew
        return UPDATED
