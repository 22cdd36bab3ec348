import pytest

from applications import demo
from applications.models import Application
from applications.workflow import ApplicationState
from budgets.models import AllocationRun

from . import factories as f

pytestmark = pytest.mark.django_db


def test_demo_with_the_budgets_run_gives_almere_a_draft_and_lelystad_and_kerkrade_submitted_with_pdf():
    # Start from what the session's demo load made (with the budgets data merged: the demo applications).
    demo_codes = ("GM0034", "GM0995", "GM0928")  # (Urk's granted application is the decisions demo's)
    Application.objects.filter(period__name="2024–2026", municipality__cbs_code__in=demo_codes).delete()
    f.components()
    if not AllocationRun.objects.filter(name=demo.DEMO_RUN, status="klaar").exists():
        run = AllocationRun.objects.create(name=demo.DEMO_RUN, regulation="brede_spuk", status="klaar")
        for code in ("GM0034", "GM0995", "GM0928"):
            f.allocate(run, f.municipality(code), 80_000)
    demo.load()
    demo.load()  # idempotent
    apps = {a.municipality.cbs_code: a for a in Application.objects.filter(period__name="2024–2026",
                                                                           municipality__cbs_code__in=demo_codes)}
    assert len(apps) == 3
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
