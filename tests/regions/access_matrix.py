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
    Case("regions:municipality_address", {"ministerie"}, args=("GM0928",)),
    Case("regions:municipality_address", {"ministerie"}, args=("GM0928",), method="post",
         data={"postal_address": "Postbus 90928", "postal_code": "6460 AA", "postal_city": "KERKRADE"},
         ok_status=302, label="municipality-address-post"),
    Case("regions:mandate_officers", {"ministerie"}, args=lambda: (_samentwente(),)),
    Case("regions:mandate_officers", {"ministerie"}, args=lambda: (_samentwente(),), method="post",
         data={"username": "gemeente3"}, ok_status=302, label="mandate-officers-post"),
    Case("admin:index", {"beheer"}),
    Case("admin:spukportal_roleassignment_changelist", {"beheer"}),
    Case("admin:spukportal_auditevent_changelist", {"beheer"}),
    Case("admin:regions_municipality_changelist", {"beheer"}),
    Case("admin:regions_region_changelist", {"beheer"}),
    # notifications and receipts: everyone has their own list; a notification opens only for its user
    Case("notifications", LOGGED_IN),
    Case("notifications_mark_read", LOGGED_IN, method="post", ok_status=302),
    Case("notification_open", {"gemeente"}, args=lambda: (_notification_of("gemeente"),), ok_status=302),
]


def _notification_of(username):
    from django.contrib.auth import get_user_model

    from spukportal.models import Notification

    user = get_user_model().objects.get(username=username)
    return Notification.objects.create(user=user, event="test", subject="Matrix", body="Matrix", url="/").pk
