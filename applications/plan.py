"""The sections of the plan van aanpak, mirroring the official template (GALA 4A and the brede SPUK
template). Keys are stored in the database and never change."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionDef:
    key: str
    title: str
    help: str
    group: str  # completeness item the section belongs to


GROUP_START = "uitgangssituatie"
GROUP_COMPONENTS = "per_onderdeel"
GROUP_GALA = "gala_elementen"
GROUP_MONITORING = "monitoring"
GROUP_COHERENCE = "samenhang"

GROUP_LABELS = {
    GROUP_START: "Uitgangssituatie",
    GROUP_COMPONENTS: "Per aangevraagd onderdeel",
    GROUP_GALA: "De zeven elementen van het plan (GALA 4A)",
    GROUP_MONITORING: "Voortgang",
    GROUP_COHERENCE: "Samenhang",
    "iza": "Regioplan, governance en werkagenda (SPUK IZA)",
}

START = SectionDef(
    "uitgangssituatie", "Waar staat de gemeente nu",
    "Beschrijf de huidige situatie: de gezondheid van uw inwoners, wat er al gebeurt en waar u de "
    "grootste opgave ziet.", GROUP_START,
)

GALA_ELEMENTS = [
    SectionDef("gala-doelen", "Samenhang met de doelen van het GALA",
               "De samenhang tussen de doelen en de afgesproken acties in het GALA, met speciale aandacht voor de "
               "vraag hoe u (wijken met) mensen met gezondheidsachterstanden bereikt.", GROUP_GALA),
    SectionDef("gala-domeinen", "Verbinding met het sociale en fysieke domein",
               "De verbinding met de lokale aanpak in het sociale en fysieke domein.", GROUP_GALA),
    SectionDef("gala-regio", "Regionale preventie-infrastructuur",
               "Samenwerkingsafspraken binnen de regionale preventie-infrastructuur met zorgverzekeraars en "
               "zorgpartijen.", GROUP_GALA),
    SectionDef("gala-lokaal", "Afspraken met lokale partijen",
               "Samenwerkingsafspraken met lokale partijen (binnen een preventie- en/of sportakkoord waar dit aan "
               "de orde is).", GROUP_GALA),
    SectionDef("gala-nota", "Lokale nota gezondheidsbeleid",
               "De verbinding met de lokale nota gezondheidsbeleid.", GROUP_GALA),
    SectionDef("gala-ggd", "Advies- en kennisfunctie van de GGD",
               "De inzet van de advies- en kennisfunctie van de GGD.", GROUP_GALA),
    SectionDef("gala-bewoners", "Betrokkenheid van bewoners",
               "De betrokkenheid van bewoners en bewonersinitiatieven.", GROUP_GALA),
]

MONITORING = SectionDef(
    "monitoring", "Voortgangsmonitoring",
    "Hoe volgt u de voortgang van de afgesproken resultaten, en met wie bespreekt u die?", GROUP_MONITORING,
)
COHERENCE = SectionDef(
    "samenhang", "Samenhang en synergie",
    "Hoe versterken de aangevraagde onderdelen elkaar, en hoe voorkomt u versnippering?", GROUP_COHERENCE,
)


def component_sections(component) -> list[SectionDef]:
    n = component.number
    return [
        SectionDef(f"onderdeel-{n}-doelen", f"{component.number}. {component.name}: doelen en resultaten",
                   "Welke doelen wilt u met dit onderdeel bereiken en welke resultaten spreekt u af?",
                   GROUP_COMPONENTS),
        SectionDef(f"onderdeel-{n}-uitvoering", f"{component.number}. {component.name}: uitvoering en partners",
                   "Doelgroepen, wijken, fasering over de jaren, en de lokale en regionale partners.",
                   GROUP_COMPONENTS),
    ]


def sections_for(applied_components) -> list[SectionDef]:
    """All sections of a plan, in template order, for the components applied for."""
    result = [START]
    for component in applied_components:
        result += component_sections(component)
    return result + GALA_ELEMENTS + [MONITORING, COHERENCE]


CHECKLIST_GROUPS = [
    (GROUP_START, "Waar staat de gemeente nu"),
    (GROUP_COMPONENTS, "Doelen, uitvoering en partners per onderdeel"),
    (GROUP_GALA, "De zeven elementen van GALA 4A"),
    (GROUP_MONITORING, "Voortgangsmonitoring"),
    (GROUP_COHERENCE, "Samenhang en synergie"),
]


def is_known_key(key: str) -> bool:
    """Could `key` be the key of a section of some plan (whatever components are applied for)?"""
    if key in {s.key for s in [START, MONITORING, COHERENCE, *GALA_ELEMENTS, *IZA_OUTLINE, *IZA_COMPLETION]}:
        return True
    parts = key.split("-")
    return len(parts) == 3 and parts[0] == "onderdeel" and parts[1].isdigit() and parts[2] in ("doelen", "uitvoering")


# --- SPUK IZA (GALA Bijlage 2): stage 1 "op hoofdlijnen", stage 2 the completion -----------------------

GROUP_IZA = "iza"

IZA_OUTLINE = [
    SectionDef("iza-werkagenda", "Werkagenda als basis",
               "De regionale werkagenda waarop de aanvraag rust, en per activiteit een realistische inschatting "
               "van de kosten (de bedragen zelf staan bij de begroting).", GROUP_IZA),
]
IZA_COMPLETION = [
    SectionDef("iza-regioplan", "Regioplan",
               "Het regioplan: de opgaven van de regio en de afspraken met zorgverzekeraars en zorgpartijen.",
               GROUP_IZA),
    SectionDef("iza-governance", "Regio-governance",
               "Hoe het mandaat is geregeld en hoe de regio stuurt: wie besluit, hoe de gemeenten betrokken zijn "
               "en hoe de middelen worden verdeeld.", GROUP_IZA),
    SectionDef("iza-plan", "Plan van aanpak: de gemeentelijke inzet",
               "Per relevant onderdeel van het regioplan de gemeentelijke inzet; het budget per jaar, regionaal "
               "of lokaal, staat bij de begroting.", GROUP_IZA),
]


def iza_sections(plan_required: bool) -> list[SectionDef]:
    """Stage 1 (period without full plan): the werkagenda; stage 2: regioplan, governance and plan."""
    return IZA_COMPLETION if plan_required else IZA_OUTLINE
