import pytest
from django.contrib.auth import get_user_model

from applications import demo
from applications.models import Application
from applications.intake.flow import ApplicationState
from budgets.models import AllocationRun

from . import factories as f

pytestmark = pytest.mark.django_db


def _clear_demo_applications():
    """The session's demo applications of 2024–2026 (their assessments and requests protect the versions), but for
    Urk's granted one (the decisions demo's: a decision is never deleted)."""
    from applications.models import AdditionRequest, Assessment

    undecided = Application.objects.filter(period__name="2024–2026", decision__isnull=True)
    Assessment.objects.filter(application__in=undecided).delete()
    AdditionRequest.objects.filter(application__in=undecided).delete()
    undecided.delete()


def test_demo_with_the_budgets_run_gives_almere_a_draft_and_lelystad_and_kerkrade_submitted_with_pdf():
    # Start from what the session's demo load made (with the budgets data merged: the demo applications).
    _clear_demo_applications()
    f.components()
    if not AllocationRun.objects.filter(name=demo.DEMO_RUN, status="klaar").exists():
        run = AllocationRun.objects.create(name=demo.DEMO_RUN, regulation="brede_spuk", status="klaar")
        for code in ("GM0034", "GM0995", "GM0928"):
            f.allocate(run, f.municipality(code), 80_000)
    demo.load()
    demo.load()  # idempotent
    apps = {a.municipality.cbs_code: a for a in Application.objects.filter(period__name="2024–2026")}
    assert {"GM0034", "GM0995", "GM0928"} <= set(apps)  # and the review demo (see the next test)
    almere, lelystad, kerkrade = apps["GM0034"], apps["GM0995"], apps["GM0928"]
    assert almere.state == ApplicationState.CONCEPT and almere.sections.exclude(text="").count() >= 3
    assert almere.period.allocation_run.name == demo.DEMO_RUN
    assert almere.period.closes_on.isoformat() == "2027-03-31"
    for app in (lelystad, kerkrade):
        assert app.state == ApplicationState.INGEDIEND and app.versions.count() == 1
        pdf = app.attachments.get(kind="ondertekend")
        from django.core.files.storage import storages

        assert storages["private"].open(pdf.stored_name).read(5) == b"%PDF-"
    assert Application.objects.filter(period__name="2023 (op hoofdlijnen)").count() == 0


def test_demo_review_states_for_other_flevoland_gemeenten():
    _clear_demo_applications()
    f.components()
    if not AllocationRun.objects.filter(name=demo.DEMO_RUN, status="klaar").exists():
        run = AllocationRun.objects.create(name=demo.DEMO_RUN, regulation="brede_spuk", status="klaar")
        for code in ("GM0034", "GM0995", "GM0928", "GM0303", "GM0050", "GM0171"):
            f.allocate(run, f.municipality(code), 80_000)
    demo.load()
    demo.load()  # idempotent
    apps = {a.municipality.cbs_code: a for a in Application.objects.filter(period__name="2024–2026")}
    lelystad = apps["GM0995"]
    assert lelystad.state == ApplicationState.INGEDIEND and lelystad.first_reviewer is None
    dronten, zeewolde, nop = apps["GM0303"], apps["GM0050"], apps["GM0171"]
    assert dronten.state == ApplicationState.IN_BEOORDELING and dronten.first_reviewer.username == "kerngroep"
    assert zeewolde.state == ApplicationState.AANVULLING_GEVRAAGD
    assert zeewolde.addition_requests.get().points.count() == 2
    assert nop.state == ApplicationState.ADVIES_POSITIEF
    assert (nop.first_reviewer.username, nop.second_reviewer.username) == ("kerngroep", "kerngroep2")
    assert not get_user_model().objects.get(username="demo-dronten").has_usable_password()
