"""What differs per regulation, as one definition each: its code and names, who applies (a gemeente or a
region) and who must declare, the years and the year from which one budget line applies, what can be applied
for and what a decision line is about, the steps, the plan sections and review elements, the completeness
checks, the figure that caps the request, the reference prefix and the SiSa codes.

Every other module asks the definition (`definition(code)`, or `application.definition`); a regulation is
added by registering a definition (`register`), never by copying a flow or comparing regulation codes.
Where the GALA is silent, the attribute's comment says where the rule comes from or that it is portal policy.
"""

import datetime
from dataclasses import dataclass

from budgets import ledger
from budgets.models import Component, Regulation
from budgets.selectors import selectable_components
from spukportal.prepared import PreparedQuery

from . import plan, rules
from .applicants import MunicipalityApplicant, RegionApplicant


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    url_name: str


@dataclass(frozen=True)
class CheckItem:
    """One line of the checklist before submitting: complete or not, and which step (and anchor) fixes it."""

    key: str
    label: str
    complete: bool
    step: str
    anchor: str = ""
    problem: str = ""


@dataclass(frozen=True)
class Stage:
    """One stage of a regulation's application, as its source describes it. A period is for the stage whose
    `plan_required` it has (`ApplicationPeriod.plan_required`). A provisional stage's grant is replaced by the
    definitive grant of the stage that continues it; the continuing application starts from the earlier one's
    plan lines and texts (`carry_sections`: (from key, to key) pairs), and the earlier versions stay readable."""

    key: str
    label: str
    plan_required: bool
    provisional: bool = False  # its grant is provisional: the continuing stage's definitive grant replaces it
    continues: str = ""  # the key of the stage whose granted application this stage continues
    carry_sections: tuple = ()
    source: str = ""


class ApplicantKind:
    """Who applies for a regulation (stored on the application; the database checks that it fits)."""

    MUNICIPALITY = "gemeente"
    REGION = "regio"
    CHOICES = [(MUNICIPALITY, "Gemeente"), (REGION, "IZA-regio")]


class RegulationDefinition:
    code: str
    label: str
    label_in_sentence = ""  # after "de": "brede SPUK", "SPUK IZA" (default: the label)
    legal_name: str  # the regulation's name in law, as the decision letter and the SiSa appendix print it
    agreement: str  # the agreement it rests on, as the decision letter names it
    applicant_kind: str  # ApplicantKind
    first_year, last_year = 2023, 2026  # the years the regulation runs (GALA)
    one_line_from_year: int  # from this year the grant is one budget line for the whole regulation
    reference_prefix: str  # of the application's kenmerk and the decision's (BS-2024.2-…, VWS-2024-BS-…)
    sisa_code: str  # the SiSa specification code of the appendix
    sisa_transfer_code = ""  # SiSa code of the amounts passed on to member gemeenten ("" = none)
    sisa_codes_source = ""  # where the SiSa codes come from
    carry_over_year: int | None = None  # the one year whose unspent grant may partly move to the next
    components_intro = ""  # the explanation above the first step's form
    mandatory_hint = ""
    one_line_name = ""  # the dashboards' name of the one budget line (default: the label)
    # Does the kerngroep advise on a change request before the ministry decides on it? Portal policy: the GALA
    # is silent on amendments (the kerngroep advises on applications, so it advises on changes to them where
    # the regulation's applications go through it as a region's plan).
    amendment_needs_advice = False

    stages: tuple[Stage, ...] = ()  # empty: every period's application is granted definitively on its own

    def stage_of(self, period) -> Stage | None:
        """The stage an application in `period` is in (None for a regulation without stages)."""
        return next((s for s in self.stages if s.plan_required == period.plan_required), None)

    def stage(self, key: str) -> Stage | None:
        return next((s for s in self.stages if s.key == key), None)

    @property
    def name_in_sentence(self) -> str:
        return self.label_in_sentence or self.label

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    def per_component(self, year: int) -> bool:
        """Is the grant of `year` split per component (else one line for the whole regulation)?"""
        return year < self.one_line_from_year

    @property
    def by_region(self) -> bool:
        return self.applicant_kind == ApplicantKind.REGION

    # -- what a budget and a decision line are about ----------------------------------------------------
    # "components": the applicant chooses components and amounts per year; "plan_lines": the applicant writes
    # its own budget lines (activity, regional or local for a member gemeente).
    budget = "components"

    lines_may_touch_components_of = ""  # plan_lines: the regulation whose components a line may touch

    @property
    def budget_in_lines(self) -> bool:
        return self.budget == "plan_lines"

    # -- who applies -------------------------------------------------------------------------------
    def applicant_of(self, application):
        raise NotImplementedError

    def reference_date(self, period) -> datetime.date:
        """The day on which membership and mandate count for a period: the day it opens."""
        return period.opens_on

    # -- what is applied for -------------------------------------------------------------------------
    def components(self, regulation):
        """The components one chooses in the application (none for a regulation without choices)."""
        return Component.objects.none()

    def all_components(self):
        return Component.objects.filter(regulation=self.code)

    def one_line_components(self):
        """The components whose allocation caps the whole request of a year, not one component (a QuerySet)."""
        raise NotImplementedError

    def one_line_component_ids(self) -> set[int]:
        return set(_ONE_LINE_IDS.run(of=self))

    def components_in_order(self) -> list:
        """`components` of this regulation in number order, as every application's components, plan and checklist
        show them."""
        return _COMPONENTS_IN_ORDER.run(of=self)

    def caps(self, application) -> rules.Caps | None:
        """The cap of this application: the applicant's amounts in the period's allocation run (None: no run
        linked, no cap yet)."""
        run = application.period.allocation_run
        if run is None:
            return None
        # A page asks for it several times (the rows, the year totals, the form): worked out once per loaded
        # application and run. A finished run's amounts do not change.
        memo = application.__dict__.setdefault("_caps_by_run", {})
        if run.pk not in memo:
            memo[run.pk] = rules.Caps.from_allocations(application.applicant.allocation_amounts(run),
                                                       self.one_line_component_ids())
        return memo[run.pk]

    def plan_sections(self, application, applied_components):
        raise NotImplementedError

    # -- the steps and the checklist ------------------------------------------------------------------
    def first_steps(self, period) -> list[Step]:
        raise NotImplementedError

    def has_plan(self, period) -> bool:
        return any(step.key == "plan" for step in self.first_steps(period))

    def steps(self, period) -> list[Step]:
        return [*self.first_steps(period),
                Step("ondertekening", "Ondertekening", "applications:signature"),
                Step("bijlagen", "Bijlagen", "applications:attachments"),
                Step("indienen", "Controleren en indienen", "applications:submit")]

    def own_checks(self, application, rows, sections, extra) -> list[CheckItem]:
        raise NotImplementedError

    def checklist(self, application, rows, sections, *, has_signed_pdf: bool, extra=None) -> list[CheckItem]:
        """Everything that must be complete before the application can be submitted."""
        items = self.own_checks(application, rows, sections, extra or {})
        items.append(CheckItem("toestemming", "Toestemming landelijke monitoring", application.monitoring_consent,
                               "ondertekening", anchor="#id_monitoring_consent",
                               problem="geef toestemming voor gebruik in de landelijke monitoring"))
        missing = [label for label, value in [("naam", application.signatory_name),
                                              ("functie", application.signatory_role),
                                              ("datum", application.signed_on)] if not value]
        items.append(CheckItem("ondertekening", "Ondertekenaar", not missing, "ondertekening",
                               problem="nog in te vullen: " + ", ".join(missing) if missing else ""))
        items.append(CheckItem("ondertekende_pdf", "Ondertekende aanvraag (pdf)", has_signed_pdf, "bijlagen",
                               problem="upload de ondertekende aanvraag als pdf"))
        return items

    def element_texts(self, snapshot, elements) -> dict[str, list[tuple[str, str]]]:
        """What the applicant wrote for each review element, from the version assessed: (title, text) pairs of the
        plan sections whose key is the element's or starts with it (`onderdeel-7` → its `onderdeel-7-doelen`
        and `-uitvoering`), and for a component not applied for (`onderdeel-7-niet`) the reason given."""
        sections = [s for s in snapshot.get("sections", []) if s.get("text", "").strip()]
        reasons = {f"onderdeel-{c['number']}-niet": c.get("reason", "") for c in snapshot.get("components", [])
                   if not c.get("applied")}
        texts = {}
        for element in elements:
            found = [(s["title"], s["text"]) for s in sections
                     if s["key"] == element.key or s["key"].startswith(element.key + "-")]
            if reasons.get(element.key):
                found.append(("Reden om dit onderdeel niet aan te vragen", reasons[element.key]))
            texts[element.key] = found
        return texts

    @staticmethod
    def _section_check(key, label, entries, step="plan") -> CheckItem:
        empty = [d for d, s in entries if not (s and s.text.strip())]
        return CheckItem(key, label, not empty, step, anchor=f"#sectie-{empty[0].key}" if empty else "",
                         problem="nog in te vullen: " + rules.summarize([d.title for d in empty]) if empty else "")


@dataclass(frozen=True)
class ReviewElement:
    """One element the kerngroep gives a verdict on (key stored in `AssessmentItem.key`)."""

    key: str
    label: str


class BredeSpuk(RegulationDefinition):
    code = Regulation.BREDE_SPUK
    label = "Brede SPUK"
    label_in_sentence = "brede SPUK"
    legal_name = ("Regeling specifieke uitkering sport en bewegen, gezondheidsbevordering, cultuurparticipatie en "
                  "de sociale basis 2023–2026")
    agreement = ("het Gezond en Actief Leven Akkoord (GALA) van 23 december 2022, hoofdstuk 4A "
                 "(de brede specifieke uitkering)")
    applicant_kind = ApplicantKind.MUNICIPALITY
    one_line_from_year = 2025  # ontschotting: one accounting line from 2025 (VWS letter 12-09-2025; not the GALA)
    reference_prefix = "BS"  # portal policy
    amendment_needs_advice = False  # portal policy (the GALA is silent on amendments)
    sisa_code = "H4"
    sisa_codes_source = "aangenomen (portaalbeleid); de GALA noemt geen SiSa-code voor de brede SPUK"
    # 2025 → 2026: at most 10% of the 2025 grant. Source: VWS letter "Wijziging SPUK IZA en Brede SPUK" of
    # 12-09-2025 (4190863-1084972-DMO); the GALA says nothing about carrying money over.
    carry_over_year = 2025
    one_line_name = "Brede SPUK (één regel, alle onderdelen)"
    components_intro = ("Kies welke onderdelen uw gemeente aanvraagt en vul per jaar het bedrag in (in hele euro's, "
                        "bijvoorbeeld 1.234.567). U kunt niet meer aanvragen dan de toekenning aan uw gemeente. Geef "
                        "bij elk onderdeel dat u niet aanvraagt kort aan waarom.")
    mandatory_hint = "Valpreventie is verplicht."

    def applicant_of(self, application):
        return MunicipalityApplicant(application.municipality)

    def components(self, regulation):
        return selectable_components(regulation)

    def one_line_components(self):
        return self.all_components().filter(is_total=True)

    def plan_sections(self, application, applied_components):
        return plan.sections_for(applied_components)

    def first_steps(self, period):
        steps = [Step("onderdelen", "Onderdelen en bedragen", "applications:components")]
        if period.plan_required:
            steps.append(Step("plan", "Plan van aanpak", "applications:plan"))
        return steps

    def review_elements(self, snapshot) -> list[ReviewElement]:
        """The seven GALA 4A elements, each component applied for, and each one not applied for (its reason)."""
        elements = [ReviewElement(d.key, f"GALA 4A: {d.title}") for d in plan.GALA_ELEMENTS]
        for c in snapshot["components"]:
            if c["applied"]:
                elements.append(ReviewElement(f"onderdeel-{c['number']}", f"Onderdeel {c['number']}: {c['name']} "
                                                                           "(aangevraagd: doelen en uitvoering)"))
            else:
                elements.append(ReviewElement(f"onderdeel-{c['number']}-niet", f"Onderdeel {c['number']}: "
                                                                               f"{c['name']} (niet aangevraagd: reden)"))
        return elements

    def own_checks(self, application, rows, sections, extra):
        problems = [p.summary for p in rules.choice_problems(
            (r["component"], r["choice"].applied, any(y["amount"] for y in r["years"]), r["choice"].reason_not_applied)
            for r in rows)]
        if not rows:
            problems.append("er zijn geen onderdelen om aan te vragen")
        elif not any(r["choice"].applied for r in rows):
            problems.append("kies ten minste één onderdeel")
        items = [CheckItem("onderdelen", "Onderdelen en bedragen", not problems, "onderdelen",
                           problem=rules.summarize(problems))]
        if application.period.plan_required:
            by_group = {}
            for d, s in sections:
                by_group.setdefault(d.group, []).append((d, s))
            for group, label in plan.CHECKLIST_GROUPS:
                entries = by_group.get(group, [])
                if group == plan.GROUP_COMPONENTS and not entries:
                    items.append(CheckItem(group, label, False, "onderdelen", problem="kies eerst de onderdelen"))
                else:
                    items.append(self._section_check(group, label, entries))
        return items


class SpukIza(RegulationDefinition):
    code = Regulation.SPUK_IZA
    label = "SPUK IZA"
    legal_name = "Regeling specifieke uitkering IZA-doelen 2023–2026"
    agreement = ("het Gezond en Actief Leven Akkoord (GALA) van 23 december 2022, paragraaf 3G en bijlage 2 "
                 "(de regionale preventie-infrastructuur en de IZA-middelen)")
    applicant_kind = ApplicantKind.REGION
    one_line_from_year = RegulationDefinition.first_year  # one regional line in every year
    reference_prefix = "IZA"  # portal policy
    amendment_needs_advice = True  # portal policy (the GALA is silent on amendments)
    sisa_code = "H35"
    sisa_transfer_code = "H35B"
    # The GALA only says the IZA money is accounted "volgens de SiSa-systematiek" (bijlage 2, stap 4); the codes
    # themselves are set each year in the SiSa appendix (Regeling bijlagen Financiële-verhoudingswet, art. 17a Fvw).
    sisa_codes_source = ("SiSa-bijlage bij de Financiële-verhoudingswet (art. 17a): H35 en H35B voor de SPUK IZA, "
                         "overgenomen uit de domeinbeschrijving; het GALA noemt geen code (controleer per jaar)")
    # GALA Bijlage 2: for 2023 an application "op hoofdlijnen" (step 4); by 31 Dec 2023 the same application is
    # completed with regioplan, governance and plan van aanpak (step 5); after assessment of that final application
    # the money is granted definitively (step 6). So the first grant is provisional and the definitive one
    # replaces it.
    stages = (
        Stage("hoofdlijnen", "Aanvraag op hoofdlijnen", plan_required=False, provisional=True,
              source="GALA, bijlage 2, stap 4"),
        Stage("completering", "Completering", plan_required=True, continues="hoofdlijnen",
              carry_sections=(("iza-werkagenda", "iza-plan"),), source="GALA, bijlage 2, stap 5 en 6"),
    )
    budget = "plan_lines"
    # A line may touch a component of the brede SPUK (then it explains why that is no double funding).
    lines_may_touch_components_of = Regulation.BREDE_SPUK
    components_intro = ("Zet per onderdeel van het regioplan de gemeentelijke inzet en het budget per jaar op een "
                        "regel, regionaal of lokaal (bij lokaal: voor welke gemeente in de regio). Samen kunnen de "
                        "regels per jaar niet meer zijn dan de toekenning aan de regio. Raakt een regel een onderdeel "
                        "van de brede SPUK, leg dan uit waarom dit geen dubbele financiering is.")

    def applicant_of(self, application):
        return RegionApplicant(application.region, self.reference_date(application.period))

    def one_line_components(self):
        return self.all_components()

    def plan_sections(self, application, applied_components):
        return plan.iza_sections(application.period.plan_required)

    def first_steps(self, period):
        return [Step("begroting", "Begroting regionaal en lokaal", "applications:lines"),
                Step("plan", "Regioplan en governance" if period.plan_required else "Werkagenda", "applications:plan"),
                Step("verklaringen", "Mandaatverklaringen", "applications:declarations")]

    def review_elements(self, snapshot) -> list[ReviewElement]:
        """The regioplan, governance (or the werkagenda of stage 1), the plan lines, the lines that touch the
        brede SPUK (no double funding) and the mandate declarations."""
        elements = [ReviewElement(s["key"], s["title"]) for s in snapshot["sections"]]
        elements += [ReviewElement("iza-begroting", "Begroting: regionale en lokale regels binnen de toekenning"),
                     ReviewElement("iza-dubbele-financiering",
                                   "Regels die een onderdeel van de brede SPUK raken: geen dubbele financiering"),
                     ReviewElement("iza-verklaringen", "Mandaatverklaringen van alle andere gemeenten")]
        return elements

    def own_checks(self, application, rows, sections, extra):
        lines = extra.get("lines", [])
        problems = [] if lines else ["voeg ten minste één begrotingsregel toe"]
        problems += list(extra.get("line_problems", {}).values())
        items = [CheckItem("begroting", "Begroting regionaal en lokaal", not problems, "begroting",
                           problem=rules.summarize(problems))]
        items.append(self._section_check("plan", "Regioplan en governance" if application.period.plan_required
                                         else "Werkagenda", sections))
        missing = extra.get("missing_declarations", [])
        items.append(CheckItem("verklaringen", "Mandaatverklaringen van de gemeenten", not missing, "verklaringen",
                               problem="ontbreekt nog van " + rules.summarize([m.name for m in missing], limit=5)
                               if missing else ""))
        return items


BREDE_SPUK = BredeSpuk()
SPUK_IZA = SpukIza()
# Asked on every page of an application (its cap, components, plan and checklist): per definition (a shape of the
# query), SQL written once (spukportal/prepared.py).
_ONE_LINE_IDS = PreparedQuery(lambda *, of: of.one_line_components().values_list("pk", flat=True))
_COMPONENTS_IN_ORDER = PreparedQuery(lambda *, of: of.components(of.code).order_by("number"))

DEFINITIONS = {d.code: d for d in [BREDE_SPUK, SPUK_IZA]}
for _definition in DEFINITIONS.values():
    ledger.know_regulation(_definition)  # the ledger's line keys follow the definition


def definition(code: str) -> RegulationDefinition:
    return DEFINITIONS[code]


def all_definitions() -> list[RegulationDefinition]:
    return list(DEFINITIONS.values())


def codes(*, applicant_kind: str | None = None) -> list[str]:
    """The codes of the registered regulations (of one applicant kind)."""
    return [d.code for d in DEFINITIONS.values() if applicant_kind is None or d.applicant_kind == applicant_kind]


def choices() -> list[tuple[str, str]]:
    """(code, label) of every registered regulation, for model fields and filters."""
    return [(d.code, d.label) for d in DEFINITIONS.values()]


def register(regulation: RegulationDefinition) -> RegulationDefinition:
    """Make a regulation known to the portal (a test registers its own and removes it with `unregister`)."""
    DEFINITIONS[regulation.code] = regulation
    ledger.know_regulation(regulation)
    return regulation


def unregister(code: str) -> None:
    DEFINITIONS.pop(code, None)
    ledger.forget_regulation(code)
