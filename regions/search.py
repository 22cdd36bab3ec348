"""Finding gemeenten the way people type them: "Den Haag" finds 's-Gravenhage, "sudwest" finds
Súdwest-Fryslân, "gm0518" and "0518" find the CBS code. Accents, case, apostrophes, hyphens and spaces
do not matter. Works the same on PostgreSQL and SQLite (the match runs over the 342 names in Python)."""

import functools
import re
import unicodedata

from django.db.models import Q

from .models import Municipality

# Names people use that are not the official name (CBS code → common names).
COMMON_NAMES = {
    "GM0518": ["Den Haag", "The Hague"],
    "GM0796": ["Den Bosch"],
    "GM0373": ["Bergen Noord-Holland"],
    "GM0893": ["Bergen Limburg"],
    "GM1900": ["Sudwest Friesland", "Zuidwest Friesland"],
    "GM1970": ["Noordoost Friesland"],
    "GM0080": ["Ljouwert"],
}


def normalise(text: str) -> str:
    """Lower case, without accents and without anything that is not a letter or digit."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]", "", text.lower())


@functools.lru_cache(maxsize=2048)
def normalised_name(name: str) -> str:
    """`normalise` of a stored name or code, remembered per process. A search compares the typed text with the
    342 gemeenten's names, common names and codes and the 42 regions' names; normalising those again on every
    search was half of the review queue's search (benchmarks/profile_pages.py). Keyed on the text itself, so a
    renamed gemeente is normalised anew; the typed text is not remembered."""
    return normalise(name)


def municipality_query(q: str, municipalities=None) -> Q:
    """A filter on Municipality matching `q` on the official name, a common name or the CBS code."""
    wanted = normalise(q)
    if not wanted:
        return Q()
    rows = municipalities if municipalities is not None else Municipality.objects.values_list("pk", "cbs_code", "name")
    ids = []
    for pk, code, name in rows:
        names = [name, *COMMON_NAMES.get(code, [])]
        if any(wanted in normalised_name(n) for n in names) or wanted in normalised_name(code):
            ids.append(pk)
    return Q(pk__in=ids)
