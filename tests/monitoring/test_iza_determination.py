"""The SPUK IZA determination (vaststelling): the recipient is the IZA-regio, the mandate holder (Almere, "gemeente")
accounts for it and reads its determination. Walked from the region's SiSa reports through concept → vastgesteld
→ terugvordering verzonden → ontvangen (or closed without a reclaim), with the ledger entries booked for the region.
Who reads it: the mandate holder and the ministry; a member gemeente of the region (Lelystad, "gemeente2") reads
the region's SiSa reports but not the determination (a decision addressed to the mandate holder); a gemeente of
another region (Kerkrade, "gemeente3") and the kerngroep read neither."""

import pytest
from django.core.files.storage import storages

from budgets.ledger import sources
from budgets.ledger.models import LedgerEntry
from budgets.ledger import selectors as ledger
from monitoring.accountability import services as sisa_services
from monitoring.determination.models import Determination
from tests.monitoring import iza_determination_factories as f
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

Kind = LedgerEntry.Kind


def text(response):
    return response.content.decode().replace("\xa0", " ")


def euro(amount):
    return f"€ {amount:,}".replace(",", ".")


def test_the_concept_is_the_regions_reclaiming_each_years_underspend_without_carry_over():
    d = f.concept()
    granted = {y.year: y.granted for y in d.years.all()}
    spent_2024 = f.current(2024).lines.get().expenditure
    assert d.region == f.region() and d.municipality is None and d.final_report.municipality == f.almere()
    assert d.reference.startswith("VWS-VS-IZA-R") and d.status == "concept"
    years = {y.year: y for y in d.years.all()}
    assert sorted(years) == [2024, 2025, 2026]
    assert all(y.cap == 0 and y.carried_out == 0 and y.carried_in == 0 for y in years.values())
    assert years[2024].reclaim == granted[2024] - spent_2024 > 0
    assert years[2025].reclaim == f.UNDER_2025
    assert years[2026].reclaim == 0 and years[2026].not_paid == f.OVER_2026
    assert d.reclaim == granted[2024] - spent_2024 + f.UNDER_2025
    assert d.determined + d.reclaim == d.granted == sum(granted.values())
    # the SiSa page of the final accounting shows the same reclaim before the determination
    assert sisa_services.reclaim_of(d.final_report) == d.reclaim


def test_the_mandate_holder_reads_neither_the_concept_nor_finds_it_in_the_list(login):
    d = f.concept()
    assert login("gemeente").get(f"/vaststelling/{d.pk}/").status_code == 403
    assert f"/vaststelling/{d.pk}/" not in text(login("gemeente").get("/vaststelling/"))


def test_the_walk_to_a_received_reclaim_books_the_region_in_the_ledger(login):
    d = f.determined(render=True)
    on = d.letter_date.strftime("%d-%m-%Y")
    region = f.region()
    position = ledger.position(region, d.regulation)
    assert {y: position[y].determined for y in (2024, 2025, 2026)} == {y.year: y.determined for y in d.years.all()}
    booked = LedgerEntry.objects.filter(source_kind=sources.DETERMINATION, source_id=d.pk)
    assert set(booked.values_list("region_id", "municipality_id")) == {(region.pk, None)}
    assert not LedgerEntry.objects.filter(municipality=f.almere(), regulation=d.regulation).exists()

    holder = login("gemeente")
    page = text(holder.get(f"/vaststelling/{d.pk}/"))
    assert "IZA-regio Flevoland, mandaathouder Almere" in page and euro(d.reclaim) in page
    assert f'href="/vaststelling/{d.pk}/"' in text(holder.get("/vaststelling/"))
    letter = pdf_text(storages["private"].open(d.letter.file, "rb").read())
    assert "als mandaathouder namens de gemeenten in de IZA-regio Flevoland" in letter
    assert f"Ik vorder {euro(d.reclaim)} terug" in letter
    assert holder.get(f"/vaststelling/{d.pk}/brief.pdf").status_code == 200

    ministry = login("ministerie")
    assert ministry.post(f"/vaststelling/{d.pk}/stap/terugvorderen/", {"on": on, "confirm": "on"}).status_code == 302
    reclaimed = {y: p.reclaimed for y, p in ledger.position(region, d.regulation).items() if p.reclaimed}
    assert reclaimed == {y.year: y.reclaim for y in d.years.all() if y.reclaim}
    assert ministry.post(f"/vaststelling/{d.pk}/stap/ontvangen/", {"on": on, "confirm": "on"}).status_code == 302
    d.refresh_from_db()
    assert d.status == "ontvangen" and d.settled_on == d.letter_date
    assert "Ontvangen/verrekend" in text(holder.get("/vaststelling/"))


def test_fully_spent_the_region_is_closed_without_a_reclaim(login):
    d = f.determined(reclaim=False)
    assert d.reclaim == 0 and d.determined == d.granted
    client = login("ministerie")
    steps = text(client.get(f"/vaststelling/{d.pk}/"))
    assert "Afsluiten zonder terugvordering" in steps and "Terugvordering verzenden" not in steps
    on = d.letter_date.strftime("%d-%m-%Y")
    assert client.post(f"/vaststelling/{d.pk}/stap/afsluiten/", {"on": on, "confirm": "on"}).status_code == 302
    assert Determination.objects.get(pk=d.pk).status == "geen_terugvordering"
    assert not any(p.reclaimed for p in ledger.position(f.region(), d.regulation).values())
    assert "Geen terugvordering" in text(login("gemeente").get("/vaststelling/"))


@pytest.mark.parametrize("username", ["gemeente2", "gemeente3", "kerngroep"])
def test_no_one_else_reads_the_regions_determination(login, username):
    d = f.determined(render=True)
    client = login(username)
    assert client.get(f"/vaststelling/{d.pk}/").status_code == 403
    assert client.get(f"/vaststelling/{d.pk}/brief.pdf").status_code == 403
    if username != "kerngroep":
        assert f"/vaststelling/{d.pk}/" not in text(client.get("/vaststelling/"))


def test_a_member_gemeente_reads_the_final_accounting_with_the_reclaim_but_no_link_it_cannot_follow(login):
    d = f.determined()
    member = text(login("gemeente2").get(f"/verantwoording/{d.final_report.pk}/"))
    assert euro(d.reclaim) in member and d.reference in member
    assert f"/vaststelling/{d.pk}/" not in member
    holder = text(login("gemeente").get(f"/verantwoording/{d.final_report.pk}/"))
    assert f"/vaststelling/{d.pk}/" in holder
    assert login("gemeente3").get(f"/verantwoording/{d.final_report.pk}/").status_code == 403


def test_the_page_and_the_letter_do_not_offer_a_carry_over_the_regulation_lacks(login):
    d = f.determined(render=True)
    page = text(login("gemeente").get(f"/vaststelling/{d.pk}/"))
    letter = pdf_text(storages["private"].open(d.letter.file, "rb").read())
    for content in (page, letter):
        assert "12 september 2025" not in content and "12-09-2025" not in content
        assert "niet naar een volgend jaar" in content
        assert "Uit vorig jaar" not in content and "Naar volgend jaar" not in content


def test_the_brede_spuk_keeps_its_carry_over_columns_and_reference(login):
    from tests.monitoring import determination_factories as brede

    d = brede.determined()
    page = text(login("gemeente3").get(f"/vaststelling/{d.pk}/"))
    letter = pdf_text(storages["private"].open(d.letter.file, "rb").read())
    for content in (page, letter):
        assert "Uit vorig jaar" in content and "Naar volgend jaar" in content
    assert "12-09-2025" in page and "12 september 2025" in letter
