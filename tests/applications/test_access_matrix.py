import pytest
from django.urls import get_resolver

from tests.access import check_access, matrix_params

from .access_matrix import ALMERE, CASES


@pytest.mark.django_db
@pytest.mark.parametrize("case,role", matrix_params(CASES))
def test_access(client, case, role):
    check_access(client, case, role)


def test_every_url_of_the_app_is_in_the_matrix():
    resolver = get_resolver()
    names = {f"applications:{name}" for name in resolver.namespace_dict["applications"][1].reverse_dict
             if isinstance(name, str)}
    assert names == {case.url_name for case in CASES}


def test_kerkrade_is_refused_on_every_url_of_almeres_application():
    almere_urls = [c for c in CASES if c.args and c.url_name not in (
        "applications:start", "applications:period_edit", "applications:extension_grant")]
    assert len(almere_urls) >= 18
    for case in almere_urls:
        assert "gemeente3" not in case.allowed and case.allowed >= ALMERE
