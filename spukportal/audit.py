"""The audit trail: call `record(...)` inside the transaction of the change it describes.

Every event code is registered once in `EVENTS`: its Dutch label, what kind of object it concerns and who
sees it in an object's timeline. `record` refuses an unregistered code.
"""

from dataclasses import dataclass

from django.db import transaction

from .models import AuditEvent
from .prepared import PreparedQuery


class Timeline:
    """Who sees an event in the timeline of its object (the full audit trail always has it)."""

    EVERYONE = "everyone"  # everyone who may see the object, the applicant included
    STAFF = "staff"  # the kerngroep and the ministry, not the applicant
    NOBODY = "nobody"  # too frequent or too technical for a timeline (e.g. every autosave)


@dataclass(frozen=True)
class EventType:
    code: str
    label: str  # what happened, in Dutch (the default message)
    concerns: str  # the kind of object, in Dutch
    timeline: str = Timeline.EVERYONE


EVENTS = {e.code: e for e in [
    # roles and the beheer pages
    EventType("rol.toegekend", "Rol toegekend", "gebruiker"),
    EventType("rol.gewijzigd", "Rol gewijzigd", "gebruiker"),
    EventType("rol.ingetrokken", "Rol ingetrokken", "gebruiker"),
    EventType("beheer.toegevoegd", "Toegevoegd via beheer", "beheerobject"),
    EventType("beheer.gewijzigd", "Gewijzigd via beheer", "beheerobject"),
    EventType("beheer.verwijderd", "Verwijderd via beheer", "beheerobject"),
    # logging in and passwords
    EventType("inloggen.mislukt", "Inloggen mislukt", "gebruiker", Timeline.NOBODY),
    EventType("inloggen.geblokkeerd", "Inloggen geblokkeerd na te veel mislukte pogingen", "gebruiker",
              Timeline.NOBODY),
    EventType("wachtwoord.gewijzigd", "Wachtwoord gewijzigd", "gebruiker", Timeline.NOBODY),
    EventType("wachtwoord.herstel_aangevraagd", "Herstel van wachtwoord aangevraagd", "gebruiker", Timeline.NOBODY),
    EventType("wachtwoord.hersteld", "Wachtwoord hersteld via e-mail", "gebruiker", Timeline.NOBODY),
    # two-factor authentication (spukportal/two_factor.py) and OIDC
    EventType("tweestap.ingesteld", "Tweestapsverificatie ingesteld", "gebruiker", Timeline.NOBODY),
    EventType("tweestap.mislukt", "Onjuiste inlogcode (tweestapsverificatie)", "gebruiker", Timeline.NOBODY),
    EventType("tweestap.herstelcode_gebruikt", "Ingelogd met een herstelcode", "gebruiker", Timeline.NOBODY),
    EventType("tweestap.herstelcodes_vernieuwd", "Nieuwe herstelcodes gemaakt", "gebruiker", Timeline.NOBODY),
    EventType("tweestap.uitgezet", "Tweestapsverificatie uitgezet", "gebruiker", Timeline.NOBODY),
    EventType("inloggen.oidc", "Ingelogd via OIDC", "gebruiker", Timeline.NOBODY),
    EventType("oidc.onbekend", "Inloggen via OIDC geweigerd: e-mailadres niet bekend", "gebruiker",
              Timeline.NOBODY),
    EventType("eherkenning.ingesteld", "eHerkenning ingesteld", "configuratie", Timeline.NOBODY),
    EventType("inloggen.eherkenning", "Ingelogd met eHerkenning", "gebruiker", Timeline.NOBODY),
    EventType("eherkenning.geweigerd", "Inloggen met eHerkenning geweigerd", "gebruiker", Timeline.NOBODY),
    EventType("eherkenning.gekoppeld", "eHerkenning gekoppeld aan een account", "gebruiker", Timeline.NOBODY),
    EventType("eherkenning.account_aangemaakt", "Account aangemaakt bij de eerste eHerkenning-login", "gebruiker",
              Timeline.NOBODY),
    # mandate holders
    EventType("gemeente.postadres_gewijzigd", "Postadres van de gemeente gewijzigd", "gemeente"),
    EventType("mandaat.medewerker_gekoppeld", "Medewerker gekoppeld aan mandaathouder", "mandaathouder"),
    EventType("mandaat.medewerker_ontkoppeld", "Medewerker ontkoppeld van mandaathouder", "mandaathouder"),
    # monitoring: ketenaanpakken, valpreventie and exports (monitoring/chains/services.py, dashboard_exports.py)
    EventType("ketenaanpak.stand_vastgelegd", "Stand van een ketenaanpak vastgelegd", "gemeente"),
    EventType("valpreventie.cijfers_vastgelegd", "Cijfers valpreventie vastgelegd", "gemeente"),
    EventType("export.aangevraagd", "Export aangevraagd", "export", Timeline.NOBODY),
    EventType("export.opnieuw", "Export opnieuw gestart", "export", Timeline.NOBODY),
    EventType("export.klaar", "Export klaar", "export", Timeline.NOBODY),
    EventType("export.mislukt", "Export mislukt", "export", Timeline.NOBODY),
    # imports of reference data
    EventType("import.gemeenten", "Gemeenten geïmporteerd", "import"),
    EventType("import.statistieken", "Statistieken geïmporteerd", "import"),
    EventType("import.regios", "IZA-regio's geïmporteerd", "import"),
    EventType("import.regiolidmaatschap", "Lidmaatschap van regio's geïmporteerd", "import"),
    EventType("import.begroting", "Begroting geïmporteerd", "import"),
    EventType("import.begrotingsmutaties", "Begrotingsmutaties geïmporteerd", "import"),
    EventType("import.begroting_vastgesteld", "Vastgestelde totalen geïmporteerd", "import"),
    EventType("import.vaste_bedragen", "Vaste bedragen geïmporteerd", "import"),
    # budgets, keys, allocation runs and reports
    EventType("begroting.versie_vastgelegd", "Begrotingsversie vastgelegd", "begrotingsversie"),
    EventType("verdeelsleutel.vastgelegd", "Verdeelsleutel vastgelegd", "verdeelsleutel"),
    EventType("verdeling.gestart", "Verdeelberekening gestart", "verdeelberekening"),
    EventType("verdeling.klaar", "Verdeelberekening klaar", "verdeelberekening"),
    EventType("verdeling.mislukt", "Verdeelberekening mislukt", "verdeelberekening"),
    EventType("verdeling.opnieuw", "Verdeelberekening opnieuw gestart", "verdeelberekening"),
    EventType("taak.niet_gestart", "Achtergrondtaak niet gestart (wachtrij niet bereikbaar)", "achtergrondtaak"),
    EventType("taak.stilgevallen", "Stilstaande achtergrondtaak als mislukt gemarkeerd", "achtergrondtaak"),
    EventType("verdeling.gepubliceerd", "Verdeelberekening zichtbaar gemaakt voor gemeenten", "verdeelberekening"),
    EventType("verdeling.vastgesteld_geimporteerd", "Officiële tabel geïmporteerd", "verdeelberekening"),
    EventType("rapport.aangevraagd", "Rapport aangevraagd", "verdeelberekening"),
    EventType("rapport.klaar", "Rapport klaar", "verdeelberekening"),
    # application periods
    EventType("periode.aangemaakt", "Aanvraagperiode aangemaakt", "aanvraagperiode"),
    EventType("periode.gewijzigd", "Aanvraagperiode gewijzigd", "aanvraagperiode"),
    EventType("periode.uitstel_verleend", "Uitstel verleend", "aanvraagperiode"),
    # applications
    EventType("aanvraag.aangemaakt", "Aanvraag aangemaakt", "aanvraag"),
    EventType("aanvraag.onderdelen_opgeslagen", "Onderdelen en bedragen opgeslagen", "aanvraag"),
    EventType("aanvraag.ondertekening_opgeslagen", "Ondertekening en toestemming opgeslagen", "aanvraag"),
    EventType("aanvraag.plan_opgeslagen", "Plan van aanpak opgeslagen", "aanvraag", Timeline.NOBODY),
    EventType("aanvraag.bijlage_toegevoegd", "Bijlage toegevoegd", "aanvraag"),
    EventType("aanvraag.bijlage_verwijderd", "Bijlage verwijderd uit het concept", "aanvraag"),
    EventType("aanvraag.uitstel_verleend", "Uitstel verleend", "aanvraag"),
    EventType("aanvraag.begroting_opgeslagen", "Begroting (regionaal en lokaal) opgeslagen", "aanvraag"),
    EventType("aanvraag.verklaring_toegevoegd", "Mandaatverklaring vastgelegd", "aanvraag"),
    EventType("aanvraag.verklaring_ingetrokken", "Mandaatverklaring ingetrokken", "aanvraag"),
    EventType("aanvraag.herinnering_verklaring", "Herinnering mandaatverklaring gestuurd", "aanvraag"),
    EventType("aanvraag.ingediend", "Aanvraag ingediend", "aanvraag"),
    EventType("aanvraag.opnieuw_ingediend", "Aangevulde aanvraag opnieuw ingediend", "aanvraag"),
    EventType("aanvraag.ingetrokken", "Aanvraag ingetrokken", "aanvraag"),
    EventType("aanvraag.in_beoordeling", "Aanvraag in beoordeling genomen", "aanvraag"),
    EventType("aanvraag.aanvulling_gevraagd", "Aanvulling gevraagd", "aanvraag"),
    EventType("aanvraag.advies_positief", "Positief advies gegeven", "aanvraag"),
    EventType("aanvraag.advies_negatief", "Negatief advies gegeven", "aanvraag"),
    EventType("aanvraag.toegekend", "Aanvraag toegekend", "aanvraag"),
    EventType("aanvraag.afgewezen", "Aanvraag afgewezen", "aanvraag"),
    # review by the kerngroep
    EventType("aanvraag.beoordelaars_toegewezen", "Beoordelaars toegewezen", "aanvraag", Timeline.STAFF),
    EventType("beoordeling.opgeslagen", "Beoordeling opgeslagen (concept)", "aanvraag", Timeline.NOBODY),
    EventType("beoordeling.voorgelegd", "Advies ter controle voorgelegd", "aanvraag", Timeline.STAFF),
    EventType("beoordeling.teruggestuurd", "Advies teruggestuurd naar de eerste beoordelaar", "aanvraag",
              Timeline.STAFF),
    EventType("aanvulling.beantwoord", "Gevraagde aanvulling beantwoord", "aanvraag"),
    EventType("opmerking.intern", "Interne opmerking geplaatst", "aanvraag", Timeline.STAFF),
    EventType("opmerking.aanvrager", "Opmerking geplaatst", "aanvraag"),

    # decisions by the ministry
    EventType("beschikking.vastgesteld", "Beschikking vastgesteld", "aanvraag"),
    EventType("beschikking.brief_klaar", "Beschikking (pdf) klaar", "aanvraag"),
    EventType("voorschot.betaald", "Voorschot als betaald vastgelegd", "aanvraag"),
    EventType("beschikking.brief_mislukt", "Beschikking (pdf) mislukt", "aanvraag", Timeline.STAFF),
    EventType("beschikking.brief_opnieuw", "Beschikking (pdf) opnieuw gestart", "aanvraag", Timeline.STAFF),
    EventType("beschikking.reeks_gestart", "Reeks beschikkingen gestart", "reeks beschikkingen"),
    EventType("beschikking.reeks_opnieuw", "Reeks beschikkingen opnieuw gestart", "reeks beschikkingen"),
    EventType("beschikking.reeks_klaar", "Reeks beschikkingen klaar", "reeks beschikkingen"),
    # change requests and amended decisions (applications/amendments)
    EventType("wijziging.aangemaakt", "Verzoek om wijziging begonnen", "aanvraag"),
    EventType("wijziging.opgeslagen", "Verzoek om wijziging opgeslagen", "aanvraag", Timeline.NOBODY),
    EventType("wijziging.ingediend", "Verzoek om wijziging ingediend", "aanvraag"),
    EventType("wijziging.ingetrokken", "Verzoek om wijziging ingetrokken", "aanvraag"),
    EventType("wijziging.advies_gevraagd", "Advies kerngroep gevraagd over een wijziging", "aanvraag"),
    EventType("wijziging.geadviseerd", "Kerngroep heeft geadviseerd over een wijziging", "aanvraag", Timeline.STAFF),
    EventType("wijziging.toegekend", "Wijziging toegekend", "aanvraag"),
    EventType("wijziging.afgewezen", "Wijziging afgewezen", "aanvraag"),
    EventType("wijziging.teruggestuurd", "Verzoek om wijziging teruggestuurd naar de aanvrager", "aanvraag"),
    EventType("wijzigingsbesluit.vastgesteld", "Wijzigingsbesluit vastgesteld", "aanvraag"),
    EventType("wijzigingsbesluit.brief_klaar", "Wijzigingsbesluit (pdf) klaar", "aanvraag"),
    EventType("wijzigingsbesluit.brief_mislukt", "Wijzigingsbesluit (pdf) mislukt", "aanvraag", Timeline.STAFF),
    EventType("wijzigingsbesluit.brief_opnieuw", "Wijzigingsbesluit (pdf) opnieuw gestart", "aanvraag",
              Timeline.STAFF),
    EventType("wijzigingsbesluit.reeks_gestart", "Reeks wijzigingsbesluiten gestart", "reeks wijzigingsbesluiten"),
    EventType("wijzigingsbesluit.reeks_opnieuw", "Reeks wijzigingsbesluiten opnieuw gestart",
              "reeks wijzigingsbesluiten"),
    EventType("wijzigingsbesluit.reeks_klaar", "Reeks wijzigingsbesluiten klaar", "reeks wijzigingsbesluiten"),

    # SiSa spending reports (monitoring/accountability/services.py)
    EventType("sisa.aangemaakt", "Verantwoording (SiSa) aangemaakt", "verantwoording"),
    EventType("sisa.opgeslagen", "Verantwoording (SiSa) opgeslagen", "verantwoording"),
    EventType("sisa.ingediend", "Verantwoording (SiSa) ingediend", "verantwoording"),
    EventType("sisa.correctie_gestart", "Correctie van de verantwoording gestart (nieuwe versie)", "verantwoording"),
    EventType("sisa.vervangen", "Verantwoording vervangen door een correctie", "verantwoording"),
    EventType("sisa.bijlage_klaar", "SiSa-bijlage (pdf) klaar", "verantwoording"),
    EventType("sisa.bijlage_mislukt", "SiSa-bijlage (pdf) mislukt", "verantwoording"),
    EventType("sisa.bijlage_opnieuw", "SiSa-bijlage (pdf) opnieuw gestart", "verantwoording"),
    EventType("import.eerdere_toekenningen", "Eerdere toekenningen (van vóór het portaal) geïmporteerd", "import"),
    EventType("sisa.reeks_gestart", "Landelijke SiSa-set gestart", "landelijke SiSa-set"),
    EventType("sisa.reeks_opnieuw", "Landelijke SiSa-set opnieuw gestart", "landelijke SiSa-set"),
    EventType("sisa.reeks_klaar", "Landelijke SiSa-set klaar", "landelijke SiSa-set"),

    # determinations (vaststellingen) and their reclaim (monitoring/determination/services.py)
    EventType("vaststelling.concept", "Vaststelling als concept gemaakt", "vaststelling", Timeline.STAFF),
    EventType("vaststelling.vastgesteld", "Vastgesteld", "vaststelling"),
    EventType("vaststelling.terugvordering_verzonden", "Terugvordering verzonden", "vaststelling"),
    EventType("vaststelling.ontvangen", "Terugvordering ontvangen of verrekend", "vaststelling"),
    EventType("vaststelling.geen_terugvordering", "Afgesloten zonder terugvordering", "vaststelling"),
    EventType("vaststelling.brief_klaar", "Vaststellingsbrief (pdf) klaar", "vaststelling"),
    EventType("vaststelling.brief_mislukt", "Vaststellingsbrief (pdf) mislukt", "vaststelling", Timeline.STAFF),
    EventType("vaststelling.brief_opnieuw", "Vaststellingsbrief (pdf) opnieuw gestart", "vaststelling", Timeline.STAFF),
    EventType("vaststelling.reeks_gestart", "Reeks vaststellingen gestart", "reeks vaststellingen"),
    EventType("vaststelling.reeks_klaar", "Reeks vaststellingen klaar", "reeks vaststellingen"),
    EventType("vaststelling.reeks_opnieuw", "Reeks vaststellingen opnieuw gestart", "reeks vaststellingen"),

    # notifications, receipts and comments

    # the open API (api/services.py): tokens made and revoked in the beheer, refused tokens
    EventType("api.token_aangemaakt", "API-token aangemaakt", "API-token", Timeline.NOBODY),
    EventType("api.token_ingetrokken", "API-token ingetrokken", "API-token", Timeline.NOBODY),
    EventType("api.token_geweigerd", "API-token geweigerd", "API-token", Timeline.NOBODY),

]}


def action_label(code: str) -> str:
    """The Dutch name of an event code ("aanvraag.ingediend" -> "Aanvraag ingediend"); an unknown code as it is."""
    event = EVENTS.get(code)
    return event.label if event else code


def object_type_label(object_type: str) -> str:
    """The Dutch name of a stored object type ("monitoring.spendingreport" -> "Verantwoording"): the model's
    verbose name; an unknown type as it is."""
    from django.apps import apps
    from django.utils.text import capfirst

    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(capfirst(model._meta.verbose_name))


def _object_type(obj) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def record(*, actor, action: str, obj=None, object_type: str = "", object_id="", message: str = "",
           details: dict | None = None) -> AuditEvent:
    """Append one audit event. Must run inside the transaction that makes the change, so that the
    change and its record commit or roll back together. `action` must be registered in `EVENTS`; the
    message defaults to its label."""
    if action not in EVENTS:
        raise ValueError(f"Unregistered audit event {action!r}: add it to spukportal.audit.EVENTS")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must be called inside transaction.atomic()")
    if obj is not None:
        object_type = object_type or _object_type(obj)
        object_id = object_id or obj.pk
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_name=(user.get_username() if user else (str(actor) if actor else "systeem"))[:150],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=(str(obj) if obj is not None else "")[:255],
        message=(message or EVENTS[action].label)[:500],
        details=details or {},
    )


# On every application page (its timeline): SQL written once per kind of object (spukportal/prepared.py).
_EVENTS = PreparedQuery(lambda object_id, *, object_type: AuditEvent.objects.filter(
    object_type=object_type, object_id=object_id).select_related("actor").order_by("timestamp", "id"))


def events_for(obj) -> list:
    """Every event of one object, oldest first."""
    return _EVENTS.run(str(obj.pk), object_type=_object_type(obj))


def timeline(obj, *, staff: bool):
    """The events of one object that its timeline shows: to staff (kerngroep, ministry) or to everyone else
    who may see the object (the applicant)."""
    shown = {Timeline.EVERYONE, Timeline.STAFF} if staff else {Timeline.EVERYONE}
    return [e for e in events_for(obj) if e.action in EVENTS and EVENTS[e.action].timeline in shown]
