"""Demo data of the applications app; called by `manage.py load_demo_data` (idempotent).

- a closed period "2023 (op hoofdlijnen)" without plan van aanpak and the period "2024–2026" (plan required,
  open until 31 March 2027), both linked to the budgets demo run;
- SPUK IZA: the closed 2023 period "op hoofdlijnen" and the completion period (open), both from 1 July 2023 (the
  mandate holders are known by 30 June 2023), linked to the IZA demo run; Flevoland's completion in draft;
- Almere: a draft with some sections filled; Lelystad and Kerkrade: submitted, with a signed PDF.
Without the budgets reference data (components) only the periods are made."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from budgets.models import AllocationRun, Component, Regulation
from regions.models import Municipality, Region
from spukportal.models import Role, RoleAssignment
from spukportal.pdf import html_to_pdf

from .intake import selectors, services
from .models import Application, ApplicationPeriod
from .review import services as review

DEMO_RUN = "Demo: GALA-basisbegroting 2023–2026"
IZA_RUN = "Demo: SPUK IZA 2023–2026"
IZA_OUTLINE_PERIOD = "SPUK IZA 2023 (op hoofdlijnen)"
IZA_PERIOD = "SPUK IZA 2023–2026 (uitwerking)"
# GALA, bijlage 2: every region makes its mandate holder known by 30 June 2023 (the shipped reference data dates the
# holders so); the IZA periods open the day after.
IZA_OPENS_ON = datetime.date(2023, 7, 1)

TEXTS = {
    "uitgangssituatie": "Uit de gezondheidsmonitor blijkt dat in drie wijken het aandeel inwoners met een "
                        "slechte ervaren gezondheid bijna twee keer zo hoog is als gemiddeld. Het lokale "
                        "preventieakkoord loopt sinds 2022; daar bouwen we op voort.",
    "gala-doelen": "We richten de aanpakken eerst op de wijken met de grootste gezondheidsachterstanden en "
                   "werken daar met sleutelfiguren uit de wijk.",
    "gala-domeinen": "Het plan hangt samen met de Wmo-aanpak, het armoedebeleid en de herinrichting van de "
                     "openbare ruimte (beweegvriendelijke wijken).",
    "gala-regio": "In de IZA-regio maken we afspraken met de zorgverzekeraar over de valpreventieketen en "
                  "de GLI.",
    "gala-lokaal": "Sportverenigingen, welzijnsorganisatie en huisartsen nemen deel aan het lokale "
                   "preventie- en sportakkoord.",
    "gala-nota": "De aanpak volgt de lokale nota gezondheidsbeleid 2024–2027.",
    "gala-ggd": "De GGD adviseert over de keuze van interventies en levert de wijkcijfers.",
    "gala-bewoners": "Bewonersinitiatieven krijgen een eigen budget; bewoners denken mee in wijkpanels.",
    "monitoring": "Twee keer per jaar bespreken we de voortgang met de partners aan de hand van de "
                  "afgesproken resultaten.",
    "samenhang": "Valpreventie, sportakkoord en welzijn op recept delen één loket in de wijk.",
}


def _say(stdout, text):
    if stdout:
        stdout.write(text)


def _signed_pdf(municipality, signatory) -> bytes:
    html = (f"<html lang='nl'><head><title>Ondertekende aanvraag {municipality.name}</title></head><body>"
            f"<h1>Aanvraag brede SPUK 2024–2026</h1><p>Gemeente {municipality.name} "
            f"({municipality.cbs_code}) vraagt de specifieke uitkering aan.</p><p>Ondertekend door {signatory}.</p>"
            "</body></html>")
    return html_to_pdf(html)


def _link(period, run):
    """Link an existing demo period without a run to `run` (a database loaded before the link existed)."""
    if period.allocation_run_id is None and run is not None:
        period.allocation_run = run
        period.full_clean()
        period.save(update_fields=["allocation_run"])
    return period


def _periods(run):
    """Both brede SPUK periods take their amounts from the demo run (it covers 2023–2026): the one source of
    the caps and of "Mijn bedragen". The official 2025/2026 table covers neither period whole."""
    closed, _ = ApplicationPeriod.objects.get_or_create(
        regulation=Regulation.BREDE_SPUK, name="2023 (op hoofdlijnen)",
        defaults={"first_year": 2023, "last_year": 2023, "opens_on": datetime.date(2023, 2, 6),
                  "closes_on": datetime.date(2023, 3, 31), "plan_required": False, "allocation_run": run})
    period, _ = ApplicationPeriod.objects.get_or_create(
        regulation=Regulation.BREDE_SPUK, name="2024–2026",
        defaults={"first_year": 2024, "last_year": 2026, "opens_on": datetime.date(2023, 6, 1),
                  "closes_on": datetime.date(2027, 3, 31), "plan_required": True, "allocation_run": run})
    return _link(closed, run), _link(period, run)


def _fill(application, actor, *, complete):
    rows = selectors.component_rows(application)
    choices = {}
    for r in rows:
        c = r["component"]
        amounts = {y["year"]: (y["cap"] if y["cap"] is not None else 25_000) for y in r["years"]}
        wanted = c.number % 3 != 0 if complete else c.number in (1, 4)
        applied = c.is_mandatory or (wanted and any(amounts.values()))
        amounts = amounts if applied else {}
        choices[c.pk] = {"applied": applied, "reason": "" if applied else
                         "Dit onderdeel pakken we regionaal op; de mandaatgemeente vraagt het aan.", "amounts": amounts}
    application = services.application_save_components(actor=actor, application=application,
                                                       base_version=application.edit_version, choices=choices)
    for definition, section in selectors.sections_of(application):
        text = TEXTS.get(definition.key)
        if text is None and definition.key.startswith("onderdeel-"):
            text = ("We werken met erkende interventies, gefaseerd over 2024–2026, met lokale en regionale "
                    "partners.") if complete or definition.key.startswith("onderdeel-7") else None
        if text is None or (not complete and definition.key not in ("uitgangssituatie", "gala-doelen",
                                                                    "onderdeel-7-doelen", "gala-ggd")):
            continue
        services.application_save_section(actor=actor, application=application, key=definition.key, text=text,
                                          base_version=section.version if section else 0)
    return Application.objects.get(pk=application.pk)


def load(stdout=None):
    run = AllocationRun.objects.filter(name=DEMO_RUN, status=AllocationRun.Status.FINISHED).first()
    with transaction.atomic():
        _, period = _periods(run)
    if run is None:
        _say(stdout, f"Aanvragen: verdeelberekening ‘{DEMO_RUN}’ niet gevonden; de periode 2024–2026 heeft nog "
                     "geen maximumbedragen.")
    if not Component.objects.filter(regulation=Regulation.BREDE_SPUK).exists():
        _say(stdout, "Aanvragen: geen onderdelen (budgets-referentiegegevens ontbreken); alleen de aanvraagperiodes "
                     "aangemaakt, nog geen demo-aanvragen.")
        return
    User = get_user_model()
    demo = [("GM0034", "gemeente", False), ("GM0995", "gemeente2", True), ("GM0928", "gemeente3", True)]
    for cbs_code, username, submit in demo:
        municipality = Municipality.objects.filter(cbs_code=cbs_code).first()
        actor = User.objects.filter(username=username).first()
        if municipality is None or actor is None:
            _say(stdout, f"Aanvragen: {cbs_code} of account {username} ontbreekt; overgeslagen.")
            continue
        if Application.objects.filter(period=period, municipality=municipality).exists():
            continue
        with transaction.atomic():
            application = services.application_create(actor=actor, period=period, municipality=municipality)
            application = _fill(application, actor, complete=submit)
            if submit:
                signatory = f"wethouder van {municipality.name}"
                application = services.application_save_signature(
                    actor=actor, application=application, base_version=application.edit_version,
                    signatory_name=f"J. de Vries ({signatory})", signatory_role="wethouder",
                    signed_on=datetime.date(2026, 9, 15), monitoring_consent=True)
                services.attachment_add(actor=actor, application=application, kind="ondertekend",
                                        uploaded_file=SimpleUploadedFile(
                                            f"Aanvraag brede SPUK {municipality.name} ondertekend.pdf",
                                            _signed_pdf(municipality, signatory), "application/pdf"))
                try:
                    services.application_submit(actor=actor, application=application)
                except services.SubmissionBlocked as exc:
                    _say(stdout, f"Aanvragen: {municipality.name} kon niet worden ingediend: {exc}")
    _say(stdout, "Aanvragen: demo-aanvragen 2024–2026 aanwezig (Almere concept, Lelystad en Kerkrade ingediend).")
    _load_review(stdout, period)
    _load_iza(stdout)


def _load_iza(stdout):
    """An open IZA period linked to the IZA demo run; Flevoland's application by Almere (mandate holder) with
    a regional and a local line, and Lelystad's mandate declaration; the other members' still missing."""
    run = AllocationRun.objects.filter(name=IZA_RUN, status=AllocationRun.Status.FINISHED).first()
    # The two stages of GALA bijlage 2: the 2023 application "op hoofdlijnen" (closed; its grant is provisional)
    # and the completion with regioplan, governance and plan van aanpak (kept open for the demo).
    outline, _ = ApplicationPeriod.objects.get_or_create(
        regulation=Regulation.SPUK_IZA, name=IZA_OUTLINE_PERIOD,
        defaults={"first_year": 2023, "last_year": 2023, "opens_on": IZA_OPENS_ON,
                  "closes_on": datetime.date(2023, 9, 30), "plan_required": False, "allocation_run": run})
    _link(outline, run)
    period, _ = ApplicationPeriod.objects.get_or_create(
        regulation=Regulation.SPUK_IZA, name=IZA_PERIOD,
        defaults={"first_year": 2023, "last_year": 2026, "opens_on": IZA_OPENS_ON,
                  "closes_on": datetime.date(2027, 3, 31), "plan_required": True, "allocation_run": run})
    _link(period, run)
    User = get_user_model()
    almere_officer, lelystad_officer = (User.objects.filter(username=u).first() for u in ("gemeente", "gemeente2"))
    flevoland = Region.objects.filter(name="Flevoland").first()
    if run is None or flevoland is None or almere_officer is None or lelystad_officer is None:
        _say(stdout, "Aanvragen: IZA-demo overgeslagen (berekening, regio Flevoland of demo-accounts ontbreken).")
        return
    if Application.objects.filter(period=period, region=flevoland).exists():
        return
    lelystad = Municipality.objects.get(cbs_code="GM0995")
    with transaction.atomic():
        application = services.application_create(actor=almere_officer, period=period, region=flevoland)
        caps = application.definition.caps(application)
        lines = []
        for year in period.years:
            cap = caps.per_year_total.get(year, 0)
            lines += [
                {"activity": "Regionale preventie-infrastructuur en coördinatie", "scope": "regionaal",
                 "municipality": None, "year": year, "amount": cap // 2, "brede_component": None,
                 "double_funding_note": ""},
                {"activity": "Valpreventie: ketenaanpak met zorgverzekeraar", "scope": "lokaal",
                 "municipality": lelystad, "year": year, "amount": cap // 4,
                 "brede_component": Component.objects.get(regulation=Regulation.BREDE_SPUK, number=7),
                 "double_funding_note": "De brede SPUK betaalt de lokale uitvoering; IZA betaalt alleen de "
                                        "regionale verbinding met de zorg."},
            ]
        application = services.application_save_lines(actor=almere_officer, application=application,
                                                      base_version=application.edit_version, lines=lines)
        services.application_save_section(
            actor=almere_officer, application=application, key="iza-regioplan", base_version=0,
            text="Het regioplan Flevoland richt zich op gezond leven in de wijken met de grootste achterstanden.")
        services.declaration_add(
            actor=lelystad_officer, application=application, municipality=lelystad,
            signatory_name="J. de Vries", signatory_role="wethouder", signed_on=datetime.date(2026, 10, 1),
            uploaded_file=SimpleUploadedFile("Mandaatverklaring Lelystad.pdf",
                                             _signed_pdf(lelystad, "wethouder van Lelystad"), "application/pdf"))
    _say(stdout, "Aanvragen: IZA-aanvraag Flevoland (Almere, concept) met de verklaring van Lelystad aanwezig.")


# --- the kerngroep's review: applications in later states for other Flevoland gemeenten ----------

REVIEW_DEMO = [("GM0303", "demo-dronten", "in_beoordeling"), ("GM0050", "demo-zeewolde", "aanvulling_gevraagd"),
               ("GM0171", "demo-noordoostpolder", "advies_positief")]


def _demo_officer(username, municipality):
    """An officer account of a demo gemeente that nobody logs in with (unusable password)."""
    User = get_user_model()
    account, created = User.objects.get_or_create(username=username, defaults={
        "first_name": "Demo", "last_name": municipality.name})
    if created:
        account.set_unusable_password()
        account.save()
        RoleAssignment.objects.create(user=account, role=Role.objects.get(code=Role.OFFICER),
                                      municipality=municipality)
    return account


def _load_review(stdout, period):
    """Dronten in review by kerngroep, Zeewolde with additions asked, Noordoostpolder with a final positive
    advice (kerngroep and kerngroep2) awaiting the ministry's decision. Lelystad stays submitted, unassigned."""
    User = get_user_model()
    first, second = (User.objects.filter(username=u).first() for u in ("kerngroep", "kerngroep2"))
    if first is None or second is None:
        _say(stdout, "Aanvragen: beoordelingsdemo overgeslagen (kerngroep of kerngroep2 ontbreekt).")
        return
    for cbs_code, username, target in REVIEW_DEMO:
        municipality = Municipality.objects.filter(cbs_code=cbs_code).first()
        if municipality is None or Application.objects.filter(period=period, municipality=municipality).exists():
            continue
        try:
            with transaction.atomic():
                actor = _demo_officer(username, municipality)
                application = services.application_create(actor=actor, period=period, municipality=municipality)
                application = _fill(application, actor, complete=True)
                application = services.application_save_signature(
                    actor=actor, application=application, base_version=application.edit_version,
                    signatory_name="J. de Vries", signatory_role="wethouder", signed_on=datetime.date(2026, 9, 15),
                    monitoring_consent=True)
                services.attachment_add(actor=actor, application=application, kind="ondertekend",
                                        uploaded_file=SimpleUploadedFile(
                                            f"Aanvraag brede SPUK {municipality.name} ondertekend.pdf",
                                            _signed_pdf(municipality, "wethouder"), "application/pdf"))
                application = services.application_submit(actor=actor, application=application)
                application = services.application_transition(actor=first, application=application,
                                                              transition="in_beoordeling_nemen")
                if target == "aanvulling_gevraagd":
                    services.application_transition(actor=first, application=application,
                                                    transition="aanvulling_vragen", data={"points": [
                                                        "Werk de aanpak valpreventie (onderdeel 7) uit met doelen per jaar.",
                                                        "Noem de partners van het lokale sportakkoord."]})
                elif target == "advies_positief":
                    review.second_reviewer_take(actor=second, application=application)
                    assessment = review.current_assessment(application)
                    review.assessment_save(
                        actor=first, application=application, base_version=assessment.edit_version,
                        items={i.key: {"verdict": "voldoet", "comment": ""} for i in assessment.items.all()},
                        advice="positief", reasons="Het plan voldoet aan de voorwaarden van het GALA.", propose=True)
                    services.application_transition(actor=second, application=application,
                                                    transition="positief_adviseren")
        except (services.SubmissionBlocked, ValidationError) as exc:
            _say(stdout, f"Aanvragen: beoordelingsdemo {municipality.name} overgeslagen: {exc}")
    _say(stdout, "Aanvragen: beoordelingsdemo aanwezig (Dronten in beoordeling, Zeewolde aanvulling gevraagd, "
                 "Noordoostpolder positief advies).")

