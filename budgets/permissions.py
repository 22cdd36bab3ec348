"""Who may see or do what with budgets, keys and allocation runs: plain functions returning a `Decision`."""

from spukportal.permissions import (ALLOW, Decision, can_act_for_municipality, can_view_reference_data, deny,
                                    is_ministry, is_officer, is_reviewer)


def can_view_budgets(user) -> Decision:
    """Components, their spending conditions and the budget versions: public within the portal."""
    return can_view_reference_data(user)


def can_manage_allocations(user) -> Decision:
    """Keys, allocation runs, official tables, comparisons and national reports: the ministry."""
    if is_ministry(user):
        return ALLOW
    return deny("Verdeelberekeningen zijn alleen voor medewerkers van het ministerie.")


def can_view_own_amounts(user) -> Decision:
    if is_officer(user):
        return ALLOW
    return deny("Deze pagina is voor medewerkers van een gemeente.")


def can_view_allocation_explanation(user, run, municipality) -> Decision:
    """How a gemeente's amount was computed: the ministry and the kerngroep for every finished run; the
    gemeente's own officers only for runs made visible to gemeenten."""
    if run.status != run.Status.FINISHED:
        return deny("Deze berekening is nog niet klaar.")
    if is_ministry(user) or is_reviewer(user):
        return ALLOW
    if run.is_published and can_act_for_municipality(user, municipality):
        return ALLOW
    return deny("U kunt alleen de bedragen van uw eigen gemeente inzien.")
