"""Extension points: where a lower app lets higher apps add to a page or a command without importing them.

The apps stand in layers: `spukportal` (the portal itself) under `regions` and `budgets`, those under
`applications`, and `monitoring` on top. A lower app never imports a higher one; where a lower app shows
something a higher app knows (the start page shows the applications waiting for the user; a region's page
lists its IZA applications; `load_demo_data` loads every app's demo data), the lower app names an extension
point here and the higher app registers a function into it in its `AppConfig.ready()`.
"""

from dataclasses import dataclass, field


@dataclass
class ExtensionPoint:
    """A named list of functions, called in the order of their `order` (then of registration)."""

    name: str
    doc: str
    _entries: list = field(default_factory=list, repr=False)

    def register(self, func=None, *, order: int = 100):
        """Add `func` (also usable as a decorator). Registering the same function twice adds it once, so
        that a second `ready()` (as in some test runners) changes nothing."""

        def add(f):
            if all(entry is not f for _, _, entry in self._entries):
                self._entries.append((order, len(self._entries), f))
            return f

        return add(func) if func is not None else add

    def __iter__(self):
        return iter(f for _, _, f in sorted(self._entries, key=lambda e: (e[0], e[1])))

    def collect(self, *args, **kwargs) -> dict:
        """Call every function with the arguments and merge the dicts they return (for page context)."""
        merged = {}
        for func in self:
            merged.update(func(*args, **kwargs) or {})
        return merged


START_PAGE = ExtensionPoint(
    "start_page", "Functions `(user) -> dict` whose entries go into the start page's context.")
REGION_PAGE = ExtensionPoint(
    "region_page", "Functions `(user, region) -> dict` whose entries go into a region's reference page.")
REFERENCE_DATA = ExtensionPoint(
    "reference_data", "Functions `(stdout)` that load an app's reference data (`load_reference_data`).")
DEMO_DATA = ExtensionPoint(
    "demo_data", "Functions `(stdout)` that load an app's demo data (`load_demo_data`), lower apps first.")
