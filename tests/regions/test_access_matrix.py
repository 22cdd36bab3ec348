import pytest

from tests.access import check_access, matrix_params, shared_scenario

from .access_matrix import CASES

scenario_root, private_root = shared_scenario(CASES)


@pytest.mark.django_db
@pytest.mark.parametrize("case,role", matrix_params(CASES))
def test_access(client, case, role):
    check_access(client, case, role)
