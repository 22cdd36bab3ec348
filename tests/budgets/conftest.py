"""Fixtures of the budgets tests. The shipped reference data (budget versions, default key) and the demo runs
are in the test database already (tests/conftest.py)."""

import pytest
from django.contrib.auth import get_user_model

from budgets.demo import DEMO_RUN_NAME, OFFICIAL_RUN_NAME
from budgets.importers import EstablishedTotalsImporter, GalaBudgetImporter
from budgets.models import AllocationRun, BudgetVersion, DistributionKey
from budgets.services import allocation_run_start


@pytest.fixture
def ministry_user(db):
    return get_user_model().objects.get(username="ministerie")


@pytest.fixture
def default_key(db):
    return DistributionKey.objects.get(is_default=True)


@pytest.fixture
def established_version(db):
    return BudgetVersion.objects.get(name=EstablishedTotalsImporter.version_name)


@pytest.fixture
def base_version(db):
    return BudgetVersion.objects.get(name=GalaBudgetImporter.version_name)


@pytest.fixture
def demo_run(db):
    return AllocationRun.objects.get(name=DEMO_RUN_NAME)


@pytest.fixture
def official_run(db):
    return AllocationRun.objects.get(name=OFFICIAL_RUN_NAME)


@pytest.fixture
def run_2025_2026(ministry_user, established_version, default_key):
    """The established 2025/2026 brede SPUK totals over the default key, computed in the process."""
    return allocation_run_start(actor=ministry_user, regulation="brede_spuk", years=[2025, 2026],
                                budget_version=established_version, distribution_key=default_key, run_now=True)
