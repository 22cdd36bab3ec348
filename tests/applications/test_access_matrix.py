import pytest
from django.urls import get_resolver

from tests.access import check_access, matrix_params, shared_scenario

from .access_matrix import CASES

scenario_root, private_root = shared_scenario(CASES)


@pytest.mark.django_db
@pytest.mark.parametrize("case,role", matrix_params(CASES))
def test_access(client, case, role):
    check_access(client, case, role)


def test_every_url_of_the_app_is_in_the_matrix():
    resolver = get_resolver()
    names = {f"applications:{name}" for name in resolver.namespace_dict["applications"][1].reverse_dict
             if isinstance(name, str)}
    assert names == {case.url_name for case in CASES}


@pytest.mark.django_db
def test_kerkrade_is_refused_on_every_url_of_almeres_application_and_changes_nothing(client):
    """An officer of another gemeente gets 403 on each page and each action of Almere's application and of
    Flevoland's IZA application, and after all of them the applications, sections, attachments,
    declarations and audit trail are exactly as before."""
    from django.contrib.auth import get_user_model

    from applications.models import Application
    from spukportal.models import AuditEvent

    from .access_matrix import almere, flevoland

    app, iza = almere(), flevoland()

    def state():
        fresh = Application.objects.get(pk=app.pk)
        return (fresh.state, fresh.edit_version, fresh.signatory_name,
                sorted(fresh.sections.values_list("key", "version")),
                sorted(fresh.attachments.values_list("pk", "removed_at")), AuditEvent.objects.count(),
                sorted(iza.declarations.values_list("pk", "withdrawn_at")), iza.plan_lines.count())

    before = state()
    client.force_login(get_user_model().objects.get(username="gemeente3"))
    almere_cases = [c for c in CASES if c.args and c.url_name not in (
        "applications:start", "applications:period_edit", "applications:extension_grant")
        and not c.url_name.startswith(("applications:decision", "applications:decide", "applications:advance"))]  # other applications
    statuses = {}
    for case in almere_cases:
        data = case.data() if callable(case.data) else case.data
        statuses[case.label or case.url_name] = getattr(client, case.method)(case.url(), data=data or {}).status_code
    assert set(statuses.values()) == {403}, statuses
    assert len(statuses) >= 18
    assert state() == before
