"""The components (onderdelen) of the brede SPUK and the IZA budget line, with their spending conditions.

The conditions are quoted from the GALA (Gezond en Actief Leven Akkoord, 2022): chapter 3 under
"De SPUK-middelen die gemeenten kunnen aanvragen, worden ingezet voor…" (and the equivalent phrases
"VWS stelt met de SPUK financiële middelen beschikbaar…", "Via de brede SPUK kunnen gemeenten…") and
chapter 3G onderdeel II (the ketenaanpakken). Where the GALA gives no separate spending text for a
component, the text cites the GALA's description of the component and says so.
"""

from dataclasses import dataclass

SPORT, HEALTH, GENERAL, IZA, TOTAL = (
    "Sport en bewegen", "Gezondheid en sociale basis", "Algemeen", "IZA", "Brede SPUK (één regel)",
)
THEMES = [SPORT, HEALTH, GENERAL, IZA, TOTAL]

# The 2025/2026 brede SPUK is one accounting line ("ontschotting"): a budget line over all components.
TOTAL_NUMBER = 0
IZA_NUMBER = 1


@dataclass(frozen=True)
class ComponentData:
    regulation: str
    number: int
    name: str
    theme: str
    spending_conditions: str
    is_mandatory: bool = False
    is_total: bool = False


_KETEN_COORDINATIE = (
    "Coördinatiekosten om de ketenaanpak binnen de gemeente in te richten, met tenminste zorgverzekeraars "
    "en relevante (zorg)professionals."
)

COMPONENTS = [
    ComponentData("brede_spuk", 1, "Lokaal sportakkoord", SPORT, (
        "GALA hoofdstuk 3 (Sport en bewegen), acties VWS: \"VWS stelt financiële middelen beschikbaar aan "
        "gemeenten voor de uitvoering van de afspraken zoals verwoord in het Sportakkoord II met de Regeling "
        "SPUK.\""
    )),
    ComponentData("brede_spuk", 2, "Brede regeling combinatiefuncties (BRC)", SPORT, (
        "GALA hoofdstuk 3 (Sport en bewegen), acties VWS: \"VWS stelt extra middelen beschikbaar voor de Brede "
        "Regeling Combinatiefuncties. Hiermee worden ook middelen beschikbaar gesteld voor de inzet van een "
        "Sport-Preventie coördinator die de verbinding kan leggen tussen Sportakkoord II, GALA en eventuele "
        "andere rijksprogramma's zoals School en Omgeving, Maatschappelijke Diensttijd en Leefbaarheid en "
        "Veiligheid.\" en \"VWS faciliteert de inzet van buurtsport- en cultuurcoaches via de middelen in de "
        "SPUK.\" Hoofdstuk 3C: \"Via de SPUK kunnen gemeenten een bijdrage ontvangen voor het inzetten van een "
        "buurtcoach sport en cultuur.\""
    )),
    ComponentData("brede_spuk", 3, "Terugdringen gezondheidsachterstanden", HEALTH, (
        "GALA hoofdstuk 3, acties VWS: \"VWS stelt middelen beschikbaar voor de aanpak van "
        "gezondheidsachterstanden. Deze middelen, die voorheen bekend stonden als GIDS-gelden, worden met "
        "ingang van 2023 via de SPUK verdeeld over alle gemeenten.\" Gemeenten \"bieden gelijke "
        "gezondheidskansen en passen differentiatie toe bij interventies, toegespitst op (wijken met) mensen "
        "met gezondheidsachterstanden.\""
    )),
    ComponentData("brede_spuk", 4, "Kansrijke Start", HEALTH, (
        "GALA hoofdstuk 3A: De SPUK-middelen die gemeenten kunnen aanvragen, worden ingezet voor het:\n"
        "- Vormen, versterken en behouden van lokale coalities kansrijke start en;\n"
        "- Vaker inzetten van interventies kansrijke start, ten behoeve van (aankomende) gezinnen in een "
        "kwetsbare situatie. Het gaat om erkende interventies uit de menukaart Kansrijke Start en;\n"
        "- Maken van regionale samenwerkingsafspraken rondom kansrijke start."
    )),
    ComponentData("brede_spuk", 5, "Mentale gezondheid", HEALTH, (
        "GALA hoofdstuk 3 (Mentale gezondheid), acties VWS: VWS stimuleert gemeenten om onder meer in te "
        "zetten op beweegactiviteiten, cultuur en andere gezonde activiteiten in de buurt gericht op ontmoeting "
        "en zingeving; aan de slag te gaan om sporten en bewegen voor ouderen te combineren en zo eenzaamheid "
        "tegen te gaan; in te zetten op het versterken van de sociale en pedagogische basis ter ondersteuning "
        "van de mentale gezondheid van jonge mensen. \"VWS stelt financiële middelen beschikbaar aan gemeenten "
        "voor de uitvoering van bovengenoemde afspraken met de Regeling SPUK.\""
    )),
    ComponentData("brede_spuk", 6, "Overgewicht en obesitas (ketenaanpak kinderen, GLI)", HEALTH, (
        "GALA hoofdstuk 3G onderdeel II.\n"
        "Gecombineerde leefstijlinterventie: De SPUK-middelen die gemeenten kunnen aanvragen, worden ingezet "
        "voor coördinatiekosten om de ketenaanpak in te richten, met tenminste zorgverzekeraars en relevante "
        "(zorg)professionals.\n"
        "Aanpak overgewicht en obesitas kinderen: De SPUK-middelen die gemeenten kunnen aanvragen, worden "
        "ingezet voor:\n"
        "- Inzet van gemeentelijke functionarissen (al dan niet via opdracht) voor de uitvoering van het "
        "Landelijk model ketenaanpak voor kinderen met overgewicht en obesitas.\n"
        "- Lokale monitoring en evaluatie. Bij de monitoring kan gebruik gemaakt worden van de indicatorenset "
        "voor de aanpak Kind naar Gezonder Gewicht (onderdeel van JOGG) die ontwikkeld is door het RIVM.\n"
        "- Voor een goed werkende ketenaanpak kan het zijn dat er aanvullende leefstijlinterventies nodig zijn "
        "die buiten de vergoeding van de Zvw vallen. In dat geval zorgt de gemeente voor de beschikbaarheid "
        "van passend aanbod. Hierbij kan gebruik gemaakt worden van de databank Loket Gezond Leven."
    )),
    ComponentData("brede_spuk", 7, "Valpreventie", HEALTH, (
        "GALA hoofdstuk 3G onderdeel II. Gemeenten die een SPUK aanvragen, vragen in elk geval middelen aan "
        "voor valpreventie. De SPUK-middelen die gemeenten kunnen aanvragen, worden ingezet voor:\n"
        "- Het aanbod van de onderdelen van de ketenaanpak die thuis horen in sociaal/publiek domein: het "
        "opsporen van ouderen en het vaststellen van de valrisico van deze groep; het equiperen en voorlichten "
        "van de mantelzorgers bij het opsporen en ondersteunen van ouderen met een verhoogd valrisico; het "
        "aanbieden van erkende beweeginterventies zoals op loketgezondleven.nl van het RIVM; het gedeeltelijk "
        "compenseren van ouderen die een woningaanpassing nodig hebben.\n"
        f"- {_KETEN_COORDINATIE}\n"
        "Naast de ketenaanpak valpreventie is er ook ruimte voor het aanbieden van daarop aansluitende "
        "beweegactiviteiten voor 65-plussers die geen verhoogd valrisico hebben en het aanbieden van andere "
        "door het RIVM erkende valpreventieprogramma's."
    ), is_mandatory=True),
    ComponentData("brede_spuk", 8, "Leefomgeving", HEALTH, (
        "GALA hoofdstuk 3B: Via de brede SPUK kunnen gemeenten een bijdrage aanvragen zodat gewerkt kan worden "
        "aan maatregelen in de fysieke leefomgeving die bijdragen aan een gezonde leefstijl met de nadruk op "
        "meer beweging. Met deze financiële bijdrage kunnen gemeenten activiteiten organiseren om de samenhang "
        "tussen het sociale en fysieke domein te versterken, de fysieke leefomgeving beweegvriendelijker, "
        "gezonder en duurzamer te maken en leren werken met datagedreven ontwerpprincipes. Dat kan door het "
        "inzetten van iemand die gezondheid meer op de kaart zet bij lokale afwegingen binnen het fysieke "
        "domein of door concrete toepassingen zoals een wandelvriendelijke omgeving, speelplaatsen en "
        "schaduwrijke (speel)plekken."
    )),
    ComponentData("brede_spuk", 9,
                  "Opgroeien in een Kansrijke Omgeving (OKO) & vroegsignalering alcoholproblematiek", HEALTH, (
        "GALA hoofdstuk 3D: VWS stelt met de SPUK financiële middelen beschikbaar aan gemeenten. Deze middelen "
        "mogen ingezet worden voor:\n"
        "- Het aanstellen van een projectleider voor het projectmanagement (planning, coördinatie en "
        "budgettering) voor het opzetten en uitvoeren van het programma Opgroeien in een Kansrijke Omgeving "
        "en/of het programma Vroegsignalering Alcoholproblematiek;\n"
        "- Monitoring van de lokale uitvoering en bijdrage van informatie aan landelijke monitor;\n"
        "- Het uitvoeren van interventies, waarbij zoveel mogelijk gebruik gemaakt wordt van interventies uit "
        "de databank van het Centrum Gezond Leven van het RIVM."
    )),
    ComponentData("brede_spuk", 10, "Versterken sociale basis (wijkaanpak en woonvormen)", HEALTH, (
        "GALA hoofdstuk 3C: \"Met de SPUK worden aan gemeenten extra financiële middelen beschikbaar gesteld om "
        "het sociaal netwerk en de positie van de mantelzorger verdergaand te versterken. Het doel is om een "
        "sterke sociale basis te organiseren waarin mensen omzien naar elkaar en hulpvragen (niet direct zorg "
        "gerelateerd) met en voor elkaar oplossen.\" Gemeenten versterken nog nadrukkelijker de inzet van de "
        "sociale basis en de algemene voorzieningen als passende laagdrempelige maatschappelijke ondersteuning; "
        "elke gemeente heeft uiterlijk in 2024 een beleidsvisie op de sociale basis, met aandacht voor "
        "gebiedsgerichte uitvoering."
    )),
    ComponentData("brede_spuk", 11, "Mantelzorg (respijtzorg)", HEALTH, (
        "GALA hoofdstuk 3C: Gemeenten gaan in de periode 2023 – 2026 mantelzorgers extra ondersteunen bij het "
        "uitvoeren van hun zorgtaken, bijvoorbeeld door het verbeteren van de toegang tot regelingen en "
        "ondersteuningsvormen, of door het versterken van het steunpunt mantelzorg en het toegankelijker maken "
        "van informatie en advies. Gemeenten werken aan het versterken en doorontwikkelen van hun "
        "respijtzorgaanbod om in samenspraak met de mantelzorgers het respijtzorgaanbod beter aan te laten "
        "sluiten op de vraag en behoefte van de mantelzorgers. In het plan van aanpak voor de SPUK wordt dit "
        "concreet uitgewerkt."
    )),
    ComponentData("brede_spuk", 12, "Eén tegen eenzaamheid", HEALTH, (
        "GALA hoofdstuk 3C: Gemeenten zetten in op een lokale aanpak eenzaamheid langs de vijf pijlers: "
        "bestuurlijk commitment, een sterk netwerk creëren, mensen met gevoelens van eenzaamheid zelf "
        "betrekken, aan een duurzame aanpak werken en monitoring en evaluatie organiseren."
    )),
    ComponentData("brede_spuk", 13, "Welzijn op recept", HEALTH, (
        "GALA hoofdstuk 3G onderdeel II. De SPUK-middelen die gemeenten kunnen aanvragen, worden ingezet voor:\n"
        "- Het welzijnsaanbod in de wijk verder te versterken zodat het aanbod o.a. met het oog op de groep "
        "mensen die met het verder scheiden van wonen en zorg thuis blijft wonen, het opstarten van "
        "WOR-trajecten in gemeenten waar dit nu nog niet gebeurt en het inkopen van WOR-trajecten;\n"
        "- Het aanbod van de onderdelen van de ketenaanpak die geen Zvw-zorg betreffen;\n"
        f"- {_KETEN_COORDINATIE}"
    )),
    ComponentData("brede_spuk", 14, "Versterking kennis- en adviesfunctie GGD", GENERAL, (
        "GALA hoofdstuk 4A: het plan van aanpak beschrijft onder meer \"de inzet van de advies- en "
        "kennisfunctie van de GGD\". Bijlage IZA (kennisfunctie): inzet van de GGD als kennispartner bij het "
        "opstellen, actualiseren en periodiek herijken van het regioplan en regiobeeld, en door inzet van de "
        "kennisfunctie van de GGD gemeenten ondersteunen bij het opstellen en uitvoeren van een lokaal "
        "gemeentelijk plan van aanpak voor preventie in de zorg, leefstijl en gezond leven."
    )),
    ComponentData("brede_spuk", 15, "Coördinatiekosten regionale aanpak preventie", GENERAL, (
        "GALA hoofdstuk 3G onderdeel I: \"Voor gemeenten zijn per 2023 via een SPUK middelen beschikbaar om de "
        "regionale samenwerking te intensiveren en verder vorm te geven.\" In de mandaatstructuur van gemeenten "
        "is een financiële regeling opgenomen waarop de gemandateerde gemeente aanspraak kan maken ten dienste "
        "van de regionale preventie infrastructuur; deze is in beginsel gebaseerd op de brede SPUK."
    )),
    ComponentData("brede_spuk", TOTAL_NUMBER, "Brede SPUK (één begrotingsregel vanaf 2025)", TOTAL, (
        "Vanaf 2025 wordt de brede SPUK op één regel verantwoord in plaats van per onderdeel (ontschotting). "
        "De middelen blijven bestemd voor de activiteiten van de onderdelen 1 tot en met 15 uit het GALA; "
        "valpreventie blijft verplicht."
    ), is_total=True),
    ComponentData("spuk_iza", IZA_NUMBER, "IZA-middelen (regionaal)", IZA, (
        "GALA bijlage IZA: de IZA-middelen zijn bedoeld voor onder meer: organisatie en coördinatie van de "
        "regionale samenwerking met zorgverzekeraars, zorgkantoren en zorgaanbieders op basis van de regionale "
        "samenwerkingsagenda / het regioplan; structurele inzet (organisatie, coördinatie, bemensing) op de "
        "netwerksamenwerking van het sociaal domein met in ieder geval de ggz, de eerstelijnszorg en de "
        "huisartsenzorg; structurele inzet op de coördinatie en organisatie van de in IZA afgesproken "
        "domeinoverstijgende keteninterventies; inrichten en bemensen van een dekkend netwerk van "
        "laagdrempelige steunpunten in de regio voor mensen met psychische kwetsbaarheid; regionaal stimuleren "
        "van de inzet van e-health-toepassingen, anonieme hulplijnen en vormen van digitale/hybride zorg; extra "
        "inzet van gemeenten voortkomend uit het gezamenlijke, aan IZA gekoppelde, regioplan. NB: Gemeenten "
        "dragen er zorg voor dat de inzet van de IZA-middelen niet dubbelt met de andere middelen die met de "
        "brede SPUK beschikbaar worden gesteld. Dit dient herleidbaar te zijn bij de verantwoording."
    )),
]
