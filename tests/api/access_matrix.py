"""The API's matrix: every endpoint × every kind of caller, with exactly one expected answer each (the
portal's pages have theirs per role; the API's callers are tokens). Allowed callers get `ok_status`; a
caller without a token or with a revoked one gets 401; any other token `denied_status` (403: the same
answer the pages give, from the same permission functions)."""

from dataclasses import dataclass

from tests.access import Case

NO_TOKEN = "zonder token"
TOKEN_A = "token gemeente A (Lelystad)"
TOKEN_B = "token gemeente B (Kerkrade)"
TOKEN_HOLDER = "token mandaatgemeente (Almere, Flevoland)"
TOKEN_MINISTRY = "token ministerie"
TOKEN_REVOKED = "ingetrokken token"
TOKEN_KINDS = [NO_TOKEN, TOKEN_A, TOKEN_B, TOKEN_HOLDER, TOKEN_MINISTRY, TOKEN_REVOKED]
VALID_TOKENS = {TOKEN_A, TOKEN_B, TOKEN_HOLDER, TOKEN_MINISTRY}
PUBLIC = {NO_TOKEN} | VALID_TOKENS  # a revoked token is refused, also where no token is needed
EVERYONE = set(TOKEN_KINDS)  # the schema and its page ask for no token at all


@dataclass
class ApiCase(Case):
    public: bool = False  # needs no token: a caller without one gets `denied_status` too, not 401

    def expected(self, kind):
        if kind in self.allowed:
            return self.ok_status
        if kind == TOKEN_REVOKED or (kind == NO_TOKEN and not self.public):
            return 401
        return self.denied_status


def make_tokens():
    from django.contrib.auth import get_user_model

    from api import services
    from regions.models import Municipality

    beheer = get_user_model().objects.get(username="beheer")

    def token(name, scope, cbs_code=None):
        municipality = Municipality.objects.get(cbs_code=cbs_code) if cbs_code else None
        return services.api_token_create(actor=beheer, name=name, scope=scope, municipality=municipality)

    revoked, revoked_key = token("Almere (oud)", "gemeente", "GM0034")
    services.api_token_revoke(actor=beheer, token=revoked)
    return {
        NO_TOKEN: None,
        TOKEN_A: "Bearer " + token("Lelystad", "gemeente", "GM0995")[1],
        TOKEN_B: "Bearer " + token("Kerkrade", "gemeente", "GM0928")[1],
        TOKEN_HOLDER: "Bearer " + token("Almere", "gemeente", "GM0034")[1],
        TOKEN_MINISTRY: "Bearer " + token("VWS", "ministerie")[1],
        TOKEN_REVOKED: "Bearer " + revoked_key,
    }


def _run(published=True):
    from budgets.demo import DEMO_RUN_NAME
    from budgets.models import AllocationRun

    run = AllocationRun.objects.get(name=DEMO_RUN_NAME)
    if not published:
        run.pk = None
        run.name = "Niet gepubliceerd (matrix)"
        run.is_published = False
        run.save()
    return (run.pk,)


def _application(cbs_code=None, region=None, regulation="brede_spuk"):
    from applications.models import Application

    qs = Application.objects.filter(regulation=regulation)
    qs = qs.filter(municipality__cbs_code=cbs_code) if cbs_code else qs.filter(region__slug=region)
    return qs.order_by("-id").first()


def _decision_of_urk():
    return (_application("GM0184").decision.reference,)


def _report(region=None):
    from monitoring.models import SpendingReport

    return (SpendingReport.objects.filter(municipality__cbs_code="GM0034", year=2024,
                                          region__isnull=region is None).order_by("-version").first().pk,)


OWN_LELYSTAD = {TOKEN_A, TOKEN_MINISTRY}  # Lelystad's submitted application: Lelystad and the ministry
FLEVOLAND_DRAFT = {TOKEN_A, TOKEN_HOLDER}  # the IZA draft of Flevoland: its holder and members, not the ministry
URK_DECISION = {TOKEN_MINISTRY}  # Urk has no token here; Almere and Lelystad share its region, not its decision
ALMERE_REPORT = {TOKEN_HOLDER, TOKEN_MINISTRY}
FLEVOLAND_REPORT = {TOKEN_A, TOKEN_HOLDER, TOKEN_MINISTRY}  # IZA (H35): the region's members read along
LISTS = VALID_TOKENS  # every organisation has a list; what is in it is scoped (test_scoping.py)

CASES = [
    ApiCase("api:gemeenten", PUBLIC),
    ApiCase("api:regios", PUBLIC),
    ApiCase("api:regiolidmaatschappen", PUBLIC),
    ApiCase("api:onderdelen", PUBLIC),
    ApiCase("api:verdelingen", PUBLIC),
    ApiCase("api:verdeling", PUBLIC, args=_run),
    ApiCase("api:verdeling", set(), args=lambda: _run(published=False), public=True, denied_status=404,
            label="verdeling-niet-gepubliceerd"),
    ApiCase("api:bedragen", PUBLIC, args=_run),
    ApiCase("api:bedragen", set(), args=lambda: _run(published=False), public=True, denied_status=404,
            label="bedragen-niet-gepubliceerd"),
    ApiCase("api:regiobedragen", PUBLIC, args=_run),
    ApiCase("api:aanvragen", LISTS),
    ApiCase("api:aanvraag", OWN_LELYSTAD, args=lambda: (_application("GM0995").pk,), label="aanvraag-lelystad"),
    ApiCase("api:aanvraag", FLEVOLAND_DRAFT, args=lambda: (_application(region="flevoland",
                                                                        regulation="spuk_iza").pk,),
            label="aanvraag-iza-flevoland-concept"),
    ApiCase("api:beschikkingen", LISTS),
    ApiCase("api:beschikking", URK_DECISION, args=_decision_of_urk, label="beschikking-urk"),
    ApiCase("api:verantwoordingen", LISTS),
    ApiCase("api:verantwoording", ALMERE_REPORT, args=_report, label="verantwoording-almere"),
    ApiCase("api:verantwoording", FLEVOLAND_REPORT, args=lambda: _report(region=True),
            label="verantwoording-flevoland-iza"),
    ApiCase("api:geld", LISTS),
    ApiCase("api:niet_gevonden", set(), args=("verdelingen/12x/",), public=True, denied_status=404),
    ApiCase("api:schema", EVERYONE),
    ApiCase("api:docs", EVERYONE),
]
