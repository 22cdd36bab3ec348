"""The message after "Rapport maken" says what happened. Where tasks run in the process (`make run`), the report
is made before the page answers: the message says it is made, not that it is being made."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from budgets.demo import DEMO_RUN_NAME
from budgets.models import AllocationReport, AllocationRun

pytestmark = pytest.mark.django_db(transaction=True)  # real commits: the task starts when the request commits


def test_a_report_made_while_the_request_waits_is_announced_as_made(reference_data, client):
    client.force_login(get_user_model().objects.get(username="ministerie"))
    run = AllocationRun.objects.get(name=DEMO_RUN_NAME)
    page = client.post(reverse("budgets:report_create", args=[run.pk]), {"format": "csv"}, follow=True)
    html = page.content.decode()
    report = AllocationReport.objects.get(run=run, format="csv")
    assert report.status == AllocationReport.Status.FINISHED
    assert "Het rapport is gemaakt; u kunt het hieronder downloaden." in html
    assert "wordt gemaakt" not in html
    assert reverse("budgets:report_download", args=[report.pk]) in html
    again = client.post(reverse("budgets:report_create", args=[run.pk]), {"format": "csv"}, follow=True)
    assert "Dit rapport is al gemaakt" in again.content.decode()
