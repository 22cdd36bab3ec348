import pytest

from .access_matrix import CASES, TOKEN_KINDS


def _params():
    return [pytest.param(case, kind, id=f"{case.label or case.url_name}-{kind}")
            for case in CASES for kind in TOKEN_KINDS]


@pytest.mark.django_db
@pytest.mark.parametrize("case,kind", _params())
def test_api_access(api_tokens, api_get, case, kind):
    response = api_get(case.url(), api_tokens[kind])
    expected = case.expected(kind)
    assert response.status_code == expected, (
        f"{case.url()} met {kind}: verwacht {expected}, kreeg {response.status_code}: {response.content[:200]}")
    if expected == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["gemeente2", "ministerie", "beheer"])
def test_a_portal_session_opens_no_organisation_endpoint(login, role):
    """The API reads tokens only: a logged-in browser (even the ministry's) gets 401, not its data."""
    client = login(role)
    for name in ("aanvragen", "beschikkingen", "verantwoordingen"):
        assert client.get(f"/api/v1/{name}/").status_code == 401
