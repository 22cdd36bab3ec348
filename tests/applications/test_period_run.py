"""One source of truth per period. The period form refuses a run of another regulation or
one that does not cover the period's years (rules.allocation_run_problems, on the model) and warns for a run
gemeenten cannot see yet; "Mijn bedragen" shows the linked run's amounts, equal to the cap of the application."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import rules
from applications.models import Application, ApplicationPeriod
from applications.regulations import definition
from budgets.demo import DEMO_RUN_NAME, IZA_RUN_NAME, OFFICIAL_RUN_NAME
from budgets.models import AllocationRun
from spukportal.audit import AuditEvent

from . import factories as f

pytestmark = pytest.mark.django_db


def _run(name):
    return AllocationRun.objects.get(name=name)


def _post(client, run, **extra):
    data = {"name": "Proefperiode", "regulation": "brede_spuk", "first_year": 2024, "last_year": 2026,
            "opens_on": "2026-12-01", "closes_on": "2027-03-31", "plan_required": "on",
            "allocation_run": run.pk, **extra}
    return client.post(reverse("applications:period_create"), data, follow=True)


def run_problems(**kwargs):
    """The rule as the period's model asks it: regulations named as the definitions name them in a sentence."""
    return rules.allocation_run_problems(**kwargs, in_sentence=lambda code: definition(code).name_in_sentence)


def test_the_rule_refuses_another_regulation_and_missing_years_and_accepts_a_fitting_run():
    demo, official, iza = _run(DEMO_RUN_NAME), _run(OFFICIAL_RUN_NAME), _run(IZA_RUN_NAME)
    assert run_problems(regulation="brede_spuk", first_year=2024, last_year=2026, run=demo) == []
    assert run_problems(regulation="brede_spuk", first_year=2024, last_year=2026, run=None) == []
    [wrong] = run_problems(regulation="brede_spuk", first_year=2024, last_year=2026, run=iza)
    assert "SPUK IZA" in wrong and "brede SPUK" in wrong
    [short] = run_problems(regulation="brede_spuk", first_year=2024, last_year=2026, run=official)
    assert "geen bedragen voor 2024" in short and "2024 tot en met 2026" in short
    assert run_problems(regulation="brede_spuk", first_year=2025, last_year=2026, run=official) == []


@pytest.mark.parametrize("run_name, regulation, message", [
    (IZA_RUN_NAME, "brede_spuk", "is een berekening voor de SPUK IZA"),
    (OFFICIAL_RUN_NAME, "brede_spuk", "heeft geen bedragen voor 2024"),
    (DEMO_RUN_NAME, "spuk_iza", "is een berekening voor de brede SPUK"),
])
def test_the_period_form_refuses_a_run_that_does_not_fit_on_its_field_and_keeps_the_input(
        login, run_name, regulation, message):
    client = login("ministerie")
    run = _run(run_name)
    response = _post(client, run, regulation=regulation)
    assert response.status_code == 422
    form = response.context["form"]
    assert any(message in e for e in form.errors["allocation_run"]), form.errors
    assert list(form.errors) == ["allocation_run"]
    html = response.content.decode()
    assert re.search(rf'<option value="{run.pk}" selected>', html)
    assert 'value="Proefperiode"' in html
    assert not ApplicationPeriod.objects.filter(name="Proefperiode").exists()


def test_the_service_refuses_the_same_as_the_form():
    from django.core.exceptions import ValidationError

    from applications.intake import services

    period = ApplicationPeriod(name="Via de service", regulation="brede_spuk", first_year=2024, last_year=2026,
                               opens_on="2026-12-01", closes_on="2027-03-31", allocation_run=_run(OFFICIAL_RUN_NAME))
    with pytest.raises(ValidationError) as exc:
        services.period_save(actor=f.user("ministerie"), period=period)
    assert "allocation_run" in exc.value.message_dict


def test_an_unpublished_run_is_saved_with_a_visible_warning_and_audited(login):
    client = login("ministerie")
    run = f.AllocationRunFactory(name="Nog geheim", years=[2024, 2025, 2026], is_published=False)
    response = _post(client, run)
    assert response.redirect_chain and response.status_code == 200
    period = ApplicationPeriod.objects.get(name="Proefperiode")
    assert period.allocation_run == run
    html = response.content.decode()
    assert "utrecht-alert--warning" in html and "nog niet zichtbaar voor gemeenten" in html
    assert "(nog niet zichtbaar voor gemeenten)" in html  # in the period list too
    event = AuditEvent.objects.filter(action="periode.aangemaakt").latest("pk")
    assert "nog niet zichtbaar" in event.details["waarschuwing"]
    published = f.AllocationRunFactory(name="Bekend", years=[2024, 2025, 2026], is_published=True)
    response = _post(client, published, name="Tweede proef")
    assert "utrecht-alert--warning" not in response.content.decode()


def _euro(amount):
    return f"€\xa0{amount:,}".replace(",", ".")


def test_mijn_bedragen_shows_per_period_only_the_linked_run_and_its_2025_amount_is_the_cap(
        login, django_assert_max_num_queries):
    almere = Application.objects.get(period__name="2024–2026", municipality__cbs_code="GM0034")
    assert almere.period.allocation_run.name == DEMO_RUN_NAME
    caps = almere.definition.caps(almere)
    client = login("gemeente")
    with django_assert_max_num_queries(16):
        html = client.get(reverse("budgets:own_amounts")).content.decode()
    # the cap of 2025 as the components form enforces it: one total for the year, or per component
    if 2025 in caps.per_year_total:
        assert _euro(caps.per_year_total[2025]) in html
    else:
        for (component_id, year), cap in caps.per_component.items():
            if year == 2025:
                assert _euro(cap) in html
    # the components form refuses one euro more than that cap
    from applications.intake import selectors

    rows = selectors.component_rows(almere)
    row = next(r for r in rows if r["component"].is_mandatory)
    cap_2025 = caps.per_year_total.get(2025) or caps.for_component(row["component"].pk, 2025)
    choices = {r["component"].pk: {"applied": r is row, "amounts": {2025: cap_2025 + 1} if r is row else {}}
               for r in rows}
    problems = rules.cap_problems(caps=caps, years=almere.period.years, choices=choices, names={})
    assert problems and all(year == 2025 for _, year in problems)
    # only the linked runs; the official table (not linked) is not on the page
    assert OFFICIAL_RUN_NAME not in html and "Vastgesteld" not in html
    assert f"Bron: {DEMO_RUN_NAME}" in html and f"Bron: {IZA_RUN_NAME}" in html
    assert "aanvraagperiode 2024–2026" in html and "aanvraagperiode 2023 (op hoofdlijnen)" in html


def test_mijn_bedragen_says_plainly_when_a_period_has_no_run_or_an_unpublished_one(login):
    f.PeriodFactory(name="Zonder berekening", first_year=2027, last_year=2027)
    hidden = f.AllocationRunFactory(name="Verborgen", years=[2027], is_published=False)
    f.PeriodFactory(name="Met verborgen berekening", first_year=2027, last_year=2027, allocation_run=hidden)
    html = login("gemeente").get(reverse("budgets:own_amounts")).content.decode()
    assert "nog geen verdeelberekening gekoppeld" in html
    assert "nog niet bekendgemaakt" in html and "Verborgen" not in html


# --- a period opens only with a run: nothing else caps a request ----------------------------------------------

def test_the_period_form_refuses_a_period_that_opens_without_a_run_at_the_field_and_saves_a_later_one(login):
    client = login("ministerie")
    today = timezone.localdate()
    response = _post(client, _run(DEMO_RUN_NAME), allocation_run="", opens_on=today.isoformat())
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == ["allocation_run"]
    assert "Koppel een verdeelberekening met bedragen voor 2024, 2025 en 2026 voordat de periode opent" in \
        errors["allocation_run"][0]
    assert not ApplicationPeriod.objects.filter(name="Proefperiode").exists()
    # A period that opens later may be prepared without a run; it is not open to applicants until it has one.
    response = _post(client, _run(DEMO_RUN_NAME), allocation_run="",
                     opens_on=(today + datetime.timedelta(days=10)).isoformat())
    assert ApplicationPeriod.objects.get(name="Proefperiode").allocation_run is None


def test_the_900_million_valpreventie_request_in_a_period_without_a_run_is_refused_and_nothing_stored():
    """The issue's case: a period that lost its run (saved before the rule) had no cap, so € 900 m for
    valpreventie was saved. Now the amount is refused with the reason, and no new application can start."""
    from django.core.exceptions import ValidationError

    from applications.intake import services
    from applications.models import RequestedAmount

    app = f.draft(f.scenario())
    ApplicationPeriod.objects.filter(pk=app.period_id).update(allocation_run=None)
    app = Application.objects.get(pk=app.pk)
    valpreventie = app.components.get(component__number=7).component_id
    with pytest.raises(ValidationError) as refused:
        services.application_save_components(actor=f.user("gemeente"), application=app,
                                             base_version=app.edit_version, choices={
                                                 valpreventie: {"applied": True, "reason": "",
                                                                "amounts": {2025: 900_000_000}}})
    assert "nog geen verdeelberekening gekoppeld" in " ".join(refused.value.messages)
    assert not RequestedAmount.objects.filter(choice__application=app, amount__gt=0).exists()
    with pytest.raises(ValidationError, match="nog geen verdeelberekening gekoppeld"):
        f.draft(app.period, cbs_code="GM0995", username="gemeente2")
