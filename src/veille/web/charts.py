"""Charts as plain SVG drawn on the server: a timeline of mentions and a co-occurrence network."""
from __future__ import annotations

import math
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from veille.web.render import entity_href

WIDTH, HEIGHT, PAD = 640, 160, 28
MONTHLY_AFTER = 120  # days: a longer timeline is drawn a bar per month, else a bar per day
BAR_MAX = 40  # px: a timeline of a few days keeps thin bars instead of one wide block
NETWORK_NODES = 16  # neighbours drawn around the entity: more makes the labels unreadable


def timeline_svg(points: list[dict[str, Any]], label: str) -> Markup:
    """Return a bar chart of mentions per day (or per month over long spans)."""
    counts = _bucket(points)
    if not counts:
        return Markup("")
    top, width = max(counts.values()), min(BAR_MAX, (WIDTH - 2 * PAD) / len(counts))
    bars = []
    for i, (key, value) in enumerate(counts.items()):
        height = (HEIGHT - 2 * PAD) * value / top
        bars.append(f'<rect x="{PAD + i * width:.1f}" y="{HEIGHT - PAD - height:.1f}" width="{max(width - 1, 1):.1f}" '
                    f'height="{height:.1f}"><title>{escape(key)}: {value}</title></rect>')
    keys = list(counts)
    return Markup(f'<svg class="timeline" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}">'
                  + "".join(bars)
                  + f'<text x="{PAD}" y="{HEIGHT - 8}">{escape(keys[0])}</text>'
                  + f'<text x="{WIDTH - PAD}" y="{HEIGHT - 8}" text-anchor="end">{escape(keys[-1])}</text>'
                  + f'<text x="{PAD}" y="{PAD - 10}">{top}</text></svg>')


def _bucket(points: list[dict[str, Any]]) -> dict[str, int]:
    """Return mentions per day, or per month when the days span more than MONTHLY_AFTER."""
    days = [(p["day"], p["mentions"] or 0) for p in points if p.get("day") and len(p["day"]) == 10]
    if not days:
        return {}
    span = (date.fromisoformat(days[-1][0]) - date.fromisoformat(days[0][0])).days
    counts: dict[str, int] = {}
    for day, value in days:
        key = day[:7] if span > MONTHLY_AFTER else day
        counts[key] = counts.get(key, 0) + value
    return counts


def network_svg(name: str, neighbours: list[dict[str, Any]], label: str) -> Markup:
    """Return the entity in the middle and the entities seen in the same articles around it."""
    shown = neighbours[:NETWORK_NODES]
    if not shown:
        return Markup("")
    size, middle, radius = 420, 210, 150
    top = max(n["articles"] for n in shown)
    edges, nodes = [], []
    for i, other in enumerate(shown):
        angle = 2 * math.pi * i / len(shown) - math.pi / 2
        x, y = middle + radius * math.cos(angle), middle + radius * math.sin(angle)
        edges.append(f'<line x1="{middle}" y1="{middle}" x2="{x:.1f}" y2="{y:.1f}" '
                     f'stroke-width="{1 + 4 * other["articles"] / top:.1f}"/>')
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        nodes.append(f'<a href="{escape(entity_href(other["id"]))}"><circle cx="{x:.1f}" cy="{y:.1f}" r="7">'
                     f'<title>{escape(other["name"])}: {other["articles"]}</title></circle>'
                     f'<text x="{x + (10 if anchor == "start" else -10 if anchor == "end" else 0):.1f}" '
                     f'y="{y + (4 if anchor != "middle" else -12):.1f}" text-anchor="{anchor}">'
                     f'{escape(other["name"])}</text></a>')
    centre = (f'<circle class="centre" cx="{middle}" cy="{middle}" r="11"/>'
              f'<text x="{middle}" y="{middle + 28}" text-anchor="middle">{escape(name)}</text>')
    return Markup(f'<svg class="network" viewBox="-170 0 760 {size}" role="img" aria-label="{escape(label)}">'
                  + "".join(edges) + centre + "".join(nodes) + "</svg>")
