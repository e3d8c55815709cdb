"""Normalisation of decoded document text into the document's canonical text.

The canonical text is what every offset in a textqca project refers to.  It is
produced once, by :func:`normalize_text`, and stored next to the passages so any
passage can be checked against it.  The steps, in order (each is recorded in the
documents table, column ``normalisation``):

``lf``
    CRLF and CR line endings become LF.
``zero_width``
    zero-width characters (U+200B-U+200D, U+2060, U+FEFF) are removed; a line that
    held nothing but them disappears with its line break (Wikisource exports put them
    on a line of their own inside words).
``control``
    control characters other than LF and TAB are removed.
``halfwidth``
    full-width ASCII letters and digits (``Ａ``, ``１``) and the ideographic space
    U+3000 (and other Unicode spaces) become their ASCII forms.  Chinese punctuation
    (``，。：；？！（）“”``) is kept as written -- plain NFKC would turn ``，`` into ``,``.
``strip``
    leading and trailing spaces of each line are removed (indentation is layout).
``boilerplate``
    page numbers (``- 3 -``, ``第3页 共9页``), web-page menus and breadcrumbs
    (``首页 > 政府信息公开 > ...``, ``分享:``, ``扫一扫在手机打开当前页`` ...) are dropped.
``rejoin``
    lines broken inside a sentence are re-joined: in documents whose paragraphs are
    separated by blank lines, a single line break is a wrap unless the next line starts
    a new structural unit (speaker label, ``第X条``, ``一、`` ...), the line ends a
    sentence, or the line is a numbered heading without punctuation above a longer
    paragraph (``二、关于…问题`` / ``会议同意…``); in documents hard-wrapped at a fixed width (PDF extraction), lines of
    that width not ending a sentence are joined to the next.
``blank``
    blank lines are removed: paragraphs are separated by one line break, so a passage's
    text (and id) does not depend on whether a file put blank lines between paragraphs
    (a PDF or a Word file has none).
``t2s`` (optional)
    traditional characters are converted to simplified with OpenCC (``t2s``).

The result only ever contains LF line breaks, no blank lines, and no leading/trailing
spaces on a line: one line is one paragraph.
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["normalize_text", "NORMALISATION_STEPS", "to_simplified", "is_structural_start"]

NORMALISATION_STEPS = ("lf", "zero_width", "control", "halfwidth", "strip", "boilerplate", "rejoin", "blank")

_ZW = "\u200b\u200c\u200d\u2060\ufeff"
_ZW_RE = re.compile(f"[{_ZW}]")
_ZW_LINE_RE = re.compile(f"(?m)^[{_ZW} \t\u3000]*[{_ZW}][{_ZW} \t\u3000]*\n")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")

# full-width letters/digits -> ASCII; Unicode spaces -> ' '
_HALFWIDTH = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_HALFWIDTH.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
_HALFWIDTH.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
for _c in (0x3000, 0x00A0, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x202F, 0x205F):
    _HALFWIDTH[_c] = 0x20

_HALFWIDTH_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_HALFWIDTH)) + "]")

# sentence-final (or clause-final) characters after which a line break is a real break
_LINE_FINAL = set("。！？；：…!?;:」』”’）)】]》>—-|*#")
_NUM = "零一二三四五六七八九十百千〇○两0-9"
# starts of lines that begin a new unit and must never be joined to the previous line
_STRUCT_RE = re.compile(
    rf"""^(?:
        第[{_NUM}]+[编章节条款編節條]
      | [一二三四五六七八九十百]+[、.．]
      | [（(][一二三四五六七八九十百]+[）)]
      | \d{{1,3}}[.．、](?!\d)
      | [（(]\d{{1,3}}[）)]
      | [①-⑳]
      | 附件 | 附表 | 附录
      | 【[^】]{{1,20}}】
      | [\[［(（]?\d{{1,2}}:\d{{2}}(?::\d{{2}})?
      | [^\s：:，,。！？；、]{{1,14}}(?:[（(][^）)\n]{{1,30}}[）)])?\s*[：:]
      | [-—=*·•●■◆]
    )""",
    re.X,
)
_PAGE_NUM_RE = re.compile(
    r"^(?:[-—–－~～]\s*\d{1,4}\s*[-—–－~～]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|"
    r"\d{1,4}\s*/\s*\d{1,4}|Page\s+\d+(?:\s+of\s+\d+)?)$",
    re.I,
)
_MENU_WORDS = {
    "分享", "分享:", "分享：", "分享到", "分享到:", "分享到：", "打印", "打印本页", "关闭", "关闭窗口", "【打印】",
    "【关闭】", "【关闭窗口】", "返回顶部", "扫一扫在手机打开当前页", "扫一扫在手机上查看当前页面",
    "当前位置", "当前位置:", "当前位置：", "您当前的位置", "您当前的位置：", "首页", "网站首页", "收藏",
    "【字体：大 中 小】", "字体：大 中 小", "字号：大 中 小", "[大][中][小]", "上一篇", "下一篇",
    "相关链接", "微信", "微博", ">", "›", "»", "/",
}
_BREADCRUMB_SEP = {">", "›", "»", ">>", "/"}


# speaker labels that cannot be the wrapped end of a sentence ("…依\n法给予处分：" is not a speaker)
_STRICT_LABEL_RE = re.compile(
    r"^(?:问|答|Q|A|q|a|访谈者|受访者|访谈人|访谈员|被访者|主持人|记者|采访者|[\u4e00-\u9fff]{1,2}某{1,2})\d{0,2}\s*[：:]"
    r"|^[\u4e00-\u9fff]{1,4}[（(][^）)\n]{1,30}[）)]\s*[：:]"
)


def is_structural_start(line: str, *, strict_labels: bool = False) -> bool:
    """True if ``line`` begins a new unit (speaker label, article, list item, attachment).

    With ``strict_labels`` only unmistakable speaker labels count (role words, ``王某``,
    a name with a role in brackets), for text whose line breaks are mostly wraps (PDF).
    """
    m = _STRUCT_RE.match(line)
    if not m:
        return False
    if strict_labels and re.match(r"^[^\s：:，,。！？；、]{1,14}(?:[（(][^）)\n]{1,30}[）)])?\s*[：:]", line) and not (
        re.match(rf"^(?:第[{_NUM}]+[编章节条款編節條]|【|[\[［(（]?\d{{1,2}}:\d{{2}})", line)
    ):
        return bool(_STRICT_LABEL_RE.match(line))
    return True


def _drop_boilerplate(lines: list[str]) -> list[str]:
    n = len(lines)
    drop = [False] * n
    for i, line in enumerate(lines):
        s = line.strip()
        if not s:
            continue
        if _PAGE_NUM_RE.match(s) or s in _MENU_WORDS:
            drop[i] = True
        if s in _BREADCRUMB_SEP or s.startswith("当前位置") or s.startswith("您当前的位置"):
            # a breadcrumb: short items around separator lines
            drop[i] = True
            for j in (i - 1, i + 1):
                if 0 <= j < n and 0 < len(lines[j].strip()) <= 20 and not _LINE_FINAL.intersection(lines[j].strip()[-1:]):
                    drop[j] = True
    # page metadata pairs:  '时间：' / '2026-02-02 09:20', '来源：' / '某某网' on separate lines
    for i, line in enumerate(lines):
        s = line.strip()
        if s in {"时间：", "时间:", "来源：", "来源:", "发布时间：", "发布时间:", "作者：", "作者:", "浏览次数：", "阅读次数："}:
            nxt = i + 1
            while nxt < n and not lines[nxt].strip():
                nxt += 1
            if nxt < n and len(lines[nxt].strip()) <= 30 and not is_structural_start(lines[nxt].strip()):
                drop[i] = drop[nxt] = True
    return [line for line, d in zip(lines, drop) if not d]


def _wrap_width(lines: list[str]) -> int | None:
    """Detect a fixed hard-wrap width (PDF extraction, typewritten files); None if not wrapped."""
    lengths = [len(s) for s in lines if s]
    if len(lengths) < 6:
        return None
    width, _ = Counter(lengths).most_common(1)[0]
    if width < 15:
        return None
    near = sum(1 for x in lengths if width - 2 <= x <= width)
    if near >= 0.3 * len(lengths) and sum(1 for x in lengths if x > width + 2) <= 0.1 * len(lengths):
        return width
    return None


def _join(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha():
        return a + " " + b
    return a + b


_HEADING_PUNCT_RE = re.compile(r"[，,。；;！？!?：:]")


def _is_heading_before(prev: str, line: str) -> bool:
    """``prev`` is a numbered heading line (``二、关于…问题``) standing above ``line``, not a wrap.

    A heading has no punctuation, is short, and is shorter than the paragraph under it
    (a line wrapped at a fixed width is never shorter than the line it wraps onto).
    """
    return (
        len(prev) <= 40
        and len(line) > len(prev) + 2
        and is_structural_start(prev)
        and not _HEADING_PUNCT_RE.search(prev)
    )


def _rejoin(lines: list[str]) -> list[str]:
    nonempty = sum(1 for s in lines if s)
    gaps = sum(1 for i in range(1, len(lines)) if not lines[i] and lines[i - 1])
    blank_separated = nonempty >= 4 and gaps >= 0.4 * nonempty
    width = None if blank_separated else _wrap_width(lines)
    # the last line of each blank-separated block: a wrap is only undone inside a
    # block that ends like a paragraph (with sentence-final punctuation)
    block_ends_sentence = [False] * len(lines)
    i = len(lines) - 1
    ends = False
    while i >= 0:
        if not lines[i]:
            ends = False
        elif i == len(lines) - 1 or not lines[i + 1]:
            ends = lines[i][-1] in "。！？；…!?;”’）)"
        block_ends_sentence[i] = ends
        i -= 1
    out: list[str] = []
    for i, line in enumerate(lines):
        if out and out[-1] and line:
            prev = out[-1]
            if blank_separated:
                wrapped = "http" not in prev and (
                    (block_ends_sentence[i] and len(prev) >= 15 and not _is_heading_before(prev, line))
                    or (len(line) <= 2 and line.isalpha())
                )
            else:
                wrapped = width is not None and len(prev) >= width - 2
            if wrapped and prev[-1] not in _LINE_FINAL and not is_structural_start(line):
                out[-1] = _join(prev, line)
                continue
        out.append(line)
    return out


def to_simplified(text: str) -> str:
    """Convert traditional Chinese to simplified with OpenCC (``t2s``), character for character."""
    import opencc  # optional at run time; installed with textqca

    return opencc.OpenCC("t2s").convert(text)


def normalize_text(raw: str, *, to_simplified_chinese: bool = False) -> tuple[str, list[str]]:
    """Return ``(canonical_text, steps)`` for decoded document text ``raw``.

    ``steps`` names the normalisation steps applied (see the module docstring), for the
    documents table.  The function is deterministic: the same input always gives the
    same canonical text, so offsets stay valid across re-ingestion.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZW_LINE_RE.sub("", text)
    text = _ZW_RE.sub("", text)
    text = _CONTROL_RE.sub("", text)
    text = _HALFWIDTH_RE.sub(lambda m: chr(_HALFWIDTH[ord(m.group())]), text)  # = translate, faster
    lines = [s.strip(" \t") for s in text.split("\n")]
    lines = _drop_boilerplate(lines)
    lines = _rejoin(lines)
    canonical = "\n".join(s for s in lines if s)
    steps = list(NORMALISATION_STEPS)
    if to_simplified_chinese:
        canonical = to_simplified(canonical)
        steps.append("t2s")
    return canonical, steps
