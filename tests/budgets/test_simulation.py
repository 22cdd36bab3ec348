"""The ministry's simulation: a draft key or budget computed by the run engine, nothing stored until saved."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budgets import simulation
from budgets.forms import SimulationForm
from budgets.models import Allocation, AllocationRun, BudgetVersion, DistributionKey, RegionAllocation
from budgets.services import KeyInputs, allocation_run_execute, simulation_save

pytestmark = pytest.mark.django_db


def _stored(run):
    return {(m, c, y): a for m, c, y, a in Allocation.objects.filter(run=run).values_list(
        "municipality__cbs_code", "component_id", "year", "amount")}


def _simulated(result):
    return {(code, c, y): a for (c, y), amounts in result.amounts.items() for code, a in amounts.items()}


def test_the_simulation_of_the_current_key_equals_the_stored_run_euro_for_euro(demo_run, default_key):
    draft = simulation.Draft(regulation=demo_run.regulation, years=demo_run.years,
                             budget_version=demo_run.budget_version,
                             key=KeyInputs.of(default_key, regulation=demo_run.regulation, years=demo_run.years),
                             reference_date=demo_run.reference_date)
    snapshot, result = simulation.compute(draft)
    stored = _stored(demo_run)
    assert len(stored) == 342 * len(demo_run.input_snapshot["lines"])
    assert _simulated(result) == stored
    regions = {(r, c, y): a for r, c, y, a in RegionAllocation.objects.filter(run=demo_run).values_list(
        "region_id", "component_id", "year", "amount")}
    assert {(r, c, y): a for (c, y), sums in result.regions.items() for r, a in sums.items()} == regions
    assert snapshot["statistics"] == demo_run.input_snapshot["statistics"]


def _get(client, **changes):
    data = {**SimulationForm.defaults(), **changes}
    return client.get(reverse("budgets:simulation"), data)


def test_changing_a_weight_shows_winners_and_losers_against_the_official_table_and_stores_nothing(
        client, ministry_user, official_run):
    keys, runs = DistributionKey.objects.count(), AllocationRun.objects.count()
    client.force_login(ministry_user)
    response = _get(client, weight_population="0.7", weight_disadvantage="0.3", compare=official_run.pk)
    assert response.status_code == 200
    result = response.context["result"]
    assert result["total"] == result["total_before"]  # the same budget, divided differently
    assert result["winners"] and result["losers"]
    biggest = result["winners"][0]
    assert biggest["diff"] == biggest["amount"] - biggest["before"] > 1000
    assert biggest["municipality"].name in response.content.decode()
    assert DistributionKey.objects.count() == keys and AllocationRun.objects.count() == runs


def test_weights_that_do_not_add_up_are_refused_at_the_field_and_nothing_is_computed(client, ministry_user):
    client.force_login(ministry_user)
    response = _get(client, weight_population="0.7", weight_disadvantage="0.2")
    assert "result" not in response.context
    assert response.context["form"].errors["weight_disadvantage"] == ["De gewichten moeten samen precies 1 zijn (nu 0,9)."]


def test_a_fixed_amount_for_an_unknown_gemeente_is_refused_with_its_line(client, ministry_user):
    client.force_login(ministry_user)
    response = _get(client, fixed_changes="GM0088 2026 150000\nGM9999 2026 1000")
    assert response.context["form"].errors["fixed_changes"] == ["Regel 2: onbekende CBS-code ‘GM9999’."]


def test_a_draft_with_a_fixed_amount_and_a_budget_change_is_saved_and_its_run_equals_the_simulation(
        ministry_user, established_version):
    form = SimulationForm({**SimulationForm.defaults(), "weight_population": "0.6", "weight_disadvantage": "0.4",
                           "fixed_changes": "GM0088 2026 150000",
                           **{name: "300.000.000" for name, line in _lines(established_version) if line.year == 2026}})
    assert form.is_valid(), form.errors
    draft = form.draft()
    assert draft.line_amounts and any(f["cbs_code"] == "GM0088" and f["amount"] == 150000 for f in draft.key.fixed)
    _snapshot, result = simulation.compute(draft)
    run = simulation_save(actor=ministry_user, draft=draft, key_name="Simulatie 60/40", budget_name="Begroting -",
                          run_name="Uit de simulatie")
    run = allocation_run_execute(run_id=run.pk)
    assert run.status == AllocationRun.Status.FINISHED
    assert _stored(run) == _simulated(result)
    assert run.budget_version.based_on == established_version
    assert run.budget_version.mutations.count() == 1
    key = run.distribution_key
    assert {f.factor: f.weight for f in key.factors.all()} == {"population": Decimal("0.6"),
                                                               "population_health_disadvantage": Decimal("0.4")}


def _lines(version):
    form = SimulationForm({**SimulationForm.defaults(), "budget_version": version.pk})
    return form.lines


def test_a_save_without_a_name_for_the_changed_budget_keeps_everything_and_stores_nothing(client, ministry_user):
    versions, keys = BudgetVersion.objects.count(), DistributionKey.objects.count()
    client.force_login(ministry_user)
    data = {**SimulationForm.defaults(), "key_name": "Nieuwe sleutel"}
    data.update({name: "1.000.000" for name, line in SimulationForm(data).lines if line.year == 2025})
    response = client.post(reverse("budgets:simulation_save"), data)
    assert response.status_code == 400
    assert response.context["save_form"].errors["budget_name"] == [
        "Geef de nieuwe begrotingsversie een naam: u hebt bedragen gewijzigd."]
    assert response.context["result"]["total"] == 1_000_000  # the page still shows the draft as typed
    assert BudgetVersion.objects.count() == versions and DistributionKey.objects.count() == keys
