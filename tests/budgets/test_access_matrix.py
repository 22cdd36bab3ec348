import pytest

from tests.access import check_access, matrix_params

from .access_matrix import CASES


@pytest.mark.django_db
@pytest.mark.parametrize("case,role", matrix_params(CASES))
def test_access(client, case, role):
    check_access(client, case, role)
