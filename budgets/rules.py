"""The rules of the budgets app, each written once: forms and services call these."""

from decimal import Decimal


def weights_problem(weights) -> str:
    """'' when the weights of a distribution key add up to exactly 1; else the Dutch reason."""
    total = sum((Decimal(w) for w in weights), Decimal(0))
    if total == 1:
        return ""
    written = f"{total.normalize():f}".replace(".", ",")
    return f"De gewichten moeten samen precies 1 zijn (nu {written})."
