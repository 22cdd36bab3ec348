"""What differs per regulation, as one definition each: who applies, what can be applied for, the steps,
the plan sections, the completeness checks and the figure that caps the request.

The shared services, selectors, views and templates read the definition; a regulation is added by adding
a definition here (the SPUK IZA issue adds `SPUK_IZA`), never by copying a flow.
"""

from dataclasses import dataclass
from typing import Callable

from budgets.models import Component, Regulation
from budgets.selectors import selectable_components

from . import plan, rules
from .applicants import MunicipalityApplicant


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
class RegulationDefinition:
    code: str
    label: str
    applicant_of: Callable  # (application) -> applicant
    components: Callable  # (regulation code) -> queryset of the components one can apply for
    plan_sections: Callable  # (applied components) -> [SectionDef]
    components_intro: str  # the explanation above the components form
    mandatory_hint: str  # shown when some components are mandatory

    def steps(self, period) -> list[Step]:
        steps = [Step("onderdelen", "Onderdelen en bedragen", "applications:components")]
        if period.plan_required:
            steps.append(Step("plan", "Plan van aanpak", "applications:plan"))
        steps += [Step("ondertekening", "Ondertekening", "applications:signature"),
                  Step("bijlagen", "Bijlagen", "applications:attachments"),
                  Step("indienen", "Controleren en indienen", "applications:submit")]
        return steps

    def caps(self, application) -> rules.Caps | None:
        """The cap of this application: the applicant's amounts in the period's allocation run (None: no run
        linked, no cap yet)."""
        run = application.period.allocation_run
        if run is None:
            return None
        totals = set(self.all_components().filter(is_total=True).values_list("pk", flat=True))
        return rules.Caps.from_allocations(application.applicant.allocation_amounts(run), totals)

    def all_components(self):
        return Component.objects.filter(regulation=self.code)

    def checklist(self, application, rows, sections, *, has_signed_pdf: bool) -> list[CheckItem]:
        """Everything that must be complete before the application can be submitted."""
        items = []
        problems = [p.summary for p in rules.choice_problems(
            (r["component"], r["choice"].applied, any(y["amount"] for y in r["years"]), r["choice"].reason_not_applied)
            for r in rows)]
        if not rows:
            problems.append("er zijn geen onderdelen om aan te vragen")
        elif not any(r["choice"].applied for r in rows):
            problems.append("kies ten minste één onderdeel")
        items.append(CheckItem("onderdelen", "Onderdelen en bedragen", not problems, "onderdelen",
                               problem=rules.summarize(problems)))
        if application.period.plan_required:
            by_group = {}
            for d, s in sections:
                by_group.setdefault(d.group, []).append((d, s))
            for group, label in plan.CHECKLIST_GROUPS:
                entries = by_group.get(group, [])
                if group == plan.GROUP_COMPONENTS and not entries:
                    items.append(CheckItem(group, label, False, "onderdelen", problem="kies eerst de onderdelen"))
                    continue
                empty = [d for d, s in entries if not (s and s.text.strip())]
                items.append(CheckItem(
                    group, label, not empty, "plan", anchor=f"#sectie-{empty[0].key}" if empty else "",
                    problem="nog in te vullen: " + rules.summarize([d.title for d in empty]) if empty else ""))
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


BREDE_SPUK = RegulationDefinition(
    code=Regulation.BREDE_SPUK,
    label="Brede SPUK",
    applicant_of=lambda application: MunicipalityApplicant(application.municipality),
    components=selectable_components,
    plan_sections=plan.sections_for,
    components_intro="Kies welke onderdelen uw gemeente aanvraagt en vul per jaar het bedrag in (in hele euro's, "
                     "bijvoorbeeld 1.234.567). U kunt niet meer aanvragen dan de toekenning aan uw gemeente. Geef bij "
                     "elk onderdeel dat u niet aanvraagt kort aan waarom.",
    mandatory_hint="Valpreventie is verplicht.",
)

DEFINITIONS = {d.code: d for d in [BREDE_SPUK]}


class NotSupported(Exception):
    """A regulation that has no definition yet: the portal cannot take applications for it."""


def definition(code: str) -> RegulationDefinition:
    try:
        return DEFINITIONS[code]
    except KeyError:
        raise NotSupported(f"Aanvragen voor de regeling ‘{Regulation(code).label}’ kunnen nog niet via het "
                           "portaal worden ingediend.") from None
