from tests.access import LOGGED_IN, Case

def _samentwente():
    from regions.models import MandateHolder

    return MandateHolder.objects.get(organisation_name="SamenTwente", valid_until__isnull=True).pk


CASES = [
    Case("home", LOGGED_IN),
    Case("password_change", LOGGED_IN),
    Case("password_change_done", LOGGED_IN),
    Case("two_factor_account", LOGGED_IN),
    Case("two_factor_setup", LOGGED_IN),
    Case("two_factor_recovery_codes", LOGGED_IN),
    Case("two_factor_verify", LOGGED_IN, ok_status=302),  # no app: nothing to verify, on to the portal
    Case("regions:municipality_list", LOGGED_IN),
    Case("regions:municipality_detail", LOGGED_IN, args=("GM0034",), label="gemeente-almere"),
    Case("regions:municipality_detail", LOGGED_IN, args=("GM0928",), label="gemeente-kerkrade"),
    Case("regions:region_list", LOGGED_IN),
    Case("regions:region_detail", LOGGED_IN, args=("flevoland",)),
    Case("regions:mandate_overview", {"ministerie"}),
    Case("regions:mandate_officers", {"ministerie"}, args=lambda: (_samentwente(),)),
    Case("regions:mandate_officers", {"ministerie"}, args=lambda: (_samentwente(),), method="post",
         data={"username": "gemeente3"}, ok_status=302, label="mandate-officers-post"),
    Case("admin:index", {"beheer"}),
    Case("admin:spukportal_roleassignment_changelist", {"beheer"}),
    Case("admin:spukportal_auditevent_changelist", {"beheer"}),
    Case("admin:regions_municipality_changelist", {"beheer"}),
    Case("admin:regions_region_changelist", {"beheer"}),
]
