import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications.intake import selectors, services
from applications.models import Application, ApplicationVersion, RequestedAmount
from applications.intake.flow import STATES, TRANSITIONS, ApplicationState
from spukportal.models import AuditEvent
from spukportal.money import AmountError, parse_euro

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text,expected", [
    ("€ 1.234.567", 1234567), ("1.234.567", 1234567), ("1234567", 1234567), ("1.234,00", 1234),
    ("€1.234,-", 1234), (" 12 ", 12), ("", None), ("€\u00a01.000", 1000),
])
def test_parse_euro_understands_dutch_notation(text, expected):
    assert parse_euro(text) == expected


@pytest.mark.parametrize("text,message", [
    ("-5", "negatief"), ("€ -1.000", "negatief"), ("abc", "geen bedrag"), ("1.23.4", "geen bedrag"),
    ("12,50", "hele euro"), ("1,234", "geen bedrag"),
])
def test_parse_euro_refuses_with_a_dutch_message(text, message):
    with pytest.raises(AmountError, match=message):
        parse_euro(text)


def test_every_state_has_a_label_and_an_explanation_and_transitions_use_known_states():
    assert set(STATES) == {"concept", "ingediend", "in_beoordeling", "aanvulling_gevraagd", "advies_positief",
                           "advies_negatief", "toegekend", "afgewezen", "ingetrokken"}
    for t in TRANSITIONS.values():
        assert t.sources <= set(STATES) and t.target in STATES


def test_one_application_per_gemeente_per_period_is_a_database_rule():
    period = f.scenario()
    app = f.draft(period)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(municipality=app.municipality, period=period, created_by=app.created_by)
    with pytest.raises(ValidationError, match="al een aanvraag"):
        f.draft(period)


def test_create_is_audited_and_valpreventie_starts_chosen():
    app = f.draft(f.scenario())
    assert AuditEvent.objects.filter(object_type="applications.application", object_id=str(app.pk),
                                     action="aanvraag.aangemaakt").exists()
    chosen = {c.component.number: c.applied for c in app.components.select_related("component")}
    assert chosen[7] is True and chosen[1] is False


def test_officer_of_another_gemeente_cannot_create_or_edit():
    period = f.scenario()
    with pytest.raises(PermissionDenied):
        services.application_create(actor=f.user("gemeente3"), period=period, municipality=f.municipality("GM0034"))
    app = f.draft(period)
    with pytest.raises(PermissionDenied):
        services.application_save_section(actor=f.user("gemeente3"), application=app, key="uitgangssituatie",
                                          text="x", base_version=0)


def test_service_refuses_amount_above_allocation():
    period = f.scenario(amount=1000)
    app = f.draft(period)
    valpreventie = app.components.get(component__number=7).component_id
    with pytest.raises(ValidationError, match="ten hoogste"):
        services.application_save_components(actor=f.user("gemeente"), application=app, base_version=1, choices={
            valpreventie: {"applied": True, "reason": "", "amounts": {2024: 1001}}})


def test_stale_section_save_is_refused_and_keeps_the_colleagues_text():
    app = f.draft(f.scenario())
    first = services.application_save_section(actor=f.user("gemeente"), application=app, key="uitgangssituatie",
                                              text="Versie van collega A", base_version=0)
    assert first.version == 1
    with pytest.raises(services.EditConflict) as exc:
        services.application_save_section(actor=f.user("gemeente"), application=app, key="uitgangssituatie",
                                          text="Versie van collega B", base_version=0)
    assert exc.value.current.text == "Versie van collega A"
    assert app.sections.get(key="uitgangssituatie").text == "Versie van collega A"


def test_submit_freezes_a_version_and_makes_the_application_read_only():
    app = f.submitted(f.scenario())
    assert app.state == ApplicationState.INGEDIEND and app.submitted_at
    version = app.versions.get()
    assert version.number == 1
    assert version.snapshot["signatory"]["name"] == "A. de Wethouder"
    assert {c["number"] for c in version.snapshot["components"] if c["applied"]} >= {1, 4, 7}
    assert all(a.frozen for a in app.attachments.all())
    with pytest.raises(PermissionDenied):
        services.application_save_section(actor=f.user("gemeente"), application=app, key="uitgangssituatie",
                                          text="later", base_version=1)
    assert AuditEvent.objects.filter(object_id=str(app.pk), action="aanvraag.ingediend").count() == 1


def test_incomplete_application_cannot_be_submitted():
    app = f.draft(f.scenario())
    with pytest.raises(services.SubmissionBlocked) as exc:
        services.application_submit(actor=f.user("gemeente"), application=app)
    assert any("Ondertekende aanvraag" in r for r in exc.value.reasons)
    assert not ApplicationVersion.objects.filter(application=app).exists()


def test_submission_after_the_deadline_names_the_date_and_an_extension_allows_it():
    period = f.scenario()
    app = f.fill_completely(f.draft(period))
    period.closes_on = datetime.date(2026, 3, 31)
    period.opens_on = datetime.date(2026, 1, 1)
    period.save()
    with pytest.raises(services.SubmissionBlocked) as exc:
        services.application_submit(actor=f.user("gemeente"), application=app)
    assert exc.value.deadline_passed and "31 maart 2026" in exc.value.reasons[0]
    with pytest.raises(PermissionDenied):
        services.period_extension_grant(actor=f.user("gemeente"), period=period, municipality=app.municipality,
                                        closes_on=timezone.localdate(), reason="Raadsbesluit later")
    services.period_extension_grant(actor=f.user("ministerie"), period=period, municipality=app.municipality,
                                    closes_on=timezone.localdate() + datetime.timedelta(days=7), reason="Raadsbesluit")
    assert services.application_submit(actor=f.user("gemeente"), application=app).state == ApplicationState.INGEDIEND
    assert AuditEvent.objects.filter(action="periode.uitstel_verleend", object_id=str(period.pk)).exists()


def test_additions_requested_then_resubmitted_keeps_both_versions_and_shows_the_differences():
    app = f.with_additions_requested(f.submitted(f.scenario()))
    assert app.state_info.editable
    section = app.sections.get(key="onderdeel-7-doelen")
    services.application_save_section(actor=f.user("gemeente"), application=app, key=section.key,
                                      text="Nieuwe doelen voor valpreventie.", base_version=section.version)
    f.answer_points(app, "gemeente")
    app = services.application_transition(actor=f.user("gemeente"), application=app, transition="opnieuw_indienen")
    v1, v2 = app.versions.order_by("number")
    assert v2.number == 2
    diff = selectors.diff_versions(v1.snapshot, v2.snapshot)
    valpreventie = app.components.get(component__number=7).component
    assert [s["title"] for s in diff["sections"]] == [f"7. {valpreventie.name}: doelen en resultaten"]
    ops = {(line["op"], line["text"]) for line in diff["sections"][0]["lines"]}
    assert ("+", "Nieuwe doelen voor valpreventie.") in ops


def test_transition_not_in_the_table_is_refused():
    app = f.draft(f.scenario())
    with pytest.raises(ValidationError):
        services.application_transition(actor=f.user("gemeente"), application=app, transition="toekennen")
    with pytest.raises(PermissionDenied):
        services.application_transition(actor=f.user("kerngroep"), application=app, transition="intrekken",
                                        note="Niet van ons")


def test_selector_scopes_applications_to_the_user():
    period = f.scenario()
    almere_draft = f.draft(period)
    lelystad = f.submitted(period, "GM0995", "gemeente2")
    assert set(selectors.applications_for_user(f.user("gemeente")).filter(period=period)) == {almere_draft}
    assert set(selectors.applications_for_user(f.user("gemeente2")).filter(period=period)) == {lelystad}
    assert set(selectors.applications_for_user(f.user("kerngroep")).filter(period=period)) == {lelystad}
    assert set(selectors.applications_for_user(f.user("ministerie")).filter(period=period)) == {lelystad}
    assert not selectors.applications_for_user(f.user("beheer")).exists()


def test_an_application_offers_the_15_components_and_never_the_total_budget_line():
    app = f.draft(f.scenario())
    rows = selectors.component_rows(app)
    assert [r["component"].number for r in rows] == list(range(1, 16))
    assert not app.components.filter(component__is_total=True).exists()
    # Saving a choice for the total line is ignored, not stored.
    total = f.total_line()
    services.application_save_components(
        actor=f.user("gemeente"), application=app, base_version=app.edit_version,
        choices={total.pk: {"applied": True, "reason": "", "amounts": {2024: 1}}})
    assert not app.components.filter(component=total).exists()
    # Nor does the checklist ask a reason for not applying for it.
    onderdelen = selectors.checklist(Application.objects.get(pk=app.pk))[0]
    assert "Brede SPUK (één begrotingsregel" not in onderdelen.problem


def test_from_2025_the_cap_is_the_one_total_over_all_components():
    """2024 is allocated per component (100.000 each); 2025 and 2026 on the total line (100.000 for all
    components together), as the official tables do from 2025."""
    app = f.draft(f.scenario(amount=100_000, total_from=2025))
    rows = {r["component"].number: r for r in selectors.component_rows(app)}
    assert [y["cap"] for y in rows[7]["years"]] == [100_000, None, None]
    assert selectors.year_caps(app) == {2025: 100_000, 2026: 100_000}
    c1, c7 = rows[1]["component"].pk, rows[7]["component"].pk

    def choices(a1, a7):
        return {c1: {"applied": True, "reason": "", "amounts": {2025: a1}},
                c7: {"applied": True, "reason": "", "amounts": {2025: a7}}}

    with pytest.raises(ValidationError) as refused:
        services.application_save_components(actor=f.user("gemeente"), application=app,
                                             base_version=app.edit_version, choices=choices(60_000, 40_001))
    assert refused.value.messages == ["U vraagt in 2025 in totaal €\xa0100.001 aan, maar de toekenning voor 2025 is "
                                      "€\xa0100.000: samen kunnen de onderdelen niet meer zijn dan dat."]
    app = services.application_save_components(actor=f.user("gemeente"), application=app,
                                               base_version=app.edit_version, choices=choices(60_000, 40_000))
    assert sum(a.amount for a in RequestedAmount.objects.filter(choice__application=app, year=2025)) == 100_000


def test_withdrawal_is_offered_exactly_in_the_states_the_workflow_table_allows():
    from applications.intake import flow as workflow

    app = f.submitted(f.scenario())
    officer = f.user("gemeente")
    assert workflow.check(officer, app, "intrekken")
    assert not workflow.check(f.user("kerngroep"), app, "intrekken")
    assert [t.name for t in workflow.available(f.user("kerngroep"), app)] == ["in_beoordeling_nemen"]
    app = f.with_final_advice(app)
    decision = workflow.check(officer, app, "intrekken")
    assert not decision and "Positief advies" in decision.reason
    with pytest.raises(ValidationError):
        services.application_withdraw(actor=officer, application=app, note="Te laat bedacht")


def test_a_request_for_additions_without_points_is_refused_and_changes_nothing():
    app = services.application_transition(actor=f.user("kerngroep"), application=f.submitted(f.scenario()),
                                          transition="in_beoordeling_nemen")
    with pytest.raises(ValidationError, match="ten minste één punt"):
        services.application_transition(actor=f.user("kerngroep"), application=app, transition="aanvulling_vragen",
                                        data={"points": ["  "]})
    assert Application.objects.get(pk=app.pk).state == ApplicationState.IN_BEOORDELING
