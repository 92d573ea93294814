"""The burn-down chart as SVG, drawn on the server (no script): found, remaining, in progress, cleared
per day, Chinese labels in the CJK fonts the documents use (fonts-noto-cjk)."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from services.review.cases.clearance.campaigns import Point

WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 150, 36, 44
FONT = "'Noto Sans CJK SC', 'Noto Sans SC', sans-serif"
SERIES = (  # key, label, colour, dash
    ("found", "已发现", "#1f4e79", ""),
    ("remaining", "未清理", "#c00000", ""),
    ("in_progress", "办理中", "#bf8f00", "6 4"),
    ("cleared", "已清理", "#2e7d32", ""),
)


def _value(point: Point, key: str) -> int:
    return int(getattr(point, key))


def svg(points: Sequence[Point], *, title: str) -> str:
    """An <svg> element (a string, every text escaped): one polyline per series over the days."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top_value = max([1] + [_value(p, k) for p in points for k, *_ in SERIES])
    step = max(1, -(-top_value // 5))
    y_max = step * 5
    n = max(1, len(points) - 1)

    def x(i: int) -> float:
        return LEFT + plot_w * i / n

    def y(v: int) -> float:
        return TOP + plot_h * (1 - v / y_max)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
           f'role="img" aria-labelledby="burn-title" font-family="{FONT}" font-size="12">',
           f'<title id="burn-title">{escape(title)}</title>',
           f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
           f'<text x="{LEFT}" y="20" font-size="15" font-weight="bold">{escape(title)}</text>']
    for k in range(6):  # the grid and the count axis
        v = step * k
        out.append(f'<line x1="{LEFT}" y1="{y(v):.1f}" x2="{LEFT + plot_w}" y2="{y(v):.1f}" stroke="#dddddd"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y(v) + 4:.1f}" text-anchor="end">{v}</text>')
    out.append(f'<text x="14" y="{TOP + plot_h / 2:.0f}" transform="rotate(-90 14 {TOP + plot_h / 2:.0f})" '
               f'text-anchor="middle">件数</text>')
    if points:
        every = max(1, len(points) // 6)
        last = len(points) - 1
        # A tick too close to the last day's would print over it.
        ticks = sorted({0, last, *(i for i in range(0, last, every) if last - i >= every / 2)})
        for i in ticks:
            day = points[i].day
            out.append(f'<text x="{x(i):.1f}" y="{TOP + plot_h + 18}" text-anchor="middle">{day.month}月{day.day}日</text>')
    out.append(f'<text x="{LEFT + plot_w / 2:.0f}" y="{HEIGHT - 6}" text-anchor="middle">日期</text>')
    out.append(f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" stroke="#333333"/>')
    for n_series, (key, label, colour, dash) in enumerate(SERIES):
        coords = " ".join(f"{x(i):.1f},{y(_value(p, key)):.1f}" for i, p in enumerate(points))
        if len(points) == 1:
            coords = f"{x(0):.1f},{y(_value(points[0], key)):.1f} {LEFT + plot_w:.1f},{y(_value(points[0], key)):.1f}"
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        if coords:
            out.append(f'<polyline class="series-{key}" fill="none" stroke="{colour}" stroke-width="2.5"{dashed} '
                       f'points="{coords}"/>')
        ly = TOP + 10 + n_series * 22
        last = _value(points[-1], key) if points else 0
        out.append(f'<line x1="{WIDTH - RIGHT + 16}" y1="{ly}" x2="{WIDTH - RIGHT + 40}" y2="{ly}" stroke="{colour}" '
                   f'stroke-width="2.5"{dashed}/>')
        out.append(f'<text x="{WIDTH - RIGHT + 46}" y="{ly + 4}">{escape(label)} {last}</text>')
    out.append("</svg>")
    return "\n".join(out)
