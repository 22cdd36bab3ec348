"""Allocation runs: frozen inputs, reproducible amounts, failures that say why and retry cleanly, a real worker."""

import time

import pytest
from django.core.exceptions import ValidationError

from budgets import services
from budgets.models import Allocation, AllocationRun, BudgetVersion, DistributionKey, FixedAmount, RegionAllocation
from budgets.services import allocation_run_retry, allocation_run_start
from regions.models import Municipality, MunicipalityStatistics
from spukportal.audit import events_for


def amounts(run):
    return set(run.allocations.values_list("municipality_id", "component_id", "year", "amount"))


def test_rerunning_the_same_inputs_gives_identical_amounts(run_2025_2026, ministry_user, established_version,
                                                           default_key):
    again = allocation_run_start(actor=ministry_user, regulation="brede_spuk", years=[2026, 2025],
                                 budget_version=established_version, distribution_key=default_key, run_now=True)
    assert again.pk != run_2025_2026.pk
    assert again.input_fingerprint == run_2025_2026.input_fingerprint
    assert amounts(again) == amounts(run_2025_2026)


def test_a_run_keeps_its_frozen_inputs_when_statistics_change_later(run_2025_2026):
    before = amounts(run_2025_2026)
    MunicipalityStatistics.objects.filter(municipality__cbs_code="GM0034").update(population=10**7)
    assert run_2025_2026.input_snapshot["statistics"]["GM0034"]["population"] == 222825
    # Executing the finished run again changes nothing (idempotent), and a recomputation of the snapshot
    # gives the same amounts.
    services.allocation_run_execute(run_id=run_2025_2026.pk)
    assert amounts(run_2025_2026) == before
    from budgets.run_inputs import compute

    result = compute(run_2025_2026.input_snapshot)
    ids = run_2025_2026.input_snapshot["municipality_ids"]
    recomputed = {(ids[c], cid, y, a) for (cid, y), per in result.amounts.items() for c, a in per.items()}
    assert recomputed == before


def test_the_demo_run_has_every_component_and_year_adding_up_to_its_budget(demo_run, base_version):
    budget = {(line.component_id, line.year): line.amount for line in base_version.lines.filter(
        component__regulation="brede_spuk")}
    from django.db.models import Sum

    sums = {(c, y): s for c, y, s in demo_run.allocations.values_list("component_id", "year").annotate(Sum("amount"))}
    assert sums == budget
    assert demo_run.allocations.count() == 342 * len(budget)
    assert demo_run.is_published


def test_a_run_that_cannot_be_allocated_fails_with_a_dutch_reason(ministry_user, established_version, db):
    key = services.distribution_key_create(actor=ministry_user, name="Te hoge vaste bedragen", reference_year=2023,
                                           weights={"population": 1})
    line = established_version.lines.get(year=2025, component__regulation="brede_spuk")
    FixedAmount.objects.create(key=key, municipality=Municipality.objects.get(cbs_code="GM0034"),
                               component=line.component, year=2025, amount=line.amount + 1)
    run = allocation_run_start(actor=ministry_user, regulation="brede_spuk", years=[2025],
                               budget_version=established_version, distribution_key=key, run_now=True)
    assert run.status == AllocationRun.Status.FAILED
    assert "hoger dan het budget" in run.error
    assert not run.allocations.exists()


def test_a_failure_while_writing_leaves_no_half_result_and_a_retry_finishes_the_same_row(
        ministry_user, established_version, default_key, monkeypatch, django_capture_on_commit_callbacks):
    real_insert = services.bulk_insert
    calls = []

    def failing_insert(model, columns, rows):
        calls.append(model)
        real_insert(model, columns, rows)
        if model is RegionAllocation:
            raise ConnectionError("database weg")

    monkeypatch.setattr(services, "bulk_insert", failing_insert)
    run = allocation_run_start(actor=ministry_user, regulation="brede_spuk", years=[2025],
                               budget_version=established_version, distribution_key=default_key, run_now=True)
    assert calls == [Allocation, RegionAllocation]  # the amounts were written, then it failed
    assert run.status == AllocationRun.Status.FAILED
    assert "database weg" in run.error
    assert not Allocation.objects.filter(run=run).exists()  # ... and rolled back
    assert not RegionAllocation.objects.filter(run=run).exists()

    monkeypatch.setattr(services, "bulk_insert", real_insert)
    with django_capture_on_commit_callbacks(execute=True):
        allocation_run_retry(actor=ministry_user, run=run)  # enqueued after commit; eager Celery runs it
    run.refresh_from_db()
    assert run.status == AllocationRun.Status.FINISHED
    assert run.attempts == 2
    assert run.allocations.count() == 342
    assert AllocationRun.objects.filter(name=run.name).count() == 1
    assert [e.action for e in events_for(run)][-2:] == ["verdeling.opnieuw", "verdeling.klaar"]


def test_a_finished_run_cannot_be_retried(run_2025_2026, ministry_user):
    with pytest.raises(ValidationError):
        allocation_run_retry(actor=ministry_user, run=run_2025_2026)


def test_missing_budget_for_a_year_is_refused_before_anything_is_stored(ministry_user, default_key, db):
    version = BudgetVersion.objects.get(kind="basis")
    with pytest.raises(ValidationError, match="geen budget"):
        allocation_run_start(actor=ministry_user, regulation="brede_spuk", years=[2030], budget_version=version,
                             distribution_key=default_key)
    assert not AllocationRun.objects.filter(years=[2030]).exists()


@pytest.mark.worker
def test_a_run_is_computed_by_a_real_celery_worker(reference_data, celery_worker_process):
    version = BudgetVersion.objects.get(kind="vastgesteld")
    key = DistributionKey.objects.get(is_default=True)
    run = allocation_run_start(actor=None, regulation="brede_spuk", years=[2025, 2026], budget_version=version,
                               distribution_key=key)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.is_done:
            break
        time.sleep(0.2)
    assert run.status == AllocationRun.Status.FINISHED, run.error
    assert run.task_id
    assert run.progress == 100 and run.started_at and run.finished_at
    assert run.allocations.count() == 342 * 2


@pytest.mark.django_db
def test_a_key_whose_weights_do_not_add_up_to_one_is_refused_by_the_service_as_by_the_form():
    from budgets.models import DistributionKey, Factor
    from budgets.services import distribution_key_create

    before = DistributionKey.objects.count()
    with pytest.raises(ValidationError) as refused:
        distribution_key_create(actor=None, name="Scheef", reference_year=2023,
                                weights={Factor.POPULATION: "0.6", Factor.DISADVANTAGE: "0.5"})
    assert refused.value.messages == ["De gewichten moeten samen precies 1 zijn (nu 1,1)."]
    assert DistributionKey.objects.count() == before
