"""What caused a ledger entry (`LedgerEntry.source_kind`); `source_id` is that object's primary key."""

DECISION = "decision"  # applications.GrantDecision
AMENDED_DECISION = "amended_decision"  # an amended decision replacing an earlier one
PRIOR_GRANT = "prior_grant"  # monitoring.PriorGrant (a beschikking from before the portal)
ADVANCE = "advance"  # applications.AdvancePayment
SISA = "sisa"  # monitoring.SpendingReport
DETERMINATION = "determination"  # the final determination (vaststelling)

LABELS = {
    DECISION: "beschikking",
    AMENDED_DECISION: "gewijzigde beschikking",
    PRIOR_GRANT: "beschikking van vóór het portaal",
    ADVANCE: "voorschot",
    SISA: "SiSa-verantwoording",
    DETERMINATION: "vaststelling",
}
CHOICES = list(LABELS.items())


def label(kind: str) -> str:
    return LABELS.get(kind, kind)
