import pytest
from django.urls import get_resolver

from tests.access import check_access, matrix_params, shared_scenario

from .access_matrix import CASES, DASHBOARD_CASES, SISA_CASES

# The determinations' rows make their own objects, row by row: one determination is a concept in one row and
# determined in another, so they cannot share one scenario.
scenario_root, private_root = shared_scenario(SISA_CASES + DASHBOARD_CASES)


@pytest.mark.django_db
@pytest.mark.parametrize("case,role", matrix_params(CASES))
def test_access(client, case, role):
    check_access(client, case, role)


def test_every_url_of_the_app_is_in_the_matrix():
    resolver = get_resolver()
    names = {f"monitoring:{name}" for name in resolver.namespace_dict["monitoring"][1].reverse_dict
             if isinstance(name, str)}
    assert names == {case.url_name for case in CASES}
