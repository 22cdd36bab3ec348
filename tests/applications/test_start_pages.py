"""The start pages: a gemeente sees the standing of its own applications, the ministry's counts lead to the
applications they count, and the main menu keeps the less frequent links under "Meer"."""

import re

import pytest
from django.urls import reverse

from applications.models import Application

from . import factories as f

pytestmark = pytest.mark.django_db


def _section(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    return html[start:html.index("</section>", start)]


def test_kerkrade_sees_the_status_of_its_own_submitted_application(login):
    app = f.submitted(f.scenario(), "GM0928", "gemeente3")
    html = login("gemeente3").get(reverse("home")).content.decode()
    standing = _section(html, "kop-stand")
    assert "Stand van uw aanvragen" in html
    assert f'href="/aanvragen/{app.pk}/"' in standing and app.reference in standing
    assert "Ingediend" in standing and "De kerngroep neemt hem binnenkort in behandeling" in standing
    almere = login("gemeente").get(reverse("home")).content.decode()
    assert app.reference not in almere


def test_a_member_gemeente_reads_the_regions_standing_in_its_own_words(login):
    f.iza_draft(f.iza_scenario())
    standing = _section(login("gemeente2").get(reverse("home")).content.decode(), "kop-stand")
    assert "De mandaatgemeente werkt nog aan deze aanvraag" in standing
    assert "Uw gemeente werkt nog" not in standing


def test_the_ministrys_counts_link_to_exactly_the_applications_they_count(login):
    period = f.scenario()
    positive = f.with_final_advice(f.in_review(f.submitted(period, "GM0034", "gemeente")))
    negative = f.with_final_advice(f.in_review(f.submitted(period, "GM0928", "gemeente3")), advice="negatief")
    awaiting = {state: Application.objects.filter(regulation=positive.regulation, state=state).count()
                for state in ("advies_positief", "advies_negatief")}
    ministry = login("ministerie")
    html = ministry.get(reverse("home")).content.decode()
    assert f"{sum(awaiting.values())} aanvragen wachten op een besluit" in html
    links = dict((label.strip(), href.replace("&amp;", "&")) for href, label in
                 re.findall(r'<a href="(/aanvragen/beoordeling/\?[^"]+)">([^<]+)</a>', _section(html, "kop-ministerie-werk")))
    positive_label = f"Brede SPUK, positief advies: {awaiting['advies_positief']}"
    negative_label = f"Brede SPUK, negatief advies: {awaiting['advies_negatief']}"
    assert set(links) == {positive_label, negative_label}, links
    for label, expected, other in ((positive_label, positive, negative), (negative_label, negative, positive)):
        queue = ministry.get(links[label]).content.decode()
        assert expected.reference in queue and other.reference not in queue, label


def test_the_main_menu_keeps_reference_pages_under_meer(login):
    html = login("ministerie").get(reverse("home")).content.decode()
    nav = html[html.index('aria-label="Hoofdmenu"'):html.index("</nav>")]
    more = nav[nav.index("<details"):nav.index("</details>")]
    bar = nav.replace(more, "")
    for link in ("Aanvragen", "Beoordeling", "Verdeling", "Monitoring", "Verantwoording"):
        assert f">{link}</a>" in bar, link
    for link in ("Aanvraagperiodes", "Verdeelsleutels", "Onderdelen", "Begrotingen", "Downloads", "Gemeenten",
                 "IZA-regio's", "Mandaathouders"):
        assert f">{link}</a>" in more, link


def test_each_application_names_its_regulation_once_however_the_period_is_named(login):
    """The period's name is free text: "Ronde 2025" needs the regulation before it, "SPUK IZA ronde 2025" has
    it already (the demo's IZA period read "SPUK IZA SPUK IZA 2023–2026 (uitwerking)")."""
    brede = f.submitted(f.scenario(), "GM0034", "gemeente")
    brede.period.name = "Ronde 2025"
    brede.period.save()
    iza = f.iza_draft(f.iza_scenario(name="SPUK IZA ronde 2025"))
    standing = _section(login("gemeente").get(reverse("home")).content.decode(), "kop-stand")
    assert ">Brede SPUK Ronde 2025 – Almere</a>" in standing
    assert f">SPUK IZA ronde 2025 – {iza.applicant.name}</a>" in standing
    assert "SPUK IZA SPUK IZA" not in standing


def test_a_periods_full_name_names_its_regulation_once():
    """Used wherever a page or letter names the regulation and the period together (start page, decision form,
    decision and amendment letters, change requests)."""
    from applications.models import ApplicationPeriod

    assert ApplicationPeriod(name="2024–2026", regulation="brede_spuk").full_name == "Brede SPUK 2024–2026"
    assert (ApplicationPeriod(name="SPUK IZA 2023–2026 (uitwerking)", regulation="spuk_iza").full_name
            == "SPUK IZA 2023–2026 (uitwerking)")
    assert ApplicationPeriod(name="spuk iza ronde 3", regulation="spuk_iza").full_name == "spuk iza ronde 3"


def test_the_reviewers_counts_link_to_exactly_the_applications_they_count(login):
    """Not yet assigned, overdue for this reviewer (first or second, while the advice clock runs), and per state:
    each number on the kerngroep's start page is what the queue shows behind its link."""
    from django.utils import timezone

    from .test_review_queue import bulk_submitted

    apps = bulk_submitted(f.scenario(), 120)  # due dates from 5 days ago to 14 days ahead
    kerngroep, other = f.user("kerngroep"), f.user("kerngroep2")
    Application.objects.filter(pk__in=[a.pk for a in apps[:30]]).update(first_reviewer=kerngroep)
    Application.objects.filter(pk__in=[a.pk for a in apps[30:50]]).update(
        first_reviewer=other, second_reviewer=kerngroep, state="in_beoordeling")
    Application.objects.filter(pk__in=[a.pk for a in apps[50:60]]).update(first_reviewer=other,
                                                                          state="aanvulling_gevraagd")
    client = login("kerngroep")
    section = _section(client.get(reverse("home")).content.decode(), "kop-beoordelen")
    links = re.findall(r'<a href="(/aanvragen/beoordeling/\?[^"]+)">(?:<strong>)?([^<]+?)(?::\s*<strong>)?([\d.]*)<',
                       section)
    numbers = {}
    for href, label, count in links:
        number = int((count or label.split()[0]).replace(".", ""))
        shown = client.get(href.replace("&amp;", "&")).content.decode()
        assert re.search(rf"\b{number} aanvra(ag|gen)\b", shown), (href, number)
        numbers[href] = number
    today = timezone.localdate()
    overdue = Application.objects.filter(first_reviewer=kerngroep, review_due_on__lt=today,
                                         state__in=["ingediend", "in_beoordeling"]).count() + \
        Application.objects.filter(second_reviewer=kerngroep, review_due_on__lt=today,
                                   state__in=["ingediend", "in_beoordeling"]).count()
    assert overdue > 0 and numbers["/aanvragen/beoordeling/?mine=on&amp;overdue=on"] == overdue
    assert numbers["/aanvragen/beoordeling/?unassigned=on"] == Application.objects.filter(
        state="ingediend", first_reviewer__isnull=True).count() > 0
    for state in ("ingediend", "in_beoordeling", "aanvulling_gevraagd"):
        assert numbers[f"/aanvragen/beoordeling/?state={state}"] == Application.objects.filter(state=state).count()
