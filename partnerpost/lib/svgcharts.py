"""Small SVG charts drawn on the server: they work without JavaScript and inside a PDF. No Django import.

Every function returns an SVG document fragment (a string) with a <title> and <desc> for screen
readers and only presentation attributes (no style attributes), so a strict CSP holds. Labels are
escaped here; callers pass plain text.
"""

from __future__ import annotations

import math
from html import escape

from . import m49

INK = "#1b2430"
MUTED = "#4a5565"
BAR = "#0b4f8a"
GRID = "#d7dde5"
# light to dark, for tiles with 0, 1, 2-3, 4-7, 8+ entries
SHADES = ["#eef2f7", "#c6dbef", "#7fb0dd", "#3a7fc0", "#0b4f8a"]
#: a country with no entry on the world map: darker than SHADES[0], so that land stays visible on white paper
ZERO = "#dde3ea"


def _open(width: int, height: int, title: str, desc: str) -> list[str]:
    # ids unique on a page with several charts: taken from the title
    key = "chart-" + "".join(ch if ch.isalnum() else "-" for ch in title.lower())[:40]
    return [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'role="img" aria-labelledby="{key}-t {key}-d" font-family="Noto Sans, PP Sans, sans-serif" font-size="12" '
            # laid out left to right in every language: on a right-to-left page the text would otherwise
            # grow from its anchor the other way and leave the chart (each label's own script still reads
            # in its direction)
            'direction="ltr">',
            f'<title id="{key}-t">{escape(title)}</title><desc id="{key}-d">{escape(desc)}</desc>']


def bar_chart(rows: list[tuple[str, int]], title: str, *, width: int = 640, bar_height: int = 22) -> str:
    """Horizontal bars, one per (label, count), in the given order."""
    label_width = 230
    height = 10 + len(rows) * (bar_height + 8) + 10
    top = max([n for _, n in rows] + [1])
    out = _open(width, height, title, "; ".join(f"{label}: {n}" for label, n in rows))
    span = width - label_width - 60
    for i, (label, n) in enumerate(rows):
        y = 10 + i * (bar_height + 8)
        length = round(span * n / top) if n else 0
        short = label if len(label) <= 34 else label[:33] + "…"
        out.append(f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" fill="{INK}">{escape(short)}</text>')
        out.append(f'<rect x="{label_width}" y="{y}" width="{max(length, 1)}" height="{bar_height}" fill="{BAR}" rx="2"/>')
        out.append(f'<text x="{label_width + length + 6}" y="{y + bar_height * 0.7:.1f}" fill="{MUTED}">{n}</text>')
    out.append("</svg>")
    return "".join(out)


def column_chart(rows: list[tuple[str, int]], title: str, *, width: int = 640, height: int = 220) -> str:
    """Vertical columns over time: one per (label, count), left to right."""
    out = _open(width, height, title, "; ".join(f"{label}: {n}" for label, n in rows))
    base, left, right, top_pad = height - 30, 40, 10, 20
    top = max([n for _, n in rows] + [1])
    step = (width - left - right) / max(len(rows), 1)
    out.append(f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="{GRID}"/>')
    for i, (label, n) in enumerate(rows):
        h = (base - top_pad) * n / top
        x = left + i * step + step * 0.15
        out.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" fill="{BAR}" rx="2"/>')
        out.append(f'<text x="{x + step * 0.35:.1f}" y="{base - h - 5:.1f}" text-anchor="middle" fill="{MUTED}">{n}</text>')
        out.append(f'<text x="{x + step * 0.35:.1f}" y="{base + 16}" text-anchor="middle" fill="{INK}">{escape(label)}</text>')
    out.append("</svg>")
    return "".join(out)


def _shade(n: int) -> str:
    if n <= 0:
        return SHADES[0]
    if n == 1:
        return SHADES[1]
    if n <= 3:
        return SHADES[2]
    if n <= 7:
        return SHADES[3]
    return SHADES[4]


#: The cartogram's columns: continents, each a list of its sub-regions, top to bottom.
CARTOGRAM_COLUMNS = [
    ("019", ["021", "029", "013", "005"]),
    ("150", ["154", "155", "151", "039"]),
    ("002", ["015", "011", "017", "014", "018"]),
    ("142", ["145", "143", "034", "030", "035"]),
    ("009", ["053", "054", "057", "061"]),
]


def tile_cartogram(counts: dict[str, int], names: dict[str, str], title: str, *, tile: int = 22, per_row: int = 6,
                   region_names: dict[str, str] | None = None) -> str:
    """Every country and area as a square tile, grouped by UN M49 region (continents as columns,
    sub-regions as blocks), shaded by its count. A map of entries by country without country shapes:
    positions are by region, not by geography. `region_names` gives the regions' names in the page's
    language (M49 code -> name); the UN's English names otherwise."""
    region_names = region_names or {}
    gap, col_gap, head = 2, 18, 16
    col_width = per_row * (tile + gap)
    blocks = []  # (x, y, svg parts)
    width = len(CARTOGRAM_COLUMNS) * (col_width + col_gap) + col_gap
    height = 0
    parts = []
    for c, (continent, subs) in enumerate(CARTOGRAM_COLUMNS):
        x0 = col_gap + c * (col_width + col_gap)
        y = 24
        parts.append(f'<text x="{x0}" y="16" font-weight="bold" fill="{INK}">{escape(region_names.get(continent) or m49.REGIONS[continent][0])}</text>')
        for sub in subs:
            codes = sorted((code for code, region in m49.COUNTRY_REGION.items() if region == sub),
                           key=lambda code: names.get(code, code))
            parts.append(f'<text x="{x0}" y="{y + 11}" font-size="9.5" fill="{MUTED}">{escape(region_names.get(sub) or m49.REGIONS[sub][0])}</text>')
            y += head
            for i, code in enumerate(codes):
                tx = x0 + (i % per_row) * (tile + gap)
                ty = y + (i // per_row) * (tile + gap)
                n = counts.get(code, 0)
                fill = _shade(n)
                text_fill = "#ffffff" if n >= 4 else INK
                label = f"{names.get(code, code)}: {n}"
                parts.append(f'<g><title>{escape(label)}</title><rect x="{tx}" y="{ty}" width="{tile}" height="{tile}" '
                             f'fill="{fill}" stroke="#ffffff" rx="2"/><text x="{tx + tile / 2:.1f}" y="{ty + tile * 0.65:.1f}" '
                             f'text-anchor="middle" font-size="8" fill="{text_fill}">{code}</text></g>')
            y += ((len(codes) + per_row - 1) // per_row) * (tile + gap) + 8
        height = max(height, y)
    legend_y = height + 6
    legend = [f'<text x="{col_gap}" y="{legend_y + 12}" fill="{MUTED}">0</text>']
    for i, (shade, label) in enumerate(zip(SHADES, ["0", "1", "2–3", "4–7", "8+"], strict=True)):
        lx = col_gap + 20 + i * 56
        legend.append(f'<rect x="{lx}" y="{legend_y}" width="16" height="16" fill="{shade}" stroke="{GRID}"/>'
                      f'<text x="{lx + 20}" y="{legend_y + 12}" fill="{MUTED}">{label}</text>')
    total_height = legend_y + 28
    with_entries = sorted((names.get(c, c), n) for c, n in counts.items() if n)
    out = _open(width, total_height, title, "; ".join(f"{name}: {n}" for name, n in with_entries) or "0")
    out += parts + legend[1:] + ["</svg>"]
    return "".join(out)


def count_classes(counts: list[int], classes: int = 4) -> list[tuple[int, int]]:
    """Ranges (low, high) of counts for a choropleth's shades, from the counts above zero: about as many
    places in each class (quantiles), never an empty or overlapping range. Zero has its own shade."""
    values = sorted(n for n in counts if n > 0)
    if not values:
        return []
    bounds, low = [], 1
    for k in range(1, classes + 1):
        high = values[min(len(values) - 1, math.ceil(k * len(values) / classes) - 1)]
        if high >= low:
            bounds.append((low, high))
            low = high + 1
    return bounds


def world_map(counts: dict[str, int], names: dict[str, str], title: str, world, *, width: int = 640,
              legend_title: str = "", missing_label: str = "") -> str:
    """A choropleth of the world: each country or area filled by the class of its count (see
    count_classes), its name and count in its <title>; the smallest states, which the shapes mark with a
    dot, as dots. `world` holds the shapes (lib.worldshapes.World). Counted places the shapes lack are
    listed under the legend after `missing_label`, so that no count is lost from view."""
    x0, y0, box_width, box_height = world.view_box
    scale = width / box_width
    map_height = round(box_height * scale)
    classes = count_classes(list(counts.values()))
    shades = SHADES[1:1 + len(classes)] if len(classes) < 4 else SHADES[1:]

    def fill(n: int) -> str:
        for (low, high), shade in zip(classes, shades, strict=True):
            if low <= n <= high:
                return shade
        return ZERO

    missing = sorted(((names.get(c, c), n) for c, n in counts.items() if n and c not in world.codes))
    note_lines: list[str] = []
    if missing:
        line = missing_label + " "
        for name, n in missing:
            part = f"{name} ({n})"
            if len(line) + len(part) > width // 7:
                note_lines.append(line.rstrip(", "))
                line = ""
            line += part + ", "
        note_lines.append(line.rstrip(", "))
    legend_y = map_height + 14
    height = legend_y + 24 + 18 * len(note_lines)
    with_entries = sorted((names.get(c, c), n) for c, n in counts.items() if n)
    out = _open(width, height, title, "; ".join(f"{name}: {n}" for name, n in with_entries) or "0")
    out.append(f'<rect x="0" y="0" width="{width}" height="{map_height}" fill="#ffffff"/>')
    out.append(f'<g transform="scale({scale:.5f}) translate({-x0:g} {-y0:g})" stroke="#ffffff" '
               f'stroke-width="{0.6 / scale:.2f}" stroke-linejoin="round">')
    for code in sorted(world.paths):
        n = counts.get(code, 0)
        out.append(f'<path d="{world.paths[code]}" fill="{fill(n)}"><title>{escape(names.get(code, code))}: {n}</title></path>')
    for code in sorted(world.markers):
        x, y = world.markers[code]
        n = counts.get(code, 0)
        out.append(f'<circle cx="{x}" cy="{y}" r="{2.4 / scale:.1f}" fill="{fill(n)}" stroke="{MUTED}" '
                   f'stroke-width="{0.5 / scale:.2f}"><title>{escape(names.get(code, code))}: {n}</title></circle>')
    out.append("</g>")
    labels = [("0", ZERO)] + [(str(low) if low == high else f"{low}–{high}", shade)
                                   for (low, high), shade in zip(classes, shades, strict=True)]
    lx = 0
    if legend_title:
        out.append(f'<text x="0" y="{legend_y + 12}" fill="{INK}">{escape(legend_title)}</text>')
        lx = 8 + 7 * len(legend_title)
    for label, shade in labels:
        out.append(f'<rect x="{lx}" y="{legend_y}" width="16" height="16" fill="{shade}" stroke="{GRID}"/>'
                   f'<text x="{lx + 20}" y="{legend_y + 12}" fill="{MUTED}">{label}</text>')
        lx += 28 + 8 * len(label)
    for i, line in enumerate(note_lines):
        out.append(f'<text x="0" y="{legend_y + 38 + 18 * i}" fill="{INK}">{escape(line)}</text>')
    out.append("</svg>")
    return "".join(out)
