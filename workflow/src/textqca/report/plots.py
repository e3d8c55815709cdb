"""XY plots of set membership (solution consistency and coverage) as SVG with text kept as text."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import matplotlib

from textqca.report.fonts import FONT_STACK, font_face_css, matplotlib_family

__all__ = ["xy_plot", "standalone_svg", "survival_plot"]

_FAMILY_RE = re.compile(r"font-family: [^;\"]*")


def _finish(fig, salt: str) -> str:
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        fig.savefig(buf, format="svg", bbox_inches="tight")
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    return _FAMILY_RE.sub("font-family: " + FONT_STACK.replace('"', "'"), svg)


def xy_plot(x: Sequence[float], y: Sequence[float], labels: Sequence[str], *, title: str, xlabel: str,
            ylabel: str, fit: dict[str, float | None] | None = None, salt: str = "xy") -> str:
    """Scatter of cases: membership in a term/model (x) against the outcome (y).

    The diagonal separates consistent cases (on or above it: x <= y) from inconsistent ones;
    the lines at 0.5 mark the qualitative anchors (typical cases sit top right, deviant
    cases for consistency bottom right).  Returns an inline ``<svg>`` element.
    """
    from matplotlib.figure import Figure

    family = matplotlib_family()
    with matplotlib.rc_context({"font.family": [family, "DejaVu Sans"], "font.size": 9,
                                "axes.titlesize": 10}):
        fig = Figure(figsize=(4.4, 4.2))
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, 1], color="#888", lw=0.8, ls="--")
        ax.axhline(0.5, color="#ccc", lw=0.6)
        ax.axvline(0.5, color="#ccc", lw=0.6)
        colors = ["#c0392b" if (xi > 0.5 and yi < 0.5) else ("#1f6f8b" if xi > 0.5 else "#7f8c8d")
                  for xi, yi in zip(x, y)]
        ax.scatter(x, y, c=colors, s=28, zorder=3, alpha=0.85)
        # one label per cluster of nearby cases, so stacked points stay readable
        clusters: dict[tuple[int, int], list[int]] = {}
        for k, (xi, yi) in enumerate(zip(x, y)):
            clusters.setdefault((round(xi / 0.06), round(yi / 0.06)), []).append(k)
        for members in clusters.values():
            names = [str(labels[k]) for k in members]
            lines = ["、".join(names[i:i + 4]) for i in range(0, len(names), 4)]
            cx = sum(x[k] for k in members) / len(members)
            cy = sum(y[k] for k in members) / len(members)
            right = cx > 0.6
            ax.annotate("\n".join(lines), (cx, cy), textcoords="offset points",
                        xytext=(-6 if right else 6, -4 if cy > 0.6 else 4), fontsize=7.5,
                        ha="right" if right else "left", va="top" if cy > 0.6 else "bottom", color="#222")
        ax.set_xlim(-0.04, 1.08)
        ax.set_ylim(-0.04, 1.08)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if fit:
            txt = "  ".join(f"{k} {v:.3f}" for k, v in fit.items() if isinstance(v, (int, float)))
            title = f"{title}\n{txt}" if txt else title
        ax.set_title(title)
        ax.set_aspect("equal")
        return _finish(fig, salt)


def survival_plot(terms: Sequence[str], shares: Sequence[float], shares2: Sequence[float] | None = None, *,
                  title: str, labels: tuple[str, str] = ("grid", "resample"), salt: str = "rob") -> str:
    """Horizontal bars: share of robustness runs in which each term survives."""
    from matplotlib.figure import Figure

    family = matplotlib_family()
    n = len(terms)
    with matplotlib.rc_context({"font.family": [family, "DejaVu Sans"], "font.size": 9}):
        fig = Figure(figsize=(6.4, 0.45 * n + 1.2))
        ax = fig.add_subplot()
        pos = list(range(n))
        h = 0.38 if shares2 is not None else 0.6
        ax.barh([p - (h / 2 if shares2 is not None else 0) for p in pos], [s or 0 for s in shares], height=h,
                color="#1f6f8b", label=labels[0])
        if shares2 is not None:
            ax.barh([p + h / 2 for p in pos], [s or 0 for s in shares2], height=h, color="#e67e22", label=labels[1])
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        ax.set_yticks(pos, terms)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_xlabel("share of runs")
        ax.set_title(title)
        return _finish(fig, salt)


def standalone_svg(svg: str) -> str:
    """A self-contained SVG file: XML header and the embedded subset font for its text."""
    css = font_face_css(svg)
    if css:
        svg = svg.replace(">", f"><style>{css}</style>", 1) if "<defs>" not in svg else svg.replace(
            "<defs>", f"<defs><style>{css}</style>", 1)
    return '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n' + svg
