"""From a run's frozen input snapshot (plain JSON) to amounts and explanations, via the pure arithmetic of
`verdeelsleutel.py`.

The snapshot holds everything a run needs, so a run can be recomputed (and explained) years later with
exactly the same result, whatever happened to the statistics, budgets or keys since."""

import hashlib
import json
from dataclasses import dataclass
from fractions import Fraction

from . import verdeelsleutel


def fingerprint(snapshot: dict) -> str:
    """SHA-256 of the inputs that determine the amounts (not of names or ids of database rows)."""
    relevant = {k: snapshot[k] for k in ("regulation", "years", "lines", "weights", "fixed", "statistics", "regions")}
    relevant["lines"] = [{k: line[k] for k in ("component_id", "year", "amount")} for line in snapshot["lines"]]
    return hashlib.sha256(json.dumps(relevant, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def shares_of(snapshot: dict) -> verdeelsleutel.Shares:
    weights = {factor: Fraction(weight) for factor, weight in snapshot["weights"].items()}
    return verdeelsleutel.compute_shares(snapshot["statistics"], weights)


def fixed_of(snapshot: dict, component_id: int, year: int) -> dict[str, int]:
    return {f["cbs_code"]: f["amount"] for f in snapshot["fixed"]
            if f["component_id"] == component_id and f["year"] == year}


@dataclass
class Result:
    amounts: dict[tuple[int, int], dict[str, int]]  # (component_id, year) → {cbs_code: euros}
    regions: dict[tuple[int, int], dict[int, int]]  # (component_id, year) → {region_id: euros}


def compute(snapshot: dict, progress=None) -> Result:
    shares = shares_of(snapshot)
    members = {int(region_id): region["members"] for region_id, region in snapshot["regions"].items()}
    amounts, regions = {}, {}
    lines = snapshot["lines"]
    for index, line in enumerate(lines, start=1):
        key = (line["component_id"], line["year"])
        amounts[key] = verdeelsleutel.allocate_line(line["amount"], shares, fixed_of(snapshot, *key))
        regions[key] = verdeelsleutel.region_sums(amounts[key], members)
        if progress:
            progress(index, len(lines))
    return Result(amounts=amounts, regions=regions)


def explain(snapshot: dict, cbs_code: str) -> dict:
    """Everything needed to show how one gemeente's amounts came about."""
    shares = shares_of(snapshot)
    values = snapshot["statistics"][cbs_code]
    factors = [
        {"factor": factor, "label": snapshot.get("factor_labels", {}).get(factor, factor), "value": values[factor],
         "total": shares.totals[factor], "weight": weight,
         "contribution": weight * Fraction(values[factor], shares.totals[factor])}
        for factor, weight in shares.weights.items()
    ]
    lines = []
    for line in snapshot["lines"]:
        detail = verdeelsleutel.allocate_line_detailed(
            line["amount"], shares, fixed_of(snapshot, line["component_id"], line["year"]), only=cbs_code)[cbs_code]
        lines.append({**line, "detail": detail})
    return {"factors": factors, "share": shares.share(cbs_code), "lines": lines}
