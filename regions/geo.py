"""The CBS gemeente boundaries of 2023 (data/reference/geo/, TopoJSON from cartomap/nl, see the README there) as
SVG path data for maps of the whole country.

The file is read once per process and kept (`shapes()`); nothing is stored in the database. The topology is
simplified on reading: every point is projected (longitude × cos 52°, so the country keeps its shape) and
snapped to a grid of GRID map units, then points that land on the previous one are dropped. Because the
gemeenten share their borders as arcs, a border is simplified once and both neighbours keep fitting together.
Paths are written with relative whole-number steps (`l-3 4…`), which keeps a national map small."""

import functools
import json
import math
from dataclasses import dataclass

from django.conf import settings

GEMEENTE_FILE = "gemeente_2023.topojson"
GEMEENTE_OBJECT = "gemeente_2023"
CREDIT = "Grenzen: CBS / PDOK (gemeenten 2023), via cartomap/nl"
# One map unit is 0.001° of latitude (about 111 m); a point is snapped to a grid of GRID units.
GRID = 2
LATITUDE = 52.2  # where longitude is scaled, the middle of the country


@dataclass(frozen=True)
class Shapes:
    """Every gemeente as SVG path data in a `width` × `height` box (y downwards)."""

    paths: dict[str, str]  # cbs_code → path data
    names: dict[str, str]  # cbs_code → name in the boundary file
    width: int
    height: int
    arcs: list[list[tuple[int, int]]]  # simplified arcs in map coordinates
    rings: dict[str, list[list[int]]]  # cbs_code → its rings as arc indexes (TopoJSON: ~i is arc i reversed)

    def outline(self, codes) -> str:
        """Path data of the outer border of the union of `codes` (e.g. an IZA-regio): the arcs that only one of
        the gemeenten uses. Meant for a stroke, not a fill."""
        used = {}
        for code in codes:
            for ring in self.rings.get(code, ()):
                for index in ring:
                    arc = index if index >= 0 else ~index
                    used[arc] = used.get(arc, 0) + 1
        return "".join(_line(self.arcs[arc]) for arc, n in sorted(used.items()) if n == 1)

    def codes(self):
        return set(self.paths)


def _line(points, close=False) -> str:
    """`M` to the first point, then relative steps; a minus sign separates numbers by itself."""
    x, y = points[0]
    numbers = []
    for px, py in points[1:]:
        numbers += [px - x, py - y]
        x, y = px, py
    out = f"M{x - sum(numbers[0::2])} {y - sum(numbers[1::2])}"
    if numbers:
        out += "l" + _join(numbers)
    return out + ("z" if close else "")


def _join(numbers) -> str:
    out = []
    for n in numbers:
        if out and n >= 0:
            out.append(" ")
        out.append(str(n))
    return "".join(out)


def _decode(topology):
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    kx = math.cos(math.radians(LATITUDE))
    absolute = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append(((x * sx + tx) * kx, y * sy + ty))  # projected degrees
        absolute.append(points)
    xs = [p[0] for arc in absolute for p in arc]
    ys = [p[1] for arc in absolute for p in arc]
    min_x, max_y = min(xs), max(ys)
    unit = 0.001 * GRID
    arcs = []
    for points in absolute:
        snapped = []
        for px, py in points:
            point = (round((px - min_x) / unit), round((max_y - py) / unit))
            if not snapped or snapped[-1] != point:
                snapped.append(point)
        arcs.append(snapped)
    width = round((max(xs) - min_x) / unit) + 1
    height = round((max_y - min(ys)) / unit) + 1
    return arcs, width, height


def _ring_points(ring, arcs):
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


@functools.cache
def shapes() -> Shapes:
    """The gemeenten of the boundary file, read and simplified once per process."""
    path = settings.REFERENCE_DATA_DIR / "geo" / GEMEENTE_FILE
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs, width, height = _decode(topology)
    paths, names, rings = {}, {}, {}
    for geometry in topology["objects"][GEMEENTE_OBJECT]["geometries"]:
        code = geometry["properties"]["statcode"]
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        own = [ring for polygon in polygons for ring in polygon]
        parts = []
        for ring in own:
            points = _ring_points(ring, arcs)
            if len(set(points)) >= 3:  # a ring smaller than the grid disappears
                parts.append(_line(points, close=True))
        paths[code] = "".join(parts)
        names[code] = geometry["properties"]["statnaam"]
        rings[code] = own
    return Shapes(paths=paths, names=names, width=width, height=height, arcs=arcs, rings=rings)


def check_against(cbs_codes) -> list[str]:
    """Problems between the boundary file and the gemeenten in the database (for load_reference_data)."""
    known = shapes().codes()
    problems = []
    missing = sorted(set(cbs_codes) - known)
    extra = sorted(known - set(cbs_codes))
    if missing:
        problems.append(f"Geen grens voor {len(missing)} gemeente(n): {', '.join(missing[:10])}.")
    if extra:
        problems.append(f"Grens zonder gemeente in het portaal: {', '.join(extra[:10])}.")
    return problems
