import datetime
import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from applications.models import Application
from applications.intake import services
from applications.intake.flow import ApplicationState
from spukportal.money import format_euro

from . import factories as f

pytestmark = pytest.mark.django_db


def components_post(app, **overrides):
    data = {"version": app.edit_version}
    for c in app.components.select_related("component"):
        n = c.component.number
        data[f"c{n}_applied"] = "on" if n in (4, 7) else ""
        data[f"c{n}_reason"] = "" if n in (4, 7) else "Loopt via de regio."
        for year in f.YEARS:
            data[f"c{n}_{year}"] = "10.000" if n in (4, 7) else ""
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def field_errors(response, name):
    """The errors shown at one field (a non-breaking space read as the space a user sees)."""
    return [e.replace("\xa0", " ") for e in response.context["form"].errors.get(name, [])]


def test_officer_starts_an_application_from_the_list(login):
    period = f.scenario()
    client = login("gemeente")
    response = client.get(reverse("applications:list"))
    assert f"Aanvraag starten: {period.name} (Almere)" in response.content.decode()
    response = client.post(reverse("applications:start", args=(period.pk,)),
                           {"municipality": f.municipality("GM0034").pk})
    app = Application.objects.get(period=period, municipality__cbs_code="GM0034")
    assert response["Location"] == reverse("applications:components", args=(app.pk,))


def test_dutch_amount_with_euro_sign_and_dots_is_accepted(login):
    app = f.draft(f.scenario())
    client = login("gemeente")
    response = client.post(reverse("applications:components", args=(app.pk,)),
                           components_post(app, c7_2024="€ 12.345", c4_2025="1.234,00"))
    assert response.status_code == 302
    valpreventie = app.components.get(component__number=7)
    assert valpreventie.amounts.get(year=2024).amount == 12345
    assert app.components.get(component__number=4).amounts.get(year=2025).amount == 1234


@pytest.mark.parametrize("typed,message", [
    ("-500", "Een bedrag kan niet negatief zijn."),
    ("veel", "is geen bedrag"),
    ("100.001", "ten hoogste € 100.000"),
])
def test_wrong_amount_gives_a_dutch_error_on_the_field_and_keeps_what_was_typed(login, typed, message):
    app = f.draft(f.scenario(amount=100_000))
    client = login("gemeente")
    response = client.post(reverse("applications:components", args=(app.pk,)),
                           components_post(app, c7_2025=typed, c4_2024="€ 7.500", c1_reason="Via de regio geregeld"))
    assert response.status_code == 422
    errors = field_errors(response, "c7_2025")
    assert errors and message in errors[0]
    html = response.content.decode()
    assert f'value="{typed}"' in html and 'value="€ 7.500"' in html and "Via de regio geregeld" in html
    assert not app.components.get(component__number=4).amounts.exists()  # nothing half-saved


def test_missing_valpreventie_is_saved_as_draft_and_flagged_on_the_field(login):
    app = f.draft(f.scenario())
    client = login("gemeente")
    response = client.post(reverse("applications:components", args=(app.pk,)),
                           components_post(app, c7_applied="", c4_2024="5.000"))
    assert response.status_code == 200
    assert "Valpreventie is verplicht" in field_errors(response, "c7_applied")[0]
    assert app.components.get(component__number=4).amounts.get(year=2024).amount == 5000
    assert 'value="5.000"' in response.content.decode()
    # The form carries the new version, so saving again right away is no conflict.
    assert response.context["form"].data["version"] == app.edit_version + 1


def test_non_pdf_named_pdf_is_refused_on_the_field(login):
    app = f.draft(f.scenario())
    client = login("gemeente")
    fake = SimpleUploadedFile("ondertekend.pdf", b"PK\x03\x04 dit is een zip", content_type="application/pdf")
    response = client.post(reverse("applications:attachments", args=(app.pk,)), {"kind": "ondertekend", "file": fake})
    assert response.status_code == 422
    assert "geen pdf-bestand" in field_errors(response, "file")[0]
    assert not app.attachments.exists()


def test_too_large_pdf_is_refused(login, settings):
    app = f.draft(f.scenario())
    client = login("gemeente")
    big = SimpleUploadedFile("groot.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024) + b"\n%%EOF\n")
    response = client.post(reverse("applications:attachments", args=(app.pk,)), {"kind": "bijlage", "file": big})
    assert "ten hoogste 10 MB" in field_errors(response, "file")[0]


def test_real_pdf_is_stored_under_a_generated_name_and_downloaded_only_by_who_may(login, client):
    app = f.draft(f.scenario())
    client = login("gemeente")
    upload = SimpleUploadedFile("../../etc/Aanvraag getekend.pdf", f.PDF, content_type="application/pdf")
    response = client.post(reverse("applications:attachments", args=(app.pk,)), {"kind": "ondertekend", "file": upload})
    assert response.status_code == 302
    attachment = app.attachments.get()
    assert attachment.original_name == "Aanvraag getekend.pdf"
    assert "etc" not in attachment.stored_name and attachment.stored_name.startswith(f"aanvragen/{app.pk}/")
    url = reverse("applications:attachment_download", args=(app.pk, attachment.pk))
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == f.PDF
    assert 'attachment; filename="Aanvraag getekend.pdf"' in response["Content-Disposition"]
    other = Client()
    other.force_login(f.user("gemeente3"))
    assert other.get(url).status_code in (403, 404)
    other.force_login(f.user("kerngroep"))
    assert other.get(url).status_code in (403, 404)  # a draft's attachment is not for the kerngroep


def test_two_sessions_editing_one_section_second_is_refused_with_both_versions(client):
    app = f.draft(f.scenario())
    url = reverse("applications:section_save", args=(app.pk, "uitgangssituatie"))
    first, second = Client(), Client()
    first.force_login(f.user("gemeente"))
    second.force_login(f.user("gemeente"))
    # Both opened the plan at version 0.
    r1 = first.post(url, {"uitgangssituatie-text": "Tekst van Anna", "uitgangssituatie-version": 0}, HTTP_HX_REQUEST="true")
    assert r1.status_code == 200 and "Opgeslagen om" in r1.content.decode()
    r2 = second.post(url, {"uitgangssituatie-text": "Tekst van Bram", "uitgangssituatie-version": 0},
                     HTTP_HX_REQUEST="true")
    html = r2.content.decode()
    assert r2.status_code == 200 and r2["HX-Refused"] == "true"  # htmx only swaps 2xx responses
    assert "een collega was u voor" in html and "Tekst van Anna" in html and "niet verloren" in html
    assert app.sections.get(key="uitgangssituatie").text == "Tekst van Anna"
    # While that conflict is on screen, further autosaves are refused quietly (the panel stays).
    quiet = second.post(url, {"uitgangssituatie-text": "Tekst van Bram!", "uitgangssituatie-version": 0,
                              "uitgangssituatie-seen": 1}, HTTP_HX_REQUEST="true")
    assert quiet.status_code == 204
    assert app.sections.get(key="uitgangssituatie").text == "Tekst van Anna"
    # Without htmx the plan page comes back with Bram's text still in the box and Anna's beside it.
    r3 = second.post(url, {"uitgangssituatie-text": "Tekst van Bram", "uitgangssituatie-version": 0})
    page = r3.content.decode()
    assert r3.status_code == 409 and "Tekst van Bram" in page and "Tekst van Anna" in page
    # Bram decides to save his merged text over Anna's version explicitly.
    r4 = second.post(url, {"uitgangssituatie-text": "Anna en Bram samen", "uitgangssituatie-version": 0,
                           "uitgangssituatie-overwrite": 1}, HTTP_HX_REQUEST="true")
    assert r4.status_code == 200
    section = app.sections.get(key="uitgangssituatie")
    assert (section.text, section.version) == ("Anna en Bram samen", 2)
    assert 'id="versie-uitgangssituatie" value="2" data-hx-swap-oob="true"' in r4.content.decode()


def test_completeness_overview_counts_and_links_what_is_missing(login):
    app = f.draft(f.scenario())
    client = login("gemeente")
    html = client.get(reverse("applications:detail", args=(app.pk,))).content.decode()
    assert "0 van 9 onderdelen compleet" in html
    assert reverse("applications:plan", args=(app.pk,)) + "#sectie-uitgangssituatie" in html
    app = f.fill_completely(app)
    html = client.get(reverse("applications:detail", args=(app.pk,))).content.decode()
    assert "9 van 9 onderdelen compleet" in html


def test_submit_needs_confirmation_and_then_is_read_only_with_timeline(login):
    app = f.fill_completely(f.draft(f.scenario()))
    client = login("gemeente")
    url = reverse("applications:submit", args=(app.pk,))
    response = client.post(url, {})
    assert response.status_code == 422 and "Vink aan" in field_errors(response, "confirm")[0]
    assert Application.objects.get(pk=app.pk).state == ApplicationState.CONCEPT
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    html = client.get(reverse("applications:detail", args=(app.pk,))).content.decode()
    assert "Ingediend" in html and "kan niet meer worden gewijzigd" in html and "Aanvraag ingediend (versie 1)" in html
    year_head = 'class="utrecht-table__header-cell utrecht-table__header-cell--numeric-column">2024</th>'
    assert year_head in html  # a year, not an amount: no thousands separator
    assert "A. de Wethouder (wethouder)" in html and date_format(timezone.localdate(), "j F Y") in html
    # An old step address (a bookmark, the back button): to the application with the reason, not a 403.
    for step in ("components", "plan", "signature", "attachments", "submit"):
        response = client.get(reverse(f"applications:{step}", args=(app.pk,)), follow=True)
        assert response.redirect_chain == [(reverse("applications:detail", args=(app.pk,)), 302)], step
        assert "De aanvraag is ingediend en kan niet meer worden gewijzigd." in response.content.decode()
    assert client.post(reverse("applications:components", args=(app.pk,)), {}).status_code == 403
    assert login("gemeente3").get(reverse("applications:components", args=(app.pk,))).status_code == 403


def test_the_submit_step_shows_what_is_submitted_amounts_totals_signatory_attachments(login):
    app = f.fill_completely(f.draft(f.scenario()))
    html = login("gemeente").get(reverse("applications:submit", args=(app.pk,))).content.decode().replace("\xa0", " ")
    assert "Wat u indient" in html and "Onderdelen en bedragen" in html
    rows = html.split('id="kop-onderdelen"', 1)[1].split("</table>", 1)[0]
    applied = app.components.filter(applied=True).count()
    assert applied and rows.count("€ 50.000") == applied * len(app.period.years)
    total = re.search(r"<tfoot.*?</tfoot>", rows, re.S).group(0)
    assert f"€ {applied * 50:,}.000".replace(",", ".") in total  # the total per year
    assert "A. de Wethouder (wethouder)" in html and "Bijlagen" in html
    for attachment in app.attachments.filter(removed_at__isnull=True):
        assert attachment.original_name in html


def test_submit_after_the_deadline_shows_the_date_on_the_field(login):
    period = f.scenario()
    app = f.fill_completely(f.draft(period))
    period.opens_on, period.closes_on = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)
    period.save()
    client = login("gemeente")
    response = client.post(reverse("applications:submit", args=(app.pk,)), {"confirm": "on"})
    assert response.status_code == 422
    assert "31 maart 2026" in field_errors(response, "confirm")[0]
    assert Application.objects.get(pk=app.pk).state == ApplicationState.CONCEPT


def test_ministry_creates_a_period_and_grants_an_extension(login):
    client = login("ministerie")
    response = client.post(reverse("applications:period_create"), {
        "name": "Proefperiode", "regulation": "brede_spuk", "first_year": 2027, "last_year": 2028,
        "opens_on": "2027-02-01", "closes_on": "2027-03-31", "plan_required": "on"})
    assert response.status_code == 302  # a period that opens later may be saved before its run is linked
    from applications.models import ApplicationPeriod

    period = ApplicationPeriod.objects.get(name="Proefperiode")
    response = client.post(reverse("applications:extension_grant", args=(period.pk,)), {
        "municipality": f.municipality("GM0928").pk, "closes_on": "2027-04-30", "reason": "Raad vergadert later"})
    assert response.status_code == 302
    assert period.extensions.get().municipality.cbs_code == "GM0928"
    html = client.get(reverse("applications:period_list")).content.decode()
    assert "Kerkrade t/m 30 april 2027" in html


def test_kerngroep_list_of_342_submitted_applications_costs_a_fixed_number_of_queries(
        login, django_assert_num_queries):
    from applications.models import ApplicationVersion
    from regions.models import Municipality

    period = f.PeriodFactory()
    kerngroep = f.user("kerngroep")
    now = timezone.now()
    apps = Application.objects.bulk_create([
        Application(municipality=m, period=period, state=ApplicationState.INGEDIEND, submitted_at=now, created_by=kerngroep)
        for m in Municipality.objects.all()])
    assert len(apps) == 342
    ApplicationVersion.objects.bulk_create([ApplicationVersion(application=a, number=1, snapshot={},
                                                               submitted_by=kerngroep, submitted_at=now) for a in apps])
    client = login("kerngroep")
    # the session, the user with roles and unread-notifications count, and the applications (with applicant, period
    # and total requested in one query)
    with django_assert_num_queries(3):
        response = client.get(reverse("applications:list"))
    assert response.content.decode().count('href="/aanvragen/') >= 342


def test_components_saved_by_a_colleague_in_between_are_not_overwritten(login):
    app = f.draft(f.scenario())
    url = reverse("applications:components", args=(app.pk,))
    colleague, me = Client(), login("gemeente")
    colleague.force_login(f.user("gemeente"))
    stale = components_post(app, c7_2024="1.000")
    assert colleague.post(url, components_post(app, c7_2024="2.000")).status_code == 302
    response = me.post(url, stale)
    html = response.content.decode()
    assert response.status_code == 409
    assert "een collega was u voor" in html and "€\xa02.000" in html and 'value="1.000"' in html
    assert app.components.get(component__number=7).amounts.get(year=2024).amount == 2000
    # Saving again from the conflict page starts from the colleague's version and succeeds.
    assert f'name="version" value="{app.edit_version + 1}"' in html
    stale["version"] = app.edit_version + 1
    assert me.post(url, stale).status_code == 302
    assert app.components.get(component__number=7).amounts.get(year=2024).amount == 1000


@pytest.mark.parametrize("username", ["kerngroep", "ministerie", "gemeente2", "gemeente3"])
def test_a_draft_that_was_never_submitted_is_only_for_its_own_gemeente(login, username):
    app = f.draft(f.scenario())
    client = login(username)
    assert client.get(reverse("applications:detail", args=(app.pk,))).status_code in (403, 404)
    assert app.municipality.name not in client.get(reverse("applications:list")).content.decode().split(
        '<tbody class="utrecht-table__body">')[1]


def test_officer_withdraws_a_submitted_application_and_the_kerngroep_sees_it_withdrawn(login):
    app = f.submitted(f.scenario())
    client = login("gemeente")
    url = reverse("applications:withdraw", args=(app.pk,))
    response = client.post(url, {"note": "Raad heeft anders besloten"})
    assert response.status_code == 422 and "Vink aan" in field_errors(response, "confirm")[0]
    assert "Raad heeft anders besloten" in response.content.decode()
    assert client.post(url, {"note": "Raad heeft anders besloten", "confirm": "on"}).status_code == 302
    client = login("kerngroep")
    html = client.get(reverse("applications:detail", args=(app.pk,))).content.decode()
    assert "Ingetrokken" in html and "Aanvraag ingetrokken" in html


def test_the_error_summary_names_the_component_and_follows_the_page(login):
    """A field's own error (7, 2024) is found before the cap check (4, 2026); the summary follows the page's
    order and says which component each amount belongs to."""
    app = f.draft(f.scenario())
    response = login("gemeente").post(reverse("applications:components", args=(app.pk,)),
                                      components_post(app, c4_2026="999.999", c7_2024="-5"))
    html = response.content.decode().replace("\xa0", " ")
    summary = html.split("data-error-summary", 1)[1].split("</ul>", 1)[0]
    valpreventie = next(c for c in f.components() if c.number == 7)
    four = next(c for c in f.components() if c.number == 4)
    first, second = f"7. {valpreventie.name}, bedrag 2024", f"4. {four.name}, bedrag 2026"
    assert first in summary and second in summary, summary
    assert summary.index(f"4. {four.name}") < summary.index(f"7. {valpreventie.name}")  # the page's order


def test_the_version_diff_without_amount_changes_says_so_and_leads_back(login):
    from applications.intake import services

    app = f.with_additions_requested(f.submitted(f.scenario()))
    section = app.sections.get(key="uitgangssituatie")
    services.application_save_section(actor=f.user("gemeente"), application=app, key=section.key,
                                      text="Aangevuld.", base_version=section.version)
    f.answer_points(app, "gemeente")
    services.application_transition(actor=f.user("gemeente"), application=app, transition="opnieuw_indienen")
    html = login("gemeente").get(reverse("applications:version_diff", args=(app.pk,))).content.decode()
    assert "Geen wijzigingen in de onderdelen en bedragen." in html and "<tbody" not in html.split("Bedragen:")[1].split("Plan van aanpak")[0]
    assert "Aangevuld." in html
    assert f'<a href="{reverse("applications:detail", args=(app.pk,))}">Terug naar de aanvraag</a>' in html


def test_the_draft_page_reads_its_components_and_plan_sections_once(login):
    """The draft's content and its checklist show the same components, sections and attachments: one read of each.
    A draft was never submitted, so nothing was decided on it and no additions were asked: no read of either."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from applications.models import AdditionRequest, ApplicationComponent, Attachment, GrantDecision, PlanSection

    app = f.fill_completely(f.draft(f.scenario()))
    client = login("gemeente")
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("applications:detail", args=(app.pk,))).content.decode()
    assert "9 van 9 onderdelen compleet" in html
    for model, expected in ((ApplicationComponent, 1), (PlanSection, 1), (Attachment, 1), (GrantDecision, 0),
                            (AdditionRequest, 0)):
        reads = [q["sql"] for q in queries if f'FROM "{model._meta.db_table}"' in q["sql"]]
        assert len(reads) == expected, reads


def test_a_closed_period_is_offered_only_where_an_extension_still_runs(login):
    from applications.intake.models import PeriodExtension

    today = timezone.localdate()
    period = f.scenario()
    period.opens_on, period.closes_on = today - datetime.timedelta(days=60), today - datetime.timedelta(days=1)
    period.save()
    start = reverse("applications:start", args=(period.pk,))
    assert start not in login("gemeente").get(reverse("applications:list")).content.decode()
    PeriodExtension.objects.create(period=period, municipality=f.municipality("GM0034"),
                                   closes_on=today + datetime.timedelta(days=7), reason="Raad vergadert later",
                                   granted_by=f.user("ministerie"))
    assert start in login("gemeente").get(reverse("applications:list")).content.decode()
    assert start not in login("gemeente3").get(reverse("applications:list")).content.decode()


def test_the_list_shows_each_applications_requested_total_from_its_components_or_its_plan_lines(login):
    """"Aangevraagd (totaal)": a brede SPUK application's chosen components (every year), an IZA application's
    plan lines; a draft with neither shows € 0."""
    from applications.intake import selectors

    period = f.scenario()
    brede = f.draft(period)
    rows = selectors.component_rows(brede)
    years = [y["year"] for y in rows[0]["years"]]
    choices = {r["component"].pk: {"applied": i < 2, "reason": "" if i < 2 else "Niet nodig",
                                   "amounts": {y: 1_000 * (i + 1) if i < 2 else None for y in years}}
               for i, r in enumerate(rows)}  # two components applied for: 1.000 and 2.000 a year
    services.application_save_components(actor=f.user("gemeente"), application=brede,
                                         base_version=brede.edit_version, choices=choices)
    iza = f.iza_draft(f.iza_scenario())
    services.application_save_lines(actor=f.user("gemeente"), application=iza, base_version=iza.edit_version,
                                    lines=[f.line(amount=70_000), f.line(activity="Netwerk", amount=5_000)])
    empty = f.draft(period, cbs_code="GM0995", username="gemeente2")

    def row_of(page, application):
        link = f'href="{reverse("applications:detail", args=(application.pk,))}"'
        return next(row for row in page.split('<tr class="utrecht-table__row">') if link in row)

    page = login("gemeente").get(reverse("applications:list")).content.decode()
    assert f"{format_euro(3_000 * len(years))}</td>" in row_of(page, brede)
    assert f"{format_euro(75_000)}</td>" in row_of(page, iza)
    other = login("gemeente2").get(reverse("applications:list")).content.decode()
    assert f"{format_euro(0)}</td>" in row_of(other, empty)


def test_where_an_officer_can_start_follows_the_open_periods_and_what_was_started(login, django_assert_num_queries):
    """Almere may start in an open period once (again after a withdrawal); with no period open, the list offers
    nothing, and finding that out is one query (most of the year no period is open)."""
    from applications.intake.selectors import periods_open_for_user

    period = f.scenario()
    client = login("gemeente")
    officer = get_user_model().objects.get(username="gemeente")
    assert [(o["period"], o["name"]) for o in periods_open_for_user(officer)] == [(period, "Almere")]
    app = f.draft(period)
    assert "Aanvraag starten" not in client.get(reverse("applications:list")).content.decode()
    Application.objects.filter(pk=app.pk).update(state=ApplicationState.INGETROKKEN)
    assert f"Aanvraag starten: {period.name} (Almere)" in client.get(reverse("applications:list")).content.decode()
    after_closing = max(p.closes_on for p in type(period).objects.all()) + datetime.timedelta(days=400)
    with django_assert_num_queries(1):
        assert periods_open_for_user(officer, today=after_closing) == []
