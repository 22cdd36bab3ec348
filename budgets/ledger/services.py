"""Writing the ledger. Every function runs in one transaction and locks the recipient's row first
(select_for_update), so two postings for the same recipient and regulation never interleave: the second sees
what the first booked. Nothing is ever changed: a correction reverses (a negative entry with `reverses=`) and
posts anew."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from . import sources
from .recipients import recipient_fields as _recipient_fields
from .recipients import recipient_filter
from .models import LedgerEntry
from .selectors import live_grants

Kind = LedgerEntry.Kind


class LedgerConflict(ValidationError):
    """A grant that would overlap a live grant of the same recipient and regulation (message in Dutch)."""


def _lock(recipient):
    """Lock the recipient's row: postings for one recipient run one after the other."""
    type(recipient).objects.select_for_update().filter(pk=recipient.pk).first()


def _live(qs):
    """Entries that are neither a reversal nor reversed."""
    return qs.filter(reverses__isnull=True, reversals__isnull=True)


def _reverse(entries, *, by, booked_on, note) -> list[LedgerEntry]:
    return LedgerEntry.objects.bulk_create([LedgerEntry(
        municipality_id=e.municipality_id, region_id=e.region_id, regulation=e.regulation, year=e.year,
        line=e.line, kind=e.kind, amount=-e.amount, booked_on=booked_on, source_kind=e.source_kind,
        source_id=e.source_id, reverses=e, note=note, created_by=by) for e in entries])


_source_text = sources.describe
REFERENCE_LOOKUPS = sources.REFERENCE_LOOKUPS


def _years_text(years) -> str:
    years = sorted(years)
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


def _euros(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _replaced_set(replaces) -> set:
    """`replaces`: None, one source (kind, id) or a list of sources."""
    if not replaces:
        return set()
    if isinstance(replaces, tuple) and len(replaces) == 2 and isinstance(replaces[0], str):
        return {replaces}
    return {tuple(r) for r in replaces}


def grant_conflict(*, recipient, regulation, years, replaces=None, source=None) -> LedgerConflict | None:
    """The refusal a grant for these years would meet, or None (nothing is written; for previews and forms)."""
    replaced = _replaced_set(replaces)
    live = live_grants(recipient, regulation)
    live_sources = {(g.source_kind, g.source_id) for g in live}
    for missing in sorted(replaced - live_sources):
        return LedgerConflict(f"De {_source_text(*missing)} die vervangen zou worden, is geen lopende toekenning "
                              "(meer).", code="replaced_not_live")
    for grant in live:
        if (grant.source_kind, grant.source_id) in replaced:
            continue
        overlap = set(years) & set(grant.years)
        if overlap:
            what = ("deze beschikking" if source is not None and (grant.source_kind, grant.source_id) == tuple(source)
                    else f"de {_source_text(grant.source_kind, grant.source_id)}")
            return LedgerConflict(
                f"Voor {recipient} is {_years_text(overlap)} al toegekend bij {what} "
                f"({_years_text(grant.years)}, € {_euros(grant.total)}). Een jaar kan maar één keer worden "
                "toegekend: wijs de aanvraag af of vervang die toekenning uitdrukkelijk.",
                code="overlap", params={"source_kind": grant.source_kind, "source_id": grant.source_id,
                                        "years": sorted(overlap)})
    return None


def overlapping_grants(*, recipient, regulation, years) -> list:
    """The live grants that share a year with `years` (what an explicit replacement would reverse)."""
    return [g for g in live_grants(recipient, regulation) if set(years) & set(g.years)]


def post_grant(*, recipient, regulation, lines: dict, source: tuple, booked_on, by=None, replaces=None,
               note="") -> list[LedgerEntry]:
    """Book a grant: {(year, line key): euros}. Refused (LedgerConflict) when a year overlaps a live grant of
    the same recipient and regulation, unless `replaces` names that grant's source (or a list of sources):
    then their entries are reversed and the new ones posted in the same transaction."""
    source_kind, source_id = source
    fields = _recipient_fields(recipient)
    replaced = _replaced_set(replaces)
    with transaction.atomic():
        _lock(recipient)
        years = {year for (year, _line) in lines}
        conflict = grant_conflict(recipient=recipient, regulation=regulation, years=years, replaces=replaced,
                                  source=source)
        if conflict is not None:
            raise conflict
        for replaced_source in sorted(replaced):
            _reverse(list(_live(LedgerEntry.objects.filter(
                recipient_filter(recipient), regulation=regulation, kind=Kind.GRANTED,
                source_kind=replaced_source[0], source_id=replaced_source[1]))),
                by=by, booked_on=booked_on, note=note or f"vervangen door {_source_text(source_kind, source_id)}")
        return LedgerEntry.objects.bulk_create([LedgerEntry(
            **fields, regulation=regulation, year=year, line=line, kind=Kind.GRANTED, amount=int(amount),
            booked_on=booked_on, source_kind=source_kind, source_id=source_id, note=note, created_by=by)
            for (year, line), amount in sorted(lines.items()) if amount])


def withdraw(*, source, by, booked_on, note) -> list[LedgerEntry]:
    """Reverse every live entry of the source (a withdrawn decision, a deleted prior grant)."""
    with transaction.atomic():
        live = _live(LedgerEntry.objects.filter(source_kind=source[0], source_id=source[1]))
        for recipient in {e.recipient for e in live.select_related("municipality", "region")}:
            _lock(recipient)
        # Read again under the locks: what another withdrawal reversed meanwhile is not reversed twice.
        return _reverse(list(live), by=by, booked_on=booked_on, note=note)


def _replace(*, recipient, regulation, kind, year, line, amount, source, booked_on, by=None, note="",
             match_line=True):
    """Book `amount` of `kind` for the source's (year, line), reversing what the same source booked there
    before (a resubmitted report, a corrected figure). Nothing new when the amount is unchanged."""
    with transaction.atomic():
        _lock(recipient)
        earlier = _live(LedgerEntry.objects.filter(recipient_filter(recipient), regulation=regulation,
                                                   kind=kind, year=year, source_kind=source[0],
                                                   source_id=source[1]))
        if match_line:
            earlier = earlier.filter(line=line)
        earlier = list(earlier)
        if sum(e.amount for e in earlier) == amount and len(earlier) <= 1 and (earlier or not amount):
            return []
        posted = _reverse(earlier, by=by, booked_on=booked_on,
                          note=note or "vervangen door een nieuwe boeking")
        if amount:
            posted.append(LedgerEntry.objects.create(
                **_recipient_fields(recipient), regulation=regulation, year=year, line=line, kind=kind,
                amount=int(amount), booked_on=booked_on, source_kind=source[0], source_id=source[1],
                note=note, created_by=by))
        return posted


def post_advance(*, recipient, regulation, year, amount, due_on, source, paid: bool, booked_on=None, by=None,
                 note="") -> list[LedgerEntry]:
    """An advance: scheduled for `due_on` (ADVANCE_SCHEDULED); with paid=True it is booked as paid
    (ADVANCE_PAID, on `booked_on` or else `due_on`). Booking the same source again replaces the earlier
    entry of that kind."""
    kind = Kind.ADVANCE_PAID if paid else Kind.ADVANCE_SCHEDULED
    return _replace(recipient=recipient, regulation=regulation, kind=kind, year=year, line="", amount=amount,
                    source=source, booked_on=(booked_on or due_on) if paid else due_on, by=by, note=note,
                    match_line=False)


def post_spent(*, recipient, regulation, year, line, amount, source, booked_on, by=None, note=""):
    """Spending reported (SiSa) for a year and line; replaces what the same source reported there before."""
    return _replace(recipient=recipient, regulation=regulation, kind=Kind.SPENT, year=year, line=line,
                    amount=amount, source=source, booked_on=booked_on, by=by, note=note)


def post_carried_over(*, recipient, regulation, year, line, amount, source, booked_on, by=None, note=""):
    """The part of `year`'s grant carried over to the next year; replaces the same source's earlier figure."""
    return _replace(recipient=recipient, regulation=regulation, kind=Kind.CARRIED_OVER, year=year, line=line,
                    amount=amount, source=source, booked_on=booked_on, by=by, note=note)


def post_determined(*, recipient, regulation, year_amounts: dict, source, booked_on, by=None, note=""):
    """The determined amount per year (vaststelling); replaces the same source's earlier figures."""
    with transaction.atomic():
        posted = []
        for year, amount in sorted(year_amounts.items()):
            posted += _replace(recipient=recipient, regulation=regulation, kind=Kind.DETERMINED, year=year,
                               line="", amount=amount, source=source, booked_on=booked_on, by=by, note=note,
                               match_line=False)
        return posted


def post_reclaimed(*, recipient, regulation, year, amount, source, booked_on, by=None, note=""):
    """The amount reclaimed for a year (terugvordering); replaces the same source's earlier figure."""
    return _replace(recipient=recipient, regulation=regulation, kind=Kind.RECLAIMED, year=year, line="",
                    amount=amount, source=source, booked_on=booked_on, by=by, note=note, match_line=False)


def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()
