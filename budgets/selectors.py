"""Reads of the budgets app, for views, reports and other apps."""

from .models import Allocation


def allocation_amounts(*, run, municipality) -> dict[tuple[int, int], int]:
    """{(component_id, year): amount in whole euros} of one gemeente in one run."""
    return {
        (component_id, year): amount
        for component_id, year, amount in Allocation.objects.filter(run=run, municipality=municipality)
        .values_list("component_id", "year", "amount")
    }
