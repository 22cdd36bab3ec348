"""Helpers of the SiSa tests: the demo's reports (Almere 2024 submitted, 2025 concept, Flevoland IZA 2024
submitted by Almere) and fresh grants for other gemeenten."""

from django.contrib.auth import get_user_model

from budgets.models import Component, Regulation
from monitoring import ledger_posting
from monitoring.models import PriorGrant, SpendingReport
from regions.models import Municipality


def user(username):
    return get_user_model().objects.get(username=username)


def almere():
    return Municipality.objects.get(cbs_code="GM0034")


def report(year, regulation=Regulation.BREDE_SPUK, status=None, cbs_code="GM0034"):
    qs = SpendingReport.objects.filter(municipality__cbs_code=cbs_code, regulation=regulation, year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-version").first()


def almere_2024():
    return report(2024, status="ingediend")


def almere_2025():
    return report(2025, status="concept")


def flevoland_2024():
    return report(2024, Regulation.SPUK_IZA, status="ingediend")


def component(number):
    return Component.objects.get(regulation=Regulation.BREDE_SPUK, number=number)


def prior_grant(cbs_code, year, amount, number=None, regulation=Regulation.BREDE_SPUK, reference="TEST-1"):
    """A pre-portal grant as the import makes it: the row, and its beschikking booked in the grant ledger."""
    grant = PriorGrant.objects.create(municipality=Municipality.objects.get(cbs_code=cbs_code), regulation=regulation,
                                      year=year, component=component(number) if number else None, amount=amount,
                                      reference=reference)
    ledger_posting.post_prior_grant(grant)
    return grant


def form_data(rep, **overrides):
    """The edit form's POST data for a report, as stored, with overrides {field: value}."""
    data = {"version": rep.edit_version, "self_executed": "ja" if rep.self_executed else "nee",
            "is_final": "ja" if rep.is_final else "nee", "explanation": rep.explanation}
    for line in rep.lines.all():
        prefix = f"l{line.component_id or 0}"
        data.update({f"{prefix}_expenditure": line.expenditure, f"{prefix}_correction": line.correction_previous,
                     f"{prefix}_cumulative": line.cumulative})
    for t in rep.transfers.all():
        data.update({f"t{t.recipient_id}_expenditure": t.expenditure, f"t{t.recipient_id}_correction": t.correction_previous,
                     f"t{t.recipient_id}_cumulative": t.cumulative})
    if rep.regulation == Regulation.BREDE_SPUK and rep.year == 2025:
        data["carry_over"] = rep.carry_over
    data.update(overrides)
    return data
