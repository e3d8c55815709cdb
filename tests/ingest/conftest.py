"""Helpers for the ingest tests: build .docx and text .pdf files from real Chinese text."""

from __future__ import annotations

from pathlib import Path

import pytest

CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)


def cjk_font() -> Path | None:
    for cand in CJK_FONT_CANDIDATES:
        if Path(cand).is_file():
            return Path(cand)
    return None


def _write_docx(lines: list[str], path: Path) -> None:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))


def _width(s: str) -> float:
    return sum(0.5 if ch.isascii() else 1.0 for ch in s)


def _wrap(paragraph: str, width: float, indent: float) -> list[str]:
    lines, cur, w = [], "", indent
    for ch in paragraph:
        cw = 0.5 if ch.isascii() else 1.0
        if w + cw > width and cur:
            lines.append(cur)
            cur, w = "", 0.0
        cur += ch
        w += cw
    if cur:
        lines.append(cur)
    return lines


def _write_pdf(paragraphs: list[str], path: Path, *, font: Path, indent: bool, width: float = 36) -> None:
    """Typeset ``paragraphs`` like a Word export: wrapped lines, indented first lines, page numbers."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    fp = FontProperties(fname=str(font), size=10)
    size_pt = 10.0
    left_in, top_in = 0.9, 0.9
    page_w, page_h = 8.27, 11.69
    line_h = 1.5 * size_pt / 72  # inches
    char_w = size_pt / 72
    placed: list[list[tuple[float, float, str]]] = [[]]
    y = top_in
    for para in paragraphs:
        ind = 2.0 if indent else 0.0
        wrapped = _wrap(para, width, ind)
        for i, line in enumerate(wrapped):
            if y > page_h - top_in:
                placed.append([])
                y = top_in
            x = left_in + (ind * char_w if i == 0 else 0)
            placed[-1].append((x, y, line))
            y += line_h
        y += 0.6 * line_h  # paragraph spacing
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(str(path)) as pdf:
        for n, page in enumerate(placed, start=1):
            fig = Figure(figsize=(page_w, page_h))
            for x, yy, line in page:
                fig.text(x / page_w, 1 - yy / page_h, line, fontproperties=fp)
            fig.text(0.5, 0.4 / page_h, f"- {n} -", fontproperties=fp, ha="center")
            pdf.savefig(fig)


@pytest.fixture
def pdf_font() -> Path:
    font = cjk_font()
    if font is None:
        pytest.skip("building a Chinese text PDF needs a CJK font: apt-get install -y fonts-wqy-microhei")
    return font


@pytest.fixture
def write_docx():
    """``write_docx(lines, path)``: one Word paragraph per line."""
    return _write_docx


@pytest.fixture
def write_pdf():
    """``write_pdf(paragraphs, path, font=, indent=)``: a typeset text PDF."""
    return _write_pdf
