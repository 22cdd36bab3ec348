"""SPUK IZA as the GALA (Bijlage 2) describes it: mandate holders made known by 30 June 2023, so the region applies
for 2023 "op hoofdlijnen"; that application is granted provisionally, completed (regioplan, governance, plan van
aanpak) as the same application, and ends in the definitive grant that replaces the provisional one."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from applications.intake import services
from regions.models import MandateHolder
from regions.reference import load as load_reference

from . import factories as f

pytestmark = pytest.mark.django_db

GALA_MANDATE_DATE = datetime.date(2023, 6, 30)
JULY_2023 = datetime.date(2023, 7, 17)


def _period_2023():
    return f.iza_scenario(years=(2023,), opens_on=datetime.date(2023, 7, 1), closes_on=datetime.date(2023, 12, 31),
                          plan_required=False)


def test_the_shipped_mandate_holders_are_known_from_the_gala_date():
    holders = MandateHolder.objects.filter(valid_until__isnull=True)
    assert holders.count() == 42
    assert set(holders.values_list("announced_on", "valid_from")) == {(GALA_MANDATE_DATE, GALA_MANDATE_DATE)}


def test_a_2023_iza_application_by_the_mandate_holder_is_accepted():
    period = _period_2023()
    application = services.application_create(actor=f.user("gemeente"), period=period, region=f.flevoland(),
                                              today=JULY_2023)
    assert application.applicant.mandate_holder.holder_name == "Almere"
    assert application.applicant.why_not() == ""


def test_holders_loaded_with_the_2025_date_are_refused_in_2023_until_the_reference_data_is_loaded_again():
    """A database loaded before the GALA date was in the data: the holder started on 12 Sep 2025, so the 2023
    application was refused. Loading the reference data again moves the same holder's start back."""
    MandateHolder.objects.filter(valid_until__isnull=True).update(
        announced_on=datetime.date(2025, 9, 12), valid_from=datetime.date(2025, 9, 12))
    period = _period_2023()
    with pytest.raises(ValidationError, match="Flevoland heeft op 01-07-2023 geen mandaathouder"):
        services.application_create(actor=f.user("gemeente"), period=period, region=f.flevoland(), today=JULY_2023)
    load_reference()
    holder = MandateHolder.objects.get(region__name="Flevoland", valid_until__isnull=True)
    assert (holder.announced_on, holder.valid_from) == (GALA_MANDATE_DATE, GALA_MANDATE_DATE)
    assert "GALA" in holder.source
    services.application_create(actor=f.user("gemeente"), period=period, region=f.flevoland(), today=JULY_2023)


# --- the stages: outline → provisional grant → completion (same application continued) → definitive grant -----

DAY = datetime.date(2025, 3, 10)


def _submit_iza(app):
    """Signed, every member's declaration, then submitted (the plan sections are filled by the caller)."""
    from applications.models import Application

    app = f.fill_completely(Application.objects.get(pk=app.pk))
    from django.contrib.auth import get_user_model

    for m in app.applicant.declaring_members:
        officer = "gemeente2" if m.cbs_code == "GM0995" else (
            get_user_model().objects.filter(username=f"off-{m.cbs_code}").first()
            or f.officer(f"off-{m.cbs_code}", m.cbs_code))
        f.declare(app, officer, m.cbs_code)
    return services.application_submit(actor=f.user("gemeente"), application=app)


def _grant(app, decided_on=DAY):
    from applications.decisions import services as decision_services

    app = f.with_final_advice(app, "positief")
    return decision_services.decision_make(actor=f.user("ministerie"), application=app, outcome="toegekend",
                                           decided_on=decided_on)


def _provisionally_granted_outline():
    outline_period = f.iza_scenario(cap=400_000, years=(2023,), plan_required=False)
    app = f.iza_draft(outline_period)
    app = services.application_save_lines(actor=f.user("gemeente"), application=app, base_version=app.edit_version,
                                          lines=[f.line("Voorbereiding regioplan", year=2023, amount=150_000)])
    services.application_save_section(actor=f.user("gemeente"), application=app, key="iza-werkagenda",
                                      base_version=0, text="Werkagenda Flevoland: kwartiermaker en regiobeeld.")
    app = _submit_iza(app)
    return app, _grant(app)


def test_the_completion_continues_the_outline_and_its_definitive_grant_replaces_the_provisional_one(login):
    from applications import stages
    from applications.decisions import decide as decisions
    from applications.models import Application

    outline, provisional = _provisionally_granted_outline()
    assert stages.is_provisional(outline) and stages.replaced_grant_source(provisional) is None
    assert "voorlopige toekenning" in decisions.letter_context(provisional)["stage_note"]
    assert decisions.letter_context(provisional)["provisional"] is True

    completion_period = f.iza_scenario(cap=1_000_000, years=(2023, 2024, 2025, 2026), plan_required=True)
    completion = f.iza_draft(completion_period)
    # The same application continued: lines and the werkagenda's text carried over, the outline's version kept.
    assert completion.continues_id == outline.pk
    assert [(line.activity, line.year, line.amount) for line in completion.plan_lines.all()] == [
        ("Voorbereiding regioplan", 2023, 150_000)]
    assert "Werkagenda Flevoland: kwartiermaker en regiobeeld." in completion.sections.get(key="iza-plan").text
    assert outline.versions.count() == 1 and completion.versions.count() == 0

    html = login("gemeente").get(f"/aanvragen/{completion.pk}/").content.decode()
    assert "Completering" in html and f'href="/aanvragen/{outline.pk}/"' in html
    assert "De definitieve toekenning van deze aanvraag vervangt de voorlopige" in html
    html = login("gemeente").get(f"/aanvragen/{outline.pk}/").content.decode()
    assert "voorlopige toekenning" in html and f'href="/aanvragen/{completion.pk}/"' in html

    for d in ("iza-regioplan", "iza-governance"):
        services.application_save_section(actor=f.user("gemeente"), application=completion, key=d, base_version=0,
                                          text=f"Tekst {d}.")
    completion = _submit_iza(Application.objects.get(pk=completion.pk))
    definitive = _grant(completion, decided_on=datetime.date(2025, 4, 1))
    # The ledger's replace: the definitive grant names the provisional grant it replaces.
    assert stages.replaced_grant_source(definitive) == ("decision", provisional.pk)
    assert stages.implied_replaces(completion) == [("decision", provisional.pk)]
    assert stages.implied_replaces(outline) == []
    note = decisions.letter_context(definitive)["stage_note"]
    assert provisional.reference in note and "definitief" in note
    assert decisions.letter_context(definitive)["provisional"] is False
    # The letters as the recipients read them.
    from django.core.files.storage import storages

    from tests.pdf import pdf_text

    for decision in (provisional, definitive):
        decisions.letter_render(decision_id=decision.pk)
        decision.refresh_from_db()
    first = pdf_text(storages["private"].open(provisional.letter.file).read())
    assert "Beschikking: aanvraag voorlopig toegekend" in first and "Dit is een voorlopige toekenning" in first
    second = pdf_text(storages["private"].open(definitive.letter.file).read())
    assert "Beschikking: aanvraag toegekend" in second
    assert f"vervangt de voorlopige toekenning {provisional.reference}" in second
    # Continued once: another completion period starts fresh.
    other = f.iza_scenario(cap=1_000_000, years=(2024,), plan_required=True)
    assert f.iza_draft(other).continues is None


def test_stages_live_in_the_definition_and_the_brede_spuk_has_none():
    from applications.regulations import all_definitions

    by_region = [d for d in all_definitions() if d.by_region]
    assert [s.key for s in by_region[0].stages] == ["hoofdlijnen", "completering"]
    assert [d.stages for d in all_definitions() if not d.by_region] == [()]
