"""What a finance system or an open-data user notices of the API: the allocation rows are the CSV export's,
CSV or JSON as asked, pages, filters with Dutch reasons, 304 for data it already has, a limit per token,
and tokens that the beheer makes, sees once and revokes, every step in the audit trail."""

import csv
import io

import pytest
from django.utils.http import http_date

from api import services
from api.models import ApiToken
from budgets.demo import DEMO_RUN_NAME
from budgets.models import AllocationRun
from budgets.reports import render_csv
from spukportal.models import AuditEvent

from .access_matrix import NO_TOKEN, TOKEN_A, TOKEN_B, TOKEN_MINISTRY, TOKEN_REVOKED

pytestmark = pytest.mark.django_db


@pytest.fixture
def run():
    return AllocationRun.objects.get(name=DEMO_RUN_NAME)


def test_the_allocation_csv_is_the_export_csv(api_get, run):
    """Page after page (the Link header's rel="next"), the same columns, rows and order as the allocation
    export (budgets.reports.render_csv)."""
    url, pages, lines = f"/api/v1/verdelingen/{run.pk}/bedragen/?per_pagina=5000", 0, []
    while url:
        response = api_get(url, HTTP_ACCEPT="text/csv")
        assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
        header, *rows = response.content.decode().splitlines()
        lines += ([header] if not lines else []) + rows
        url = next((part.split(">")[0].lstrip("<") for part in response.get("Link", "").split(", ")
                    if part.endswith('rel="next"')), None)
        pages += 1
    assert pages > 1 and int(response["X-Total-Count"]) == len(lines) - 1
    assert "\r\n".join(lines) + "\r\n" == render_csv(run).decode()


def test_json_and_csv_of_a_filtered_page(api_get, run):
    url = f"/api/v1/verdelingen/{run.pk}/bedragen/"
    data = api_get(url, data={"gemeente": "GM0034", "jaar": 2024, "per_pagina": 5}).json()
    assert list(data) == ["aantal", "volgende", "vorige", "resultaten"]
    assert data["aantal"] == 15 and len(data["resultaten"]) == 5 and "pagina=2" in data["volgende"]
    assert {r["cbs_code"] for r in data["resultaten"]} == {"GM0034"} and {r["jaar"] for r in data["resultaten"]} == {2024}
    assert list(data["resultaten"][0]) == ["cbs_code", "naam", "onderdeel", "jaar", "bedrag"]
    content = api_get(url + "?format=csv&gemeente=GM0034&jaar=2024").content.decode()
    assert content.startswith("\ufeff")  # the portal's CSV dialect: what Dutch Excel opens as columns
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == ["cbs_code", "naam", "onderdeel", "jaar", "bedrag"] and len(rows) == 16


def test_a_bad_filter_is_a_400_with_the_reason_per_parameter(api_get, api_tokens):
    response = api_get("/api/v1/aanvragen/", api_tokens[TOKEN_A], {"jaar": "2099", "gemeente": "Almere",
                                                                  "regeling": "spuk"})
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"jaar", "gemeente", "regeling"}
    assert "2040" in errors["jaar"][0] and "GM0034" in errors["gemeente"][0]


def test_filters_on_year_regulation_and_gemeente(api_get, api_tokens):
    token = api_tokens[TOKEN_MINISTRY]
    everything = api_get("/api/v1/aanvragen/", token).json()["aantal"]
    iza = api_get("/api/v1/aanvragen/", token, {"regeling": "spuk_iza"}).json()["resultaten"]
    assert all(a["regeling"] == "spuk_iza" for a in iza) and len(iza) < everything
    kerkrade = api_get("/api/v1/aanvragen/", token, {"gemeente": "GM0928", "jaar": 2025}).json()["resultaten"]
    assert kerkrade and all(a["cbs_code"] == "GM0928" and a["eerste_jaar"] <= 2025 <= a["laatste_jaar"]
                            for a in kerkrade)


def test_data_the_client_has_comes_back_as_304(api_get, run):
    url = f"/api/v1/verdelingen/{run.pk}/bedragen/?gemeente=GM0034"
    first = api_get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"] == http_date(
        run.finished_at.timestamp())
    assert api_get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert api_get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    # another representation of the same rows is another entity
    as_csv = api_get(url, HTTP_ACCEPT="text/csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert as_csv.status_code == 200 and as_csv["ETag"] != first["ETag"]
    assert api_get(url + "&jaar=2024", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_an_organisations_data_may_be_kept_only_by_itself(api_get, api_tokens):
    response = api_get("/api/v1/aanvragen/", api_tokens[TOKEN_A])
    assert "private" in response["Cache-Control"] and "Authorization" in response["Vary"]
    assert "public" in api_get("/api/v1/gemeenten/")["Cache-Control"]


def test_each_token_has_its_own_limit(api_get, api_tokens, settings):
    settings.API_THROTTLE_RATES = {"token": "3/min", "anoniem": "2/min"}
    for _ in range(3):
        assert api_get("/api/v1/gemeenten/", api_tokens[TOKEN_A]).status_code == 200
    refused = api_get("/api/v1/gemeenten/", api_tokens[TOKEN_A])
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert api_get("/api/v1/gemeenten/", api_tokens[TOKEN_B]).status_code == 200  # another token: its own count
    assert [api_get("/api/v1/gemeenten/").status_code for _ in range(3)] == [200, 200, 429]


def test_refused_tokens_are_audited(api_get, api_tokens):
    before = AuditEvent.objects.filter(action="api.token_geweigerd").count()
    assert api_get("/api/v1/gemeenten/", api_tokens[TOKEN_REVOKED]).status_code == 401
    assert api_get("/api/v1/aanvragen/", "Bearer spuk_verzonnen").status_code == 401
    refused = list(AuditEvent.objects.filter(action="api.token_geweigerd").order_by("id"))[before:]
    assert [e.message for e in refused] == ["API-token geweigerd: ingetrokken", "API-token geweigerd: onbekende token"]
    assert refused[0].object_type == "api.apitoken" and refused[0].details["pad"] == "/api/v1/gemeenten/"
    assert api_get("/api/v1/gemeenten/", api_tokens[NO_TOKEN]).status_code == 200


def test_guessing_tokens_is_limited_before_it_fills_the_audit_trail(api_get, api_tokens, settings):
    settings.API_THROTTLE_RATES = {"token": "100/min", "anoniem": "2/min"}
    before = AuditEvent.objects.filter(action="api.token_geweigerd").count()
    answers = [api_get("/api/v1/gemeenten/", f"Bearer spuk_gok{n}").status_code for n in range(4)]
    assert answers == [401, 401, 429, 429]
    assert AuditEvent.objects.filter(action="api.token_geweigerd").count() == before + 2
    assert api_get("/api/v1/gemeenten/", api_tokens[TOKEN_A]).status_code == 200  # a valid token still gets in


def test_the_beheer_makes_a_token_that_is_shown_once_and_stored_as_a_hash(login, api_get):
    from regions.models import Municipality

    client = login("beheer")
    almere = Municipality.objects.get(cbs_code="GM0034")
    missing = client.post("/beheer/api/apitoken/add/", {"name": "Financiën Almere", "scope": "gemeente"})
    assert missing.status_code == 200 and "Kies de gemeente" in missing.content.decode()
    assert not ApiToken.objects.exists()

    page = client.post("/beheer/api/apitoken/add/", {"name": "Financiën Almere", "scope": "gemeente",
                                                      "municipality": almere.pk})
    assert page.status_code == 200
    key = page.context["key"]
    assert key in page.content.decode()
    token = ApiToken.objects.get()
    assert token.key_hash == services.hash_token(key) and key not in (token.key_hash, token.prefix)
    assert AuditEvent.objects.filter(action="api.token_aangemaakt", object_id=str(token.pk),
                                     actor__username="beheer").exists()
    assert api_get("/api/v1/aanvragen/", f"Bearer {key}").status_code == 200
    assert key not in client.get(f"/beheer/api/apitoken/{token.pk}/change/").content.decode()

    client.post("/beheer/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by.username == "beheer"
    assert AuditEvent.objects.filter(action="api.token_ingetrokken", object_id=str(token.pk)).exists()
    assert api_get("/api/v1/aanvragen/", f"Bearer {key}").status_code == 401


def test_only_the_beheer_makes_tokens(login):
    response = login("ministerie").get("/beheer/api/apitoken/add/")
    assert response.status_code in (302, 403) and "api-token" not in response.content.decode()


@pytest.mark.parametrize("json_containment", [True, False], ids=["postgresql", "zonder-json-containment"])
def test_the_runs_of_a_year_also_without_json_containment(api_get, api_tokens, monkeypatch, json_containment):
    """`?jaar=` on the runs: PostgreSQL looks inside the JSON list of years; SQLite (`make run`) cannot, and there
    the portal picks the runs itself (before: a 500)."""
    from django.db import connection

    if json_containment and not connection.features.supports_json_field_contains:
        pytest.skip("Deze database kent geen JSON-containment.")
    monkeypatch.setattr(connection.features, "supports_json_field_contains", json_containment)
    demo = AllocationRun.objects.get(name=DEMO_RUN_NAME)
    only_2023 = AllocationRun.objects.create(name="Alleen 2023", regulation=demo.regulation, years=[2023],
                                             status=AllocationRun.Status.FINISHED, is_published=True)
    token = api_tokens[TOKEN_MINISTRY]

    def names(year):
        response = api_get("/api/v1/verdelingen/", token, {"jaar": year, "per_pagina": 500})
        assert response.status_code == 200
        return {run["naam"] for run in response.json()["resultaten"]}

    assert DEMO_RUN_NAME in names(2025) and only_2023.name not in names(2025)
    assert {DEMO_RUN_NAME, only_2023.name} <= names(2023)
    assert not names(2040)
