"""SPUK IZA: the mandate holder (Almere) applies for the whole region (Flevoland), with the other members'
declarations, a budget of regional and local lines within the region's allocation, and no double funding."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from applications.intake import selectors, services
from applications.models import Application, PlanLine
from regions.models import MandateHolder
from spukportal.models import AuditEvent

from . import factories as f

pytestmark = pytest.mark.django_db

FLEVOLAND_OTHERS = ["Dronten", "Lelystad", "Noordoostpolder", "Urk"]


def test_only_the_mandate_holders_officers_start_the_regions_application_once():
    period = f.iza_scenario()
    for username in ("gemeente2", "gemeente3"):  # Lelystad (a member), Kerkrade (outside the region)
        with pytest.raises(PermissionDenied, match="Alleen de mandaathouder van Flevoland"):
            f.iza_draft(period, username)
    app = f.iza_draft(period)
    assert app.applicant.name == "Flevoland" and app.municipality is None
    assert not app.components.exists()  # no brede SPUK components on an IZA application
    with pytest.raises(ValidationError, match="Flevoland heeft al een aanvraag"):
        f.iza_draft(period)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(period=period, region=f.flevoland(), regulation="spuk_iza", applicant_kind="regio",
                                   created_by=f.user("gemeente"))


def test_a_region_without_mandate_holder_says_why_it_cannot_apply():
    period = f.iza_scenario()
    MandateHolder.objects.filter(region=f.flevoland()).delete()
    with pytest.raises(ValidationError, match="geen mandaathouder"):
        f.iza_draft(period)


def test_a_public_body_as_mandate_holder_acts_through_the_officers_linked_to_it():
    period = f.iza_scenario()
    holder = MandateHolder.objects.valid_on(period.opens_on).get(region=f.flevoland())
    holder.municipality, holder.organisation_name = None, "GR Flevoland"
    holder.save()
    with pytest.raises(PermissionDenied):
        f.iza_draft(period, "gemeente")  # Almere no longer holds the mandate
    holder.officers.add(f.user("gemeente3"))
    assert f.iza_draft(period, "gemeente3").applicant.may_act(f.user("gemeente3"))


def test_the_cap_is_the_regions_total_and_lines_over_it_are_refused_with_the_totals():
    app = f.iza_draft(f.iza_scenario(cap=1_000_000))
    caps = app.definition.caps(app)
    assert caps.per_year_total == {2025: 1_000_000, 2026: 1_000_000}
    with pytest.raises(ValidationError) as refused:
        services.application_save_lines(actor=f.user("gemeente"), application=app, base_version=app.edit_version,
                                        lines=[f.line(amount=600_000), f.line(scope="lokaal", municipality_code="GM0995",
                                                                              amount=400_001)])
    assert refused.value.messages == ["De regels voor 2025 zijn samen €\xa01.000.001; de toekenning aan de regio "
                                      "voor 2025 is €\xa01.000.000."]
    assert not PlanLine.objects.filter(application=app).exists()
    app = services.application_save_lines(
        actor=f.user("gemeente"), application=app, base_version=app.edit_version,
        lines=[f.line(amount=600_000), f.line(scope="lokaal", municipality_code="GM0995", amount=400_000)])
    split = selectors.region_split(app)
    lelystad = next(m for m in split["members"] if m["municipality"].name == "Lelystad")
    assert split["regional"] == [600_000, 0] and lelystad["local"] == [400_000, 0]
    assert split["total"] == [1_000_000, 0] and split["cap"] == [1_000_000, 1_000_000]


@pytest.mark.parametrize("bad_line,message", [
    (dict(scope="lokaal"), "kies bij een lokale regel voor welke gemeente"),
    (dict(scope="lokaal", municipality_code="GM0928"), "Kerkrade hoort op de peildatum niet bij deze regio"),
    (dict(brede_number=7), "waarom dit geen dubbele financiering is met Valpreventie"),
    (dict(year=2031), "2031 valt buiten deze aanvraagperiode"),
])
def test_wrong_lines_are_refused_whole_with_the_reason(bad_line, message):
    app = f.iza_draft(f.iza_scenario())
    with pytest.raises(ValidationError, match=message):
        services.application_save_lines(actor=f.user("gemeente"), application=app, base_version=app.edit_version,
                                        lines=[f.line(), f.line(**bad_line)])
    assert not PlanLine.objects.filter(application=app).exists()


def test_declarations_only_by_other_members_once_and_submission_names_the_missing_ones():
    app = f.iza_draft(f.iza_scenario())
    assert [m.name for m in selectors.missing_declarations(app)] == FLEVOLAND_OTHERS
    with pytest.raises(PermissionDenied):
        f.declare(app, "gemeente3", "GM0928")  # Kerkrade is not in Flevoland
    with pytest.raises(PermissionDenied):
        f.declare(app, "gemeente", "GM0034")  # the mandate holder does not declare for itself
    with pytest.raises(PermissionDenied):
        f.declare(app, "gemeente", "GM0995")  # Almere's officer cannot declare for Lelystad
    declaration = f.declare(app, "gemeente2", "GM0995")
    with pytest.raises(ValidationError, match="Lelystad heeft al een mandaatverklaring"):
        f.declare(app, "gemeente2", "GM0995")
    services.application_save_lines(actor=f.user("gemeente"), application=app, base_version=app.edit_version,
                                    lines=[f.line()])
    app = f.fill_completely(Application.objects.get(pk=app.pk))
    with pytest.raises(services.SubmissionBlocked) as blocked:
        services.application_submit(actor=f.user("gemeente"), application=app)
    assert "ontbreekt nog van Dronten; Noordoostpolder; Urk" in " ".join(blocked.value.reasons)
    services.declaration_withdraw(actor=f.user("gemeente2"), declaration=declaration)
    assert AuditEvent.objects.filter(action="aanvraag.verklaring_ingetrokken", object_id=str(app.pk)).exists()
    for i, (name, code) in enumerate([("Lelystad", "GM0995"), ("Dronten", "GM0303"), ("Noordoostpolder", "GM0171"),
                                      ("Urk", "GM0184")]):
        f.declare(app, "gemeente2" if code == "GM0995" else f.officer(f"o{i}", code), code)
    app = services.application_submit(actor=f.user("gemeente"), application=app)
    assert app.state == "ingediend"
    snapshot = app.versions.get().snapshot
    assert len(snapshot["declarations"]) == 4 and snapshot["lines"][0]["scope"] == "Regionaal"
    with pytest.raises(PermissionDenied):  # submitted: declarations are fixed
        services.declaration_withdraw(actor=f.user("gemeente2"), declaration=app.declarations.get(
            municipality__cbs_code="GM0995", withdrawn_at__isnull=True))


def test_the_mandate_holder_reminds_the_officers_of_the_missing_gemeenten_by_mail(
        django_capture_on_commit_callbacks):
    app = f.iza_draft(f.iza_scenario())
    f.officer("dronten", "GM0303", email="beleid@dronten.example")
    f.officer("urk", "GM0184", email="beleid@urk.example")
    f.declare(app, "gemeente2", "GM0995")
    with pytest.raises(PermissionDenied):
        services.declaration_reminder_send(actor=f.user("gemeente2"), application=app)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.declaration_reminder_send(actor=f.user("gemeente"), application=app)
    assert [(m.name, n) for m, n in result["mailed"]] == [("Dronten", 1), ("Urk", 1)]
    assert [m.name for m in result["unreachable"]] == ["Noordoostpolder"]  # no officer: nobody was mailed
    assert sorted(m.to[0] for m in mail.outbox) == ["beleid@dronten.example", "beleid@urk.example"]
    assert "mandaatverklaring" in mail.outbox[0].body and "Flevoland" in mail.outbox[0].subject


def test_the_reminder_says_who_was_mailed_and_who_has_no_account_and_links_absolutely(
        login, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://spuk.example.nl"
    app = f.iza_draft(f.iza_scenario())
    f.officer("dronten", "GM0303", email="beleid@dronten.example")
    f.declare(app, "gemeente2", "GM0995")
    client = login("gemeente")
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("applications:declaration_reminder", args=(app.pk,)), follow=True)
    html = page.content.decode()
    assert "Herinnering gemaild aan 1 medewerker van Dronten." in html
    assert "Geen herinnering gestuurd aan Noordoostpolder en Urk" in html and "geen medewerker met een account" in html
    assert "Herinnering gestuurd aan de medewerkers van" not in html
    assert [m.to for m in mail.outbox] == [["beleid@dronten.example"]]
    assert f"https://spuk.example.nl/aanvragen/{app.pk}/verklaringen/" in mail.outbox[0].body
    event = AuditEvent.objects.filter(action="aanvraag.herinnering_verklaring").latest("pk")
    assert event.message == "Herinnering gemaild aan Dronten; zonder account: Noordoostpolder, Urk"


def test_nobody_reachable_means_no_claim_that_a_reminder_went_out(login, django_capture_on_commit_callbacks):
    app = f.iza_draft(f.iza_scenario())
    f.declare(app, "gemeente2", "GM0995")  # the only member with an officer in the test data
    with django_capture_on_commit_callbacks(execute=True):
        page = login("gemeente").post(reverse("applications:declaration_reminder", args=(app.pk,)), follow=True)
    html = page.content.decode()
    assert "gemaild" not in html and "Geen herinnering gestuurd aan" in html and not mail.outbox


def test_withdrawing_a_declaration_asks_first_and_tells_the_mandate_holder(login, django_capture_on_commit_callbacks):
    from spukportal.models import Notification

    app = f.iza_draft(f.iza_scenario())
    declaration = f.declare(app, "gemeente2", "GM0995")
    client = login("gemeente2")
    url = reverse("applications:declaration_withdraw", args=(app.pk, declaration.pk))
    confirm = client.post(url)
    html = confirm.content.decode()
    assert confirm.status_code == 200 and "Mandaatverklaring van Lelystad intrekken?" in html
    assert "niet worden ingediend, voor geen enkele gemeente in de regio" in html and "krijgt een melding" in html
    declaration.refresh_from_db()
    assert declaration.withdrawn_at is None  # nothing happened yet
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"confirmed": "1"})
    assert done.status_code == 302
    declaration.refresh_from_db()
    assert declaration.withdrawn_at is not None
    told = Notification.objects.get(event="aanvraag.verklaring_ingetrokken")
    assert told.user.username == "gemeente" and "Lelystad" in told.subject and "niet worden ingediend" in told.body


def test_members_read_along_but_only_the_mandate_holder_edits_and_outsiders_see_nothing(login):
    app = f.iza_draft(f.iza_scenario())
    lelystad, kerkrade = login("gemeente2"), None
    assert lelystad.get(reverse("applications:detail", args=(app.pk,))).status_code == 200
    assert lelystad.get(reverse("applications:lines", args=(app.pk,))).status_code == 403
    assert lelystad.get(reverse("applications:declarations", args=(app.pk,))).status_code == 200
    kerkrade = login("gemeente3")
    for name in ("applications:detail", "applications:declarations", "applications:lines"):
        assert kerkrade.get(reverse(name, args=(app.pk,))).status_code == 403
    assert app not in selectors.applications_for_user(f.user("gemeente3"))
    assert app in selectors.applications_for_user(f.user("gemeente2"))
    assert app not in selectors.applications_for_user(f.user("kerngroep"))  # a draft


def test_the_lines_form_keeps_what_was_typed_and_shows_the_error_at_the_line(login):
    app = f.iza_draft(f.iza_scenario())
    client = login("gemeente")
    data = {"version": app.edit_version, "regel-TOTAL_FORMS": 2, "regel-INITIAL_FORMS": 0,
            "regel-0-activity": "Valpreventie", "regel-0-scope": "lokaal", "regel-0-year": "2025",
            "regel-0-amount": "€ 50.000", "regel-1-activity": "", "regel-1-scope": "", "regel-1-year": "",
            "regel-1-amount": ""}
    response = client.post(reverse("applications:lines", args=(app.pk,)), data)
    assert response.status_code == 422
    errors = response.context["formset"].forms[0].errors
    assert "kies bij een lokale regel voor welke gemeente" in errors["municipality"][0]
    assert 'value="€ 50.000"' in response.content.decode()
    data.update({"regel-0-municipality": f.municipality("GM0995").pk})
    response = client.post(reverse("applications:lines", args=(app.pk,)), data)
    assert response.status_code == 302
    assert list(app.plan_lines.values_list("scope", "municipality__name", "amount")) == [
        ("lokaal", "Lelystad", 50_000)]


def test_lelystad_records_its_declaration_in_the_form_and_the_region_page_shows_it(login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    app = f.iza_draft(f.iza_scenario())
    client = login("gemeente2")
    response = client.post(reverse("applications:declarations", args=(app.pk,)), {
        "municipality": f.municipality("GM0995").pk, "signatory_name": "J. de Vries", "signatory_role": "wethouder",
        "signed_on": "2026-11-20", "file": SimpleUploadedFile("verklaring.txt", b"geen pdf")})
    assert response.status_code == 422 and "geen pdf-bestand" in response.content.decode()
    response = client.post(reverse("applications:declarations", args=(app.pk,)), {
        "municipality": f.municipality("GM0995").pk, "signatory_name": "J. de Vries", "signatory_role": "wethouder",
        "signed_on": "2026-11-20", "file": SimpleUploadedFile("verklaring.pdf", f.PDF, "application/pdf")})
    assert response.status_code == 302
    page = client.get(reverse("regions:region_detail", args=("flevoland",))).content.decode()
    assert "Mandaatverklaringen: 1 aanwezig; nog niet binnen: Dronten, Noordoostpolder, Urk." in page
    assert "Budget van de regio (verdeling)" in page
    outsider = login("gemeente3").get(reverse("regions:region_detail", args=("flevoland",))).content.decode()
    assert "Mandaatverklaringen:" not in outsider


def test_members_and_outsiders_get_no_start_button_and_their_post_is_refused(login):
    period = f.iza_scenario()
    for username in ("gemeente2", "gemeente3"):
        client = login(username)
        page = client.get(reverse("applications:list")).content.decode()
        assert f"Aanvraag starten: {period.name}" not in page
        response = client.post(reverse("applications:start", args=(period.pk,)), {"region": f.flevoland().pk})
        assert response.status_code == 422
        assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Application.objects.filter(period=period).exists()
    page = login("gemeente").get(reverse("applications:list")).content.decode()
    assert f"Aanvraag starten: {period.name} (IZA-regio Flevoland)" in page


def test_a_garbled_version_on_the_lines_form_is_a_conflict_not_an_error(login):
    app = f.iza_draft(f.iza_scenario())
    response = login("gemeente").post(reverse("applications:lines", args=(app.pk,)), {
        "version": "x" * 40, "regel-TOTAL_FORMS": 1, "regel-INITIAL_FORMS": 0, "regel-0-activity": "A",
        "regel-0-scope": "regionaal", "regel-0-year": "2025", "regel-0-amount": "10"})
    assert response.status_code == 409
    assert "Een collega heeft de begroting intussen opgeslagen" in response.content.decode()
    assert not app.plan_lines.exists()


def test_the_database_refuses_an_applicant_that_does_not_fit_the_applicant_kind():
    period = f.iza_scenario()
    for fields in ({"region": f.flevoland(), "applicant_kind": "gemeente"},
                   {"municipality": f.municipality("GM0034"), "applicant_kind": "regio"}):
        with pytest.raises(IntegrityError, match="applicant_fits_kind"), transaction.atomic():
            Application.objects.create(period=period, regulation="spuk_iza", created_by=f.user("gemeente"), **fields)


@pytest.mark.parametrize("total", ["-1", "-200"])
def test_a_negative_number_of_lines_is_refused_and_deletes_nothing(login, total):
    app = f.iza_draft(f.iza_scenario())
    services.application_save_lines(actor=f.user("gemeente"), application=app, base_version=app.edit_version,
                                    lines=[f.line(), f.line(activity="Tweede regel")])
    app.refresh_from_db()
    response = login("gemeente").post(reverse("applications:lines", args=(app.pk,)), {
        "version": app.edit_version, "regel-TOTAL_FORMS": total, "regel-INITIAL_FORMS": 0})
    assert response.status_code == 422
    assert "niet volledig verstuurd" in response.content.decode()
    assert app.plan_lines.count() == 2


def test_member_gemeenten_read_the_timeline_the_applicant_sees_not_the_kerngroeps(login):
    """Internal comments (and other staff-only events) are for the kerngroep and the ministry: a member gemeente that
    reads along (Lelystad) sees what the mandate holder sees, nothing more."""
    app = f.iza_draft(f.iza_scenario())
    services.application_save_lines(actor=f.user("gemeente"), application=app, base_version=app.edit_version,
                                    lines=[f.line()])
    app = f.fill_completely(Application.objects.get(pk=app.pk))
    for i, code in enumerate(["GM0995", "GM0303", "GM0171", "GM0184"]):
        f.declare(app, "gemeente2" if code == "GM0995" else f.officer(f"lid{i}", code), code)
    app = f.in_review(services.application_submit(actor=f.user("gemeente"), application=app))
    secret = "Interne afweging: regio Flevoland krijgt het voordeel van de twijfel."
    kerngroep = login("kerngroep")
    kerngroep.post(reverse("applications:comment_add", args=[app.pk]), {"text": secret, "audience": "intern"})
    staff_page = kerngroep.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "Interne opmerking geplaatst" in staff_page and secret in staff_page
    for username in ("gemeente", "gemeente2"):  # the mandate holder, and a member reading along
        response = login(username).get(reverse("applications:detail", args=[app.pk]))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Aanvraag ingediend" in page
        assert "Interne opmerking" not in page, username
        assert secret not in page, username


def test_the_error_summary_of_the_lines_names_the_line_and_follows_the_page(login):
    app = f.iza_draft(f.iza_scenario())
    data = {"version": app.edit_version, "regel-TOTAL_FORMS": 3, "regel-INITIAL_FORMS": 0,
            "regel-0-activity": "Regionaal loket", "regel-0-scope": "regionaal", "regel-0-year": "2025",
            "regel-0-amount": "10.000",
            "regel-1-activity": "Valpreventie", "regel-1-scope": "lokaal", "regel-1-year": "2025",
            "regel-1-amount": "veel",
            "regel-2-activity": "Beweegaanbod", "regel-2-scope": "", "regel-2-year": "2026", "regel-2-amount": "5"}
    response = login("gemeente").post(reverse("applications:lines", args=(app.pk,)), data)
    assert response.status_code == 422
    summary = response.content.decode().split('id="foutoverzicht"', 1)[1].split("</ul>", 1)[0]
    items = [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li.*?</li>", summary, re.S)]
    assert items[0].startswith("Regel 2, bedrag: "), items
    assert items[-1].startswith("Regel 3, regionaal of lokaal: "), items
    assert 'href="#id_regel-1-amount"' in summary


def test_the_submit_step_shows_the_lines_with_their_totals_per_year(login):
    app = f.iza_draft(f.iza_scenario())
    services.application_save_lines(
        actor=f.user("gemeente"), application=app, base_version=app.edit_version,
        lines=[f.line(amount=600_000), f.line(scope="lokaal", municipality_code="GM0995", amount=150_000),
               f.line(activity="Beweegaanbod", year=2026, amount=70_000)])
    html = login("gemeente").get(reverse("applications:submit", args=(app.pk,))).content.decode().replace("\xa0", " ")
    table = html.split('id="kop-begroting"', 1)[1].split("</table>", 1)[0]
    assert "Regionale coördinatie" in table and "Beweegaanbod" in table
    foot = [re.sub(r"<[^>]+>", " ", row) for row in re.findall(r"<tr.*?</tr>", table.split("<tfoot", 1)[1], re.S)]
    assert [" ".join(r.split()) for r in foot] == [
        "Totaal 2025 regionaal € 600.000, lokaal € 150.000 2025 € 750.000",
        "Totaal 2026 regionaal € 70.000, lokaal € 0 2026 € 70.000",
        "Totaal alle jaren € 820.000"]


def test_the_receipt_ends_the_lines_with_their_totals_per_year():
    from applications.intake.receipt import render_receipt
    from tests.pdf import pdf_text

    app = f.iza_draft(f.iza_scenario())
    services.application_save_lines(
        actor=f.user("gemeente"), application=app, base_version=app.edit_version,
        lines=[f.line(amount=600_000), f.line(scope="lokaal", municipality_code="GM0995", amount=150_000),
               f.line(activity="Beweegaanbod", year=2026, amount=70_000)])
    app = f.fill_completely(Application.objects.get(pk=app.pk))
    for i, code in enumerate(["GM0995", "GM0303", "GM0171", "GM0184"]):
        f.declare(app, "gemeente2" if code == "GM0995" else f.officer(f"lid{i}", code), code)
    app = services.application_submit(actor=f.user("gemeente"), application=app)
    text = pdf_text(render_receipt(app, app.versions.get(number=1)))
    assert "Totaal 2025 regionaal € 600.000, lokaal € 150.000 2025 € 750.000" in text
    assert "Totaal 2026 regionaal € 70.000, lokaal € 0 2026 € 70.000" in text
    assert "Totaal alle jaren € 820.000" in text


def test_a_closed_iza_period_reopens_for_the_region_only_by_its_mandate_holders_extension(login):
    """The region applies, and the extension (uitstel) of its mandate holder's gemeente is the one that counts: a
    member's extension does not offer the start, the holder's does, with the holder's new closing date."""
    import datetime

    from django.utils import timezone
    from django.utils.formats import date_format

    from applications.intake.models import PeriodExtension

    today = timezone.localdate()
    period = f.iza_scenario(opens_on=today - datetime.timedelta(days=30), closes_on=today - datetime.timedelta(days=1))
    holder = MandateHolder.objects.valid_on(period.opens_on).get(region=f.flevoland())
    member = next(m for m in holder.region.memberships.valid_on().select_related("municipality")
                  if m.municipality_id != holder.municipality_id).municipality
    start = f"Aanvraag starten: {period.name} (IZA-regio Flevoland)"
    PeriodExtension.objects.create(period=period, municipality=member, closes_on=today + datetime.timedelta(days=5),
                                   reason="Raad vergadert later", granted_by=f.user("ministerie"))
    assert start not in login("gemeente").get(reverse("applications:list")).content.decode()
    closes_on = today + datetime.timedelta(days=9)
    PeriodExtension.objects.create(period=period, municipality=holder.municipality, closes_on=closes_on,
                                   reason="Raad vergadert later", granted_by=f.user("ministerie"))
    page = login("gemeente").get(reverse("applications:list")).content.decode()
    assert start in page
    assert f"Indienen kan tot en met {date_format(closes_on, 'j F Y')}." in page
