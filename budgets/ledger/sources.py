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


# {source kind: callable(source_id) -> kenmerk}, registered by the app that owns the source (its AppConfig.ready)
REFERENCE_LOOKUPS = {}


def reference(source_kind: str, source_id: int) -> str:
    lookup = REFERENCE_LOOKUPS.get(source_kind)
    try:
        return (lookup(source_id) if lookup else "") or ""
    except Exception:  # a kenmerk is a courtesy in a message: its absence must not hide what the message says
        return ""


def describe(source_kind: str, source_id: int) -> str:
    """"beschikking VWS-2024-BS-000123", or "voorschot (nr. 5)" where no kenmerk is known."""
    ref = reference(source_kind, source_id)
    return f"{label(source_kind)} {ref}" if ref else f"{label(source_kind)} (nr. {source_id})"
