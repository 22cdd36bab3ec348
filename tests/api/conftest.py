import pytest

from .access_matrix import make_tokens


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Each test starts with no requests counted (the counts live in the cache)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def api_tokens(db):
    """{token kind: Authorization header value, or None for no token}: a token of Lelystad (gemeente A), of
    Kerkrade (gemeente B), of Almere (mandate holder of Flevoland), of the ministry, and a revoked one."""
    return make_tokens()


@pytest.fixture
def api_get(client):
    """`api_get(url, token=header or None, **headers)`."""

    def get(url, token=None, data=None, **headers):
        if token:
            headers["HTTP_AUTHORIZATION"] = token
        return client.get(url, data=data or {}, **headers)

    return get

