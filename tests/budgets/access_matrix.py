from tests.access import LOGGED_IN, Case


def _demo_run():
    from budgets.demo import DEMO_RUN_NAME
    from budgets.models import AllocationRun

    return AllocationRun.objects.get(name=DEMO_RUN_NAME)


def _run_args():
    return (_demo_run().pk,)


def _version_args():
    from budgets.models import BudgetVersion

    return (BudgetVersion.objects.order_by("id").first().pk,)


def _key_args():
    from budgets.models import DistributionKey

    return (DistributionKey.objects.get(is_default=True).pk,)


def _report_args():
    from budgets.models import AllocationReport

    report = AllocationReport.objects.create(run=_demo_run(), format="csv", status="klaar",
                                             file="rapporten/test.csv")
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    storages["private"].save("rapporten/test.csv", ContentFile(b"cbs_code\n"))
    return (report.pk,)


def _compare_data():
    from budgets.demo import OFFICIAL_RUN_NAME
    from budgets.models import AllocationRun

    return {"a": _demo_run().pk, "b": AllocationRun.objects.get(name=OFFICIAL_RUN_NAME).pk, "year": 2025}


def _failed_run_args():
    run = _demo_run()
    run.pk = None
    run.name = "Mislukt voor de matrix"
    run.status = "mislukt"
    run.is_published = False
    run.save()
    return (run.pk,)


MINISTRY = {"ministerie"}
ALMERE_EXPLANATION = {"gemeente", "kerngroep", "ministerie"}  # Almere's officer, the kerngroep, the ministry

CASES = [
    Case("budgets:component_list", LOGGED_IN),
    Case("budgets:budget_version_list", LOGGED_IN),
    Case("budgets:budget_version_detail", LOGGED_IN, args=_version_args),
    Case("budgets:key_list", MINISTRY),
    Case("budgets:key_create", MINISTRY),
    Case("budgets:key_detail", MINISTRY, args=_key_args),
    Case("budgets:run_list", MINISTRY),
    Case("budgets:run_start", MINISTRY),
    Case("budgets:official_import", MINISTRY),
    Case("budgets:compare", MINISTRY, data=_compare_data),
    Case("budgets:run_detail", MINISTRY, args=_run_args),
    Case("budgets:run_progress", MINISTRY, args=_run_args),
    Case("budgets:run_retry", MINISTRY, args=_failed_run_args, method="post", ok_status=302),
    Case("budgets:run_publish", MINISTRY, args=_run_args),
    Case("budgets:report_create", MINISTRY, args=_run_args, method="post", data={"format": "csv"},
         ok_status=302),
    Case("budgets:report_status", MINISTRY, args=_run_args),
    Case("budgets:report_download", MINISTRY, args=_report_args),
    Case("budgets:explanation", ALMERE_EXPLANATION, args=lambda: (_demo_run().pk, "GM0034"),
         label="explanation-almere"),
    Case("budgets:explanation", {"gemeente3", "kerngroep", "ministerie"},
         args=lambda: (_demo_run().pk, "GM0928"), label="explanation-kerkrade"),
    Case("budgets:own_amounts", {"gemeente", "gemeente2", "gemeente3"}),
    # The simulation is for the ministry only (a draft key, nothing stored); saving it starts a run.
    Case("budgets:simulation", MINISTRY),
    Case("budgets:simulation_download", MINISTRY, args=("kaart", "svg"), label="simulation-map-svg"),
    Case("budgets:simulation_download", MINISTRY, args=("regios", "xlsx"), label="simulation-regions-xlsx"),
    Case("budgets:simulation_save", MINISTRY, method="post", data=lambda: _simulation_save_data(), ok_status=302),
]


def _simulation_save_data():
    from budgets.forms import SimulationForm

    data = SimulationForm.defaults()
    return {**data, "key_name": "Matrix: sleutel uit de simulatie", "weight_population": "0.6",
            "weight_disadvantage": "0.4"}

CASES += [
    Case("admin:budgets_component_changelist", {"beheer"}),
    Case("admin:budgets_budgetversion_changelist", {"beheer"}),
    Case("admin:budgets_distributionkey_changelist", {"beheer"}),
    Case("admin:budgets_allocationrun_changelist", {"beheer"}),
    Case("admin:budgets_allocationrun_change", {"beheer"}, args=_run_args, label="admin-run-view"),
    Case("admin:budgets_allocationreport_changelist", {"beheer"}),
]
