"""The CJK font shipped with textqca and its embedding as a subset ``@font-face``.

The report never relies on a system font: it embeds, as a ``data:`` URL, a subset of
WenQuanYi Micro Hei (Apache-2.0, shipped in ``report/fonts/``) that holds just the
characters the page uses.  Plots are SVG with ``svg.fonttype = "none"`` (text stays
text), so the same embedded face renders their Chinese labels.  Characters outside the
shipped subset (GB 2312) fall back to the viewer's fonts.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache
from pathlib import Path

__all__ = ["FONT_FILE", "FONT_FAMILY", "FONT_STACK", "font_face_css", "matplotlib_family"]

FONT_FILE = Path(__file__).resolve().parent / "fonts" / "wqy-microhei-gb2312.ttf"
#: Family name of the embedded face (distinct from any system font, so tests can check it loaded).
FONT_FAMILY = "TextQCA CJK"
#: CSS font stack used by the report and its SVG plots.
FONT_STACK = (f"'{FONT_FAMILY}', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Source Han Sans SC', "
              "'PingFang SC', 'Microsoft YaHei', 'DejaVu Sans', sans-serif")


@lru_cache(maxsize=1)
def _font_bytes() -> bytes:
    return FONT_FILE.read_bytes()


@lru_cache(maxsize=1)
def _cmap() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(io.BytesIO(_font_bytes())) as font:
        return frozenset(font.getBestCmap())


def font_face_css(text: str, *, family: str = FONT_FAMILY) -> str:
    """An ``@font-face`` rule embedding the glyphs needed for ``text`` (WOFF, base64).

    Only characters beyond ASCII are subset in, plus digits and Latin letters so mixed
    labels keep one face; returns ``""`` when nothing is needed.
    """
    from fontTools import subset

    wanted = {ord(ch) for ch in set(text) if ord(ch) > 0x7F} | set(range(0x20, 0x7F))
    wanted &= _cmap()
    if not any(cp > 0x7F for cp in wanted):
        return ""
    opts = subset.Options()
    opts.flavor = "woff"
    opts.layout_features = ["*"]
    opts.notdef_outline = True
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    font = subset.load_font(io.BytesIO(_font_bytes()), opts)
    try:
        sub = subset.Subsetter(opts)
        sub.populate(unicodes=sorted(wanted))
        sub.subset(font)
        buf = io.BytesIO()
        subset.save_font(font, buf, opts)
    finally:
        font.close()
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (f"@font-face {{ font-family: '{family}'; font-style: normal; font-weight: 100 900; "
            f"src: url(data:font/woff;base64,{data}) format('woff'); }}")


@lru_cache(maxsize=1)
def matplotlib_family() -> str:
    """Register the shipped font with matplotlib (for text metrics) and return its family name."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(FONT_FILE))
    return font_manager.FontProperties(fname=str(FONT_FILE)).get_name()
