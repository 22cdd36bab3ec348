"""/api/v1/geld/: what was granted, paid, spent, carried over, determined and reclaimed per recipient, regulation and
year — the grant ledger's figures (the same as the pages), scoped as the SiSa reports are: a gemeente reads its own
money and its IZA-regio's, the ministry everyone's."""

import csv
import io

import pytest

from budgets.ledger import selectors as ledger
from budgets.models import Regulation
from monitoring.models import SpendingReport
from regions.models import Municipality, Region

from .access_matrix import TOKEN_A, TOKEN_B, TOKEN_HOLDER, TOKEN_MINISTRY

pytestmark = pytest.mark.django_db

URL = "/api/v1/geld/"


def _rows(api_get, token, **filters):
    response = api_get(URL, token, {"per_pagina": 5000, **filters})
    assert response.status_code == 200, response.content
    return response.json()["resultaten"]


def _recipients(rows):
    return {row["cbs_code"] or row["regio"] for row in rows}


def test_kerkrade_reads_its_grant_spending_and_carry_over_as_the_ledger_has_them(api_get, api_tokens):
    kerkrade = Municipality.objects.get(cbs_code="GM0928")
    position = ledger.position(kerkrade, Regulation.BREDE_SPUK)
    rows = {row["jaar"]: row for row in _rows(api_get, api_tokens[TOKEN_B], regeling="brede_spuk")}
    assert set(rows) == set(position) and {2025, 2026} <= set(rows)
    spent_2025 = SpendingReport.objects.get(municipality=kerkrade, regulation=Regulation.BREDE_SPUK, year=2025,
                                            status="ingediend").lines.get().expenditure
    row = rows[2025]
    assert (row["cbs_code"], row["regio"], row["naam"]) == ("GM0928", None, "Kerkrade")
    assert row["toegekend"] == position[2025].granted > 0
    assert row["besteed"] == spent_2025
    assert row["overgeheveld"] == row["toegekend"] // 10 > 0  # the demo carries the 10 % cap over to 2026
    assert rows[2026]["besteed"] > rows[2026]["toegekend"]  # and overspends 2026
    assert row["vastgesteld"] == row["teruggevorderd"] == 0


def test_the_mandate_holder_and_a_member_read_the_regions_money_another_region_does_not(api_get, api_tokens):
    flevoland = Region.objects.get(name="Flevoland")
    granted = {y: p.granted for y, p in ledger.position(flevoland, Regulation.SPUK_IZA).items() if p.granted}
    for kind in (TOKEN_HOLDER, TOKEN_A):
        region_rows = {r["jaar"]: r for r in _rows(api_get, api_tokens[kind], regio=flevoland.slug)}
        assert {y: r["toegekend"] for y, r in region_rows.items() if r["toegekend"]} == granted
        assert {r["naam"] for r in region_rows.values()} == {"Flevoland"}
    assert "GM0034" in _recipients(_rows(api_get, api_tokens[TOKEN_HOLDER]))
    lelystad = _recipients(_rows(api_get, api_tokens[TOKEN_A]))
    assert "GM0034" not in lelystad and flevoland.slug in lelystad
    kerkrade = _recipients(_rows(api_get, api_tokens[TOKEN_B]))
    assert flevoland.slug not in kerkrade and "GM0034" not in kerkrade and "GM0928" in kerkrade
    assert not _rows(api_get, api_tokens[TOKEN_B], regio=flevoland.slug)


def test_the_ministry_reads_everyone_and_the_sums_are_the_ledgers(api_get, api_tokens):
    rows = _rows(api_get, api_tokens[TOKEN_MINISTRY], jaar=2025, regeling="brede_spuk")
    assert {"GM0034", "GM0928"} <= _recipients(rows)
    by_code = {r["cbs_code"]: r["toegekend"] for r in rows if r["cbs_code"]}
    totals = ledger.totals_by_recipient(regulation=Regulation.BREDE_SPUK, year=2025)
    codes = dict(Municipality.objects.filter(pk__in=totals).values_list("pk", "cbs_code"))
    assert {codes[pk]: euros for pk, euros in totals.items()} == {c: e for c, e in by_code.items() if e}


def test_csv_has_a_column_per_kind_and_a_bad_filter_is_a_400(api_get, api_tokens):
    response = api_get(URL, api_tokens[TOKEN_B], {"format": "csv", "jaar": 2025})
    assert response.status_code == 200
    reader = csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    header = next(reader)
    assert header == ["cbs_code", "regio", "naam", "regeling", "jaar", "toegekend", "voorschot_gepland",
                      "voorschot_betaald", "besteed", "overgeheveld", "vastgesteld", "teruggevorderd"]
    assert any(row[0] == "GM0928" for row in reader)
    bad = api_get(URL, api_tokens[TOKEN_B], {"jaar": "twintig", "gemeente": "0928"})
    assert bad.status_code == 400 and {"jaar", "gemeente"} <= set(bad.json())
