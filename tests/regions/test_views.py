import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_officer_start_page_shows_own_gemeente_region_and_members(login):
    response = login("gemeente").get(reverse("home"))
    html = response.content.decode()
    assert "Gemeente Almere" in html and "GM0034" in html
    assert "Flevoland" in html and "dat is deze gemeente" in html  # Almere is the mandate holder
    for member in ("Lelystad", "Dronten", "Noordoostpolder", "Urk"):
        assert member in html
    assert "222.825" in html  # population 2023, Dutch notation
    assert "Kerkrade" not in html


def test_officer_of_lelystad_sees_almere_as_mandate_holder(login):
    html = login("gemeente2").get(reverse("home")).content.decode()
    assert "Gemeente Lelystad" in html and "Mandaathouder van de regio" in html
    assert ">Almere</a>" in html and "dat is deze gemeente" not in html


@pytest.mark.parametrize("params,expected,absent", [
    ({"q": "almere"}, ["Almere"], ["Lelystad"]),
    ({"q": "GM0928"}, ["Kerkrade"], ["Almere"]),
    ({"province": "Flevoland"}, ["Almere", "Zeewolde"], ["Kerkrade"]),
    ({"region": "zuid-limburg"}, ["Kerkrade", "Maastricht"], ["Almere"]),
])
def test_municipality_list_search_and_filters(login, params, expected, absent):
    html = login("kerngroep").get(reverse("regions:municipality_list"), params).content.decode()
    for name in expected:
        assert f">{name}</a>" in html
    for name in absent:
        assert f">{name}</a>" not in html


def test_municipality_list_counts_all_342_and_shows_them_50_per_page_at_a_fixed_query_cost(
        login, django_assert_max_num_queries):
    client = login("ministerie")
    with django_assert_max_num_queries(8):
        html = client.get(reverse("regions:municipality_list")).content.decode()
    assert "342 gemeenten gevonden, pagina 1 van 7." in html
    assert html.count('data-label="CBS-code"') == 50
    assert 'rel="next" href="?pagina=2">Volgende' in html and "Vorige" not in html


def test_municipality_list_pages_keep_the_filters(login):
    client = login("gemeente")
    url = reverse("regions:municipality_list")
    last = client.get(url, {"pagina": 7}).content.decode()
    assert last.count('data-label="CBS-code"') == 342 - 6 * 50 and "Volgende" not in last
    assert 'rel="prev" href="?pagina=6">Vorige' in last
    assert "pagina 1 van 7" in client.get(url, {"pagina": "x"}).content.decode()  # not a number: the first page
    gelderland = client.get(url, {"province": "Gelderland", "q": "", "pagina": 2}).content.decode()
    assert "51 gemeenten gevonden, pagina 2 van 2." in gelderland
    assert "?province=Gelderland&amp;q=&amp;pagina=1" in gelderland
    flevoland = client.get(url, {"province": "Flevoland"}).content.decode()
    assert "6 gemeenten gevonden." in flevoland and "Pagina's met gemeenten" not in flevoland


def test_region_list_and_filter_without_mandate_holder(login, django_assert_max_num_queries):
    from regions.models import MandateHolder

    client = login("ministerie")
    with django_assert_max_num_queries(8):
        html = client.get(reverse("regions:region_list")).content.decode()
    assert "42 regio&#x27;s gevonden" in html
    MandateHolder.objects.filter(region__slug="flevoland").delete()
    html = client.get(reverse("regions:region_list"), {"has_mandate_holder": "nee"}).content.decode()
    assert ">Flevoland</a>" in html and ">Twente</a>" not in html


def test_region_detail_lists_members_and_mandate_holder(login):
    html = login("gemeente3").get(reverse("regions:region_detail", args=["zuid-limburg"])).content.decode()
    assert "IZA-regio Zuid-Limburg" in html and "Sittard-Geleen" in html and "Kerkrade" in html


def test_mandate_overview_lists_regions_without_holder_apart(login):
    from regions.models import MandateHolder

    MandateHolder.objects.filter(region__slug="twente").delete()
    html = login("ministerie").get(reverse("regions:mandate_overview")).content.decode()
    assert "zonder mandaathouder (1)" in html and "met mandaathouder (41)" in html
    without = html.split("Regio&#x27;s met mandaathouder")[0] if "&#x27;" in html else html.split("Regio's met")[0]
    assert ">Twente</a>" in without


def test_unknown_gemeente_is_404(login):
    assert login("gemeente").get(reverse("regions:municipality_detail", args=["GM9999"])).status_code == 404


def test_pages_are_dutch_and_accessible_basics(login):
    html = login("gemeente").get(reverse("regions:municipality_list")).content.decode()
    assert '<html lang="nl">' in html
    assert 'href="#inhoud"' in html and "Direct naar de inhoud" in html
    assert 'aria-label="Hoofdmenu"' in html
    assert "cdn" not in html.lower()


@pytest.mark.django_db
@pytest.mark.parametrize("typed,found", [
    ("Den Haag", "'s-Gravenhage"), ("den haag", "'s-Gravenhage"), ("s-gravenhage", "'s-Gravenhage"),
    ("Den Bosch", "'s-Hertogenbosch"), ("sudwest", "Súdwest-Fryslân"), ("FRYSLAN", "Noardeast-Fryslân"),
    ("gm0518", "'s-Gravenhage"), ("0518", "'s-Gravenhage"),
])
def test_gemeenten_are_found_by_common_name_and_code_whatever_the_accents_or_case(client, typed, found):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="gemeente"))
    names = [m.name for m in client.get("/gemeenten/", {"q": typed}).context["page"]]
    assert found in names, (typed, names)


@pytest.mark.django_db
def test_a_region_is_found_by_the_common_name_of_a_member(client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="gemeente"))
    html = client.get("/regios/", {"q": "Den Haag"}).content.decode()
    assert "Haaglanden" in html


@pytest.mark.django_db
def test_the_ministry_links_an_officer_to_a_public_body_who_may_then_apply_for_the_region(login):
    from django.contrib.auth import get_user_model

    from applications.applicants import RegionApplicant
    from regions.models import MandateHolder
    from spukportal.models import AuditEvent

    holder = MandateHolder.objects.get(organisation_name="SamenTwente", valid_until__isnull=True)
    officer = get_user_model().objects.get(username="gemeente3")
    applicant = RegionApplicant(holder.region, holder.valid_from)
    assert not applicant.may_act(officer)
    client = login("ministerie")
    url = reverse("regions:mandate_officers", args=(holder.pk,))
    response = client.post(url, {"username": "niemand"})
    assert response.status_code == 422 and "geen actieve gebruiker met gebruikersnaam ‘niemand’" in \
        response.content.decode()
    assert client.post(url, {"username": "gemeente3"}).status_code == 302
    assert RegionApplicant(holder.region, holder.valid_from).may_act(officer)
    assert AuditEvent.objects.filter(action="mandaat.medewerker_gekoppeld", object_id=str(holder.pk)).exists()
    assert client.post(url, {"ontkoppel": officer.pk}).status_code == 302
    assert not RegionApplicant(holder.region, holder.valid_from).may_act(officer)


def test_the_ministry_sets_a_gemeentes_postal_address_whole_and_audited(login):
    from regions.models import Municipality
    from spukportal.models import AuditEvent

    client = login("ministerie")
    detail = client.get("/gemeenten/GM0928/").content.decode()
    assert "Postadres wijzigen" in detail
    url = "/ministerie/gemeenten/GM0928/postadres/"
    response = client.post(url, {"postal_address": "Postbus 600", "postal_code": "", "postal_city": ""})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Vul het postadres helemaal in" in page and 'value="Postbus 600"' in page
    response = client.post(url, {"postal_address": "Postbus 600", "postal_code": "6460ap", "postal_city": "Kerkrade"})
    assert response.status_code == 302
    kerkrade = Municipality.objects.get(cbs_code="GM0928")
    assert kerkrade.postal_lines == ["Postbus 600", "6460 AP  KERKRADE"]
    event = AuditEvent.objects.filter(action="gemeente.postadres_gewijzigd", object_id=str(kerkrade.pk)).get()
    assert event.details["na"] == ["Postbus 600", "6460 AP  KERKRADE"]
    assert "6460 AP" in client.get("/gemeenten/GM0928/").content.decode()
    assert "Postadres wijzigen" not in login("gemeente3").get("/gemeenten/GM0928/").content.decode()
