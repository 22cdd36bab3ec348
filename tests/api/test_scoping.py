"""What each token's lists hold is what the matching portal user's pages list: the same applications as
`applications_for_user`, the same SiSa reports as `visible_reports`, the decisions of those applications."""

import pytest
from django.contrib.auth import get_user_model

from applications.intake.selectors import applications_for_user
from monitoring.permissions import visible_reports

from .access_matrix import TOKEN_A, TOKEN_B, TOKEN_HOLDER, TOKEN_MINISTRY

pytestmark = pytest.mark.django_db

PAGE_USER = {TOKEN_A: "gemeente2", TOKEN_B: "gemeente3", TOKEN_HOLDER: "gemeente", TOKEN_MINISTRY: "ministerie"}


def _all(api_get, url, token):
    response = api_get(url, token, {"per_pagina": 5000})
    assert response.status_code == 200
    return response.json()["resultaten"]


@pytest.mark.parametrize("kind", list(PAGE_USER))
def test_each_token_lists_what_its_organisations_pages_list(api_tokens, api_get, kind):
    user = get_user_model().objects.get(username=PAGE_USER[kind])
    token = api_tokens[kind]
    applications = applications_for_user(user)

    assert {a["id"] for a in _all(api_get, "/api/v1/aanvragen/", token)} == {a.pk for a in applications}
    assert ({d["kenmerk"] for d in _all(api_get, "/api/v1/beschikkingen/", token)}
            == {a.decision.reference for a in applications if hasattr(a, "decision")})
    assert ({r["id"] for r in _all(api_get, "/api/v1/verantwoordingen/", token)}
            == set(visible_reports(user).values_list("pk", flat=True)))
    # the money of every recipient whose SiSa report the user reads (the recipient's other years too)
    recipients = {(r.municipality.cbs_code, None) if r.region_id is None else (None, r.region.slug)
                  for r in visible_reports(user).select_related("municipality", "region")}
    money = {(r["cbs_code"], r["regio"]) for r in _all(api_get, "/api/v1/geld/", token)}
    assert recipients <= money


def test_the_lists_differ_per_organisation(api_tokens, api_get):
    """Not a vacuous match: Lelystad sees its own application and not Kerkrade's; the ministry sees both and no
    draft; Urk's decision is in the ministry's list only."""
    ids = {kind: {(a["cbs_code"], a["regio"], a["status"]) for a in _all(api_get, "/api/v1/aanvragen/",
                                                                         api_tokens[kind])}
           for kind in PAGE_USER}
    assert ("GM0995", None, "ingediend") in ids[TOKEN_A] and not any(c == "GM0928" for c, _, _ in ids[TOKEN_A])
    assert ("GM0928", None, "ingediend") in ids[TOKEN_B] and not any(c == "GM0995" for c, _, _ in ids[TOKEN_B])
    assert (None, "flevoland", "concept") in ids[TOKEN_HOLDER] and (None, "flevoland", "concept") in ids[TOKEN_A]
    assert {("GM0995", None, "ingediend"), ("GM0928", None, "ingediend")} <= ids[TOKEN_MINISTRY]
    assert not any(status == "concept" for _, _, status in ids[TOKEN_MINISTRY])
    urk = [d for d in _all(api_get, "/api/v1/beschikkingen/", api_tokens[TOKEN_MINISTRY]) if d["cbs_code"] == "GM0184"]
    assert urk and urk[0]["besluit"] == "toegekend" and urk[0]["bedragen"] and urk[0]["voorschotten"]
    assert urk[0]["totaal"] == sum(line["bedrag"] for line in urk[0]["bedragen"])
    assert not _all(api_get, "/api/v1/beschikkingen/", api_tokens[TOKEN_A])
