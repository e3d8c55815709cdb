"""Cut a document's canonical text into passages: speaker turns, articles, paragraphs.

A passage is the unit coders and the auto-coder work on.  Every passage carries
``start``/``end`` offsets into the canonical text (``text == canonical[start:end]``
always holds) and an id that depends on its own text only
(``<doc_id>:<8 hex of sha1(text)>``, ``~2``, ``~3`` for a text repeated in the same
document), so editing one paragraph changes only that passage's id.

Interviews (:func:`segment_interview`)
    a passage is one speaker turn; the speaker label (``问：``, ``Q:``, ``访谈者：``,
    ``王某（镇扶贫办主任）：``, ``【主持人】``) and a timestamp before or after it
    (``[00:12:31] 答：``, ``【受访者】[00:01:07]``) are not part of the passage text.  The
    header block of a transcript (``访谈编号：``, ``时间：``, ``地点：``, ``受访者：王某，男，…``
    -- a field of any length) is one passage with role ``header``, and so are
    transcriber's notes before the first turn (``[第一部分]``).  A transcriber's note on a
    line of its own after that (``（受访者接了一个电话，约三分钟）``, ``（访谈结束）``,
    ``[第二部分]``) is a passage with role ``note`` (never coded); a line without a speaker
    label after a turn continues that turn (a multi-paragraph answer), also after a note
    (same turn number, next passage).
Policy documents (:func:`segment_policy`, also used for field notes -- where a date line
opens a dated entry -- and other texts)
    a passage is an article (``第X条`` with its 款 and 项) or, outside articles, a
    paragraph, with its section path (``第二章 > 第五条``, ``三、 > （二）``,
    ``二、关于消防设施改造补贴问题`` for a heading line).  Front matter (title, 文号, 题注),
    signature/date blocks and the closing lines of minutes and circulars (``出席：``,
    ``记录：``, ``分送：``/``抄送：``, ``…代章`` / ``…日印发``) are passages with role
    ``header`` and section ``题头`` / ``落款``; a list of attachments (``附件：1. …``) has
    section ``附件``, never the last item's; chapter and list headings are not passages,
    they make up the section path.

Passages longer than ``max_chars`` (default :data:`DEFAULT_MAX_CHARS`) are split into
units of at most ``max_chars`` characters between lines (paragraphs, enumerated items
``（九）…``) and, only inside a line longer than that, at sentence boundaries (``。！？；…``
with closing quotes); a single sentence longer than that stays whole, so no passage
starts or ends inside a sentence or cuts an item that could stay whole.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

__all__ = [
    "DEFAULT_MAX_CHARS",
    "Passage",
    "segment_document",
    "segment_interview",
    "segment_policy",
    "split_sentences",
    "assign_passage_ids",
    "passage_hash",
]

DEFAULT_MAX_CHARS = 500

HEADER_SECTION = "题头"
SIGNATURE_SECTION = "落款"


@dataclass(frozen=True)
class Passage:
    """One passage of a document (offsets into the canonical text, ``end`` exclusive)."""

    start: int
    end: int
    text: str
    section: str = ""
    speaker: str = ""
    role: str = ""
    turn: int | None = None
    passage_id: str = ""


# --------------------------------------------------------------------------- sentences

_SENT_END_RE = re.compile(r"[。！？!?；;…]+[”’\"'」』）)》】]*|\n+")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans ``(s, e)`` of ``text[start:end]`` (whitespace trimmed, offsets in ``text``)."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _SENT_END_RE.finditer(text, start, end):
        e = m.end() if m.group()[0] != "\n" else m.start()
        spans.append((pos, e))
        pos = m.end()
    spans.append((pos, end))
    return [t for t in (_trim(text, s, e) for s, e in spans) if t[1] > t[0]]


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _pack(text: str, s: int, e: int, max_chars: int) -> list[tuple[int, int]]:
    """Split span ``[s, e)`` into consecutive chunks of at most ``max_chars`` where possible.

    Cuts fall between lines (a line is a paragraph or an enumerated item such as
    ``（九）…``): an item that fits is never cut, even when a sentence boundary inside it
    would fill the chunk better; only a line longer than ``max_chars`` is cut inside, at
    sentence boundaries.  Chunks are filled greedily from the start, so a cut moves only
    when the text before it changes (ids stay stable).  A single sentence longer than
    ``max_chars`` stays whole.
    """
    s, e = _trim(text, s, e)
    if e <= s:
        return []
    if e - s <= max_chars:
        return [(s, e)]
    units: list[tuple[int, int]] = []
    for a, b in _lines_in(text, s, e):
        if b - a <= max_chars:
            units.append((a, b))
        else:
            units.extend(split_sentences(text, a, b))
    if not units:
        return []

    chunks: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    for a, b in units:
        if cur is None:
            cur = (a, b)
        elif b - cur[0] <= max_chars:
            cur = (cur[0], b)
        else:
            chunks.append(cur)
            cur = (a, b)
    if cur is not None:
        chunks.append(cur)
    return chunks


def _lines_in(text: str, s: int, e: int) -> list[tuple[int, int]]:
    out = []
    for m in re.finditer(r"[^\n]+", text[s:e]):
        a, b = _trim(text, s + m.start(), s + m.end())
        if b > a:
            out.append((a, b))
    return out


def _lines(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


# --------------------------------------------------------------------------- interviews

_TS = r"[\[［(（【]?\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?:[.,]\d+)?[\]］)）】]?"
# after the label only a bracketed timestamp counts (``【受访者】[00:01:07] …``; ``答：10:30开会`` is speech)
_TS_BRACKETED = r"[\[［(（【]\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?:[.,]\d+)?[\]］)）】]"
_TURN_RE = re.compile(
    rf"""^(?P<ts>{_TS}\s*)?
    (?:
        【(?P<b>[^】\n]{{1,20}})】\s*[：:]?
      | (?P<n>[^\s：:，,。！？；、【】\[\]（）()""'“”]{{1,14}}(?:\s*[（(][^）)\n]{{1,40}}[）)])?)\s*[：:]
    )[ \t]*
    (?P<ts2>{_TS_BRACKETED}[ \t]*)?""",
    re.X,
)
_TS_ONLY_RE = re.compile(rf"^{_TS}\s*")
_INTERVIEWER = {
    "问", "Q", "q", "访谈者", "访谈人", "访谈员", "访问者", "访问员", "访员", "采访者", "采访人", "主持人", "主持",
    "记者", "调研员", "调研者", "调研组", "调研人", "研究者", "研究员", "提问", "提问者", "I", "Interviewer",
    "interviewer", "INT", "访", "问者",
}
_RESPONDENT = {
    "答", "A", "a", "受访者", "受访人", "被访者", "被访人", "访谈对象", "回答", "答者", "R", "Respondent",
    "respondent", "被采访者", "受", "答复",
}
_HEADER_KEYS = {
    "访谈编号", "编号", "时间", "日期", "地点", "访谈时间", "访谈日期", "访谈地点", "访谈对象", "对象", "受访对象",
    "受访人", "受访者", "受访者信息", "访谈人", "访谈员", "访谈者", "调研员", "记录人", "记录", "记录员", "整理人", "整理",
    "时长", "访谈时长", "方式", "访谈方式", "备注", "案例", "案例编号", "主题", "访谈主题", "标题", "单位", "职务",
    "身份", "录音", "录音文件", "转录", "转录人", "说明", "性别", "年龄", "文件编号", "资料编号", "访谈形式",
    "访谈提纲", "所属案例", "案例名称", "地区", "县", "镇", "村", "部门", "在场人员", "参与人员", "语言",
}
_NOT_SPEAKER = _HEADER_KEYS | {
    "比如", "比如说", "例如", "第一", "第二", "第三", "首先", "其次", "最后", "注", "问题", "原因", "结果", "目标",
    "一是", "二是", "三是", "总之", "所以", "但是", "因为", "我觉得", "也就是说", "具体来说", "就是说", "其中",
    "另外", "还有", "包括", "要求", "规定", "意思是", "原话", "他说", "她说", "我说", "群众说", "领导说",
}
_NAMEISH_RE = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,2}某{1,2}[\u4e00-\u9fffA-Z0-9]{0,2}|[A-Z]|[老小][\u4e00-\u9fff]|"
    r"[\u4e00-\u9fff]{1,5}(?:主任|书记|局长|科长|镇长|县长|村长|乡长|站长|所长|干部|组长|老师|经理|委员|代表|处长|部长|会计|专干|支书|队长|股长|副县长|副镇长|网格员|村医|群众|村民|老板))$"
)
_SUFFIX_RE = re.compile(r"(?:[0-9]{1,3}|[A-Za-z]|[甲乙丙丁])$")


def _build_probe_table() -> dict[int, str]:
    """Traditional -> simplified for the characters of markers and labels (1:1, length-preserving)."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a declared dependency
        return {}
    chars = set("".join(_INTERVIEWER | _RESPONDENT | _NOT_SPEAKER))
    chars |= set("编章节条款附件此印发代盖号某主任书记局长科镇县村乡站所干部组老师经理委员代表处会计专支队股网格医群众民板访谈调研究录音转说明备注时间日期地点")
    table: dict[int, str] = {}
    for conf in ("s2t", "s2tw", "s2hk"):
        cc = opencc.OpenCC(conf)
        for c in chars:
            t = cc.convert(c)
            if len(t) == 1 and t != c:
                table[ord(t)] = c
    return table


_PROBE: dict[int, str] | None = None


_PROBE_RE: re.Pattern[str] | None = None


def _probe(text: str) -> str:
    """``text`` with traditional marker characters simplified (same length, same offsets)."""
    global _PROBE, _PROBE_RE
    if _PROBE is None:
        _PROBE = _build_probe_table()
        _PROBE_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in _PROBE) + "]") if _PROBE else None
    if _PROBE_RE is None or not _PROBE_RE.search(text):
        return text  # simplified text: nothing to map
    table = _PROBE
    return _PROBE_RE.sub(lambda m: table[ord(m.group())], text)


def _label_base(label: str) -> str:
    base = re.sub(r"\s*[（(].*$", "", label).strip()
    if len(base) > 1 and base not in _INTERVIEWER | _RESPONDENT:
        stripped = _SUFFIX_RE.sub("", base)
        if stripped in _INTERVIEWER | _RESPONDENT:
            return stripped
    return base


def _turn_match(line: str) -> tuple[re.Match[str], str, bool] | None:
    m = _TURN_RE.match(line)
    if not m:
        return None
    if m.group("b") is not None:
        return m, m.group("b").strip(), True
    return m, m.group("n").strip(), False


def _interviewer_names(header_text: str) -> set[str]:
    names: set[str] = set()
    for m in re.finditer(r"(?m)^(?:访谈人|访谈员|访谈者|调研员|调研人|采访人|访问员|记录人)\s*[：:]\s*(.+)$", header_text):
        value = m.group(1)
        names.update(re.findall(r"[\u4e00-\u9fff]某{1,2}|[老小][\u4e00-\u9fff](?=[、，,;；\s/）)]|$)", value))
        for part in re.split(r"[、，,;；\s/]+", value):
            part = re.sub(r"[（(].*$", "", part).strip()
            part = re.sub(r"^(?:课题组|调研组|研究组)?(?:成员)?", "", part)
            if part:
                names.add(part)
    return names


_HEADER_KEY_SUFFIX_RE = re.compile(r"(?:编号|时间|日期|时长|地点|地址|身份|对象|人员|单位|职务|方式|说明|备注|信息|背景|主题|来源|记录|整理|转录|录音)$")


def _is_header_key(base: str) -> bool:
    return base in _HEADER_KEYS or (len(base) <= 8 and bool(_HEADER_KEY_SUFFIX_RE.search(base)))


_PERSON_DESC_RE = re.compile(r"[，,、（(]\s*[男女]\s*[，,、；;）)]|\d{2}\s*岁|职务|身份|年龄|籍贯|工作\d+年")


def _is_header_line(line: str) -> bool:
    m = _turn_match(line)
    if m and not m[2]:
        base = _label_base(m[1])
        if _is_header_key(base):
            if base in _INTERVIEWER | _RESPONDENT:  # 访谈者：李某 (header) vs 访谈者：您好…。 (a turn)
                value = line[m[0].end() :].strip()
                if not value or re.search(r"[？?！!]", value):
                    return False
                if len(value) <= 40 and "。" not in value:
                    return True
                # a longer description of a person (受访者：王某，男，52岁，镇扶贫办主任，…) in
                # the third person, not an answer (受访者：我今年52岁…)
                return bool(_PERSON_DESC_RE.search(value)) and not re.match(r"(?:我|嗯|对|好|是|哦|啊|唉|哎)", value)
            return True
    return bool(re.fullmatch(r"[-=*_—#~]{3,}", line))


def _is_title_line(line: str) -> bool:
    return len(line) <= 40 and not _turn_match(line) and not re.search(r"[。？！?!，,]", line)


def _header_end(text: str, lines: list[tuple[int, int]]) -> int:
    """Number of leading lines that form the transcript's header block.

    The header is the first block of lines (up to the first blank line) when it holds a
    header field (``访谈编号：``, ``时间：``, ``地点：`` ...) and no sentence; otherwise the
    leading run of header-field lines; otherwise a short title line, if any.
    """
    block_end = len(lines)
    for i in range(1, len(lines)):
        if "\n\n" in text[lines[i - 1][1] : lines[i][0] + 1]:
            block_end = i
            break
    first_block = [text[s:e] for s, e in lines[:block_end]]
    if (
        block_end <= 20
        and block_end < len(lines)
        and any(_is_header_line(x) for x in first_block)
        and all(_is_header_line(x) or _is_title_line(x) for x in first_block)
    ):
        return block_end
    last = -1
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        if _TS_ONLY_RE.match(line):
            break
        if _is_header_line(line):  # a header field of any length (受访者身份：… over 80 characters)
            last = i
            continue
        if len(line) > 80 or re.search(r"[。？！?!]", line):
            break
    if last >= 0:
        return last + 1
    if lines:
        first = text[lines[0][0] : lines[0][1]]
        if _is_title_line(first):
            return 1  # a title line
    return 0


_OPEN, _CLOSE = "（([［【", "）)]］】"


def _is_note_line(line: str) -> bool:
    """A transcriber's note alone on its line: the whole line is one bracketed remark.

    ``（受访者接了一个电话，约三分钟）``, ``（访谈结束）``, ``[第二部分]``, ``[听不清]`` -- but not
    ``（笑）对，就是这样。`` (speech after a remark) nor ``【主持人】`` (a speaker label, which
    the turn pattern takes first).
    """
    if not 2 < len(line) <= 100 or line[0] not in _OPEN or line[-1] not in _CLOSE:
        return False
    if line[0] == "【" and _TURN_RE.match(line):
        return False
    depth = 0
    for i, ch in enumerate(line):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth == 0 and i < len(line) - 1:
                return False  # the first remark closes before the line ends
    return depth == 0


def segment_interview(text: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> list[Passage]:
    """Speaker turns of a transcript's canonical ``text`` (see the module docstring).

    Traditional-character transcripts (``問：``, ``訪談者：``) are recognised too.
    """
    probe = _probe(text)
    if probe is text:
        return [p for p, _ in _segment_interview(text, max_chars)]
    out = []
    for p, span in _segment_interview(probe, max_chars):
        speaker = text[span[0] : span[1]] if span else ""
        out.append(replace(p, text=text[p.start : p.end], speaker=speaker))
    return out


def _segment_interview(text: str, max_chars: int) -> list[tuple[Passage, tuple[int, int] | None]]:
    lines = _lines(text)
    out: list[tuple[Passage, tuple[int, int] | None]] = []
    h = _header_end(text, lines)
    if h:
        s, e = lines[0][0], lines[h - 1][1]
        out.append((Passage(s, e, text[s:e], section=HEADER_SECTION, role="header"), None))
    body = lines[h:]
    interviewer_names = _interviewer_names(text[lines[0][0] : lines[h - 1][1]]) if h else set()
    # which labels are speakers: known roles, bracketed, with a role in brackets,
    # name-like, or any short label used at the start of two or more lines
    matches = [(_turn_match(text[s:e]), s, e) for s, e in body]
    counts = Counter(m[1] for m, _, _ in matches if m)

    def is_speaker(label: str, bracketed: bool) -> bool:
        base = _label_base(label)
        if not base or ((base in _NOT_SPEAKER or _is_header_key(base)) and base not in _INTERVIEWER | _RESPONDENT) or re.fullmatch(r"[\d.:：\s]+", base) or base.startswith("http"):
            return False
        if bracketed or base in _INTERVIEWER or base in _RESPONDENT:
            return True
        if re.search(r"[（(]", label) or _NAMEISH_RE.match(base) or base in interviewer_names:
            return True
        return counts[label] >= 2 and len(base) <= 6 and not re.search(r"[^\u4e00-\u9fffA-Za-z0-9]", base)

    # in document order: ["turn", start, end, speaker, label span, k] for a run of lines of
    # the k-th turn, ["note", start, end] for a transcriber's note on its own line
    items: list[list] = []
    pre: list[tuple[int, int]] = []
    k = 0
    for m, s, e in matches:
        if _is_note_line(text[s:e]):
            if k:
                items.append(["note", s, e])
            else:
                pre.append((s, e))
        elif m and is_speaker(m[1], m[2]):
            g = "b" if m[2] else "n"
            a0, b0 = _trim(text, s + m[0].start(g), s + m[0].end(g))
            k += 1
            items.append(["turn", s + m[0].end(), e, m[1], (a0, b0), k])
        elif k:
            if items[-1][0] == "turn":
                items[-1][2] = e  # a further paragraph of the turn
            else:  # the turn goes on after a note: a new passage of the same turn
                last = next(x for x in reversed(items) if x[0] == "turn")
                items.append(["turn", s, e, last[3], last[4], last[5]])
        else:
            pre.append((s, e))
    if pre and k:  # notes before the first turn ("[第一部分]", "（录音开始）"): metadata, not speech
        for a, b in _pack(text, pre[0][0], pre[-1][1], max_chars):
            out.append((Passage(a, b, text[a:b], role="header"), None))
    elif pre:  # no speaker labels at all (a summary, a narrative): paragraphs, to be coded
        for s0, e0 in pre:
            if _is_note_line(text[s0:e0]):
                out.append((Passage(s0, e0, text[s0:e0], role="note"), None))
                continue
            for a, b in _pack(text, s0, e0, max_chars):
                out.append((Passage(a, b, text[a:b]), None))
    numbers: dict[int, int] = {}
    for item in items:
        if item[0] == "note":
            out.append((Passage(item[1], item[2], text[item[1] : item[2]], role="note"), None))
            continue
        _, s, e, speaker, span, kk = item
        chunks = _pack(text, s, e, max_chars)
        if not chunks:
            continue
        n = numbers.setdefault(kk, len(numbers) + 1)
        base = _label_base(speaker)
        name = re.sub(r"\s*[（(].*$", "", speaker).strip()
        paren = speaker[len(name) :]
        role = (
            "interviewer"
            if base in _INTERVIEWER or name in interviewer_names or re.search(r"访谈|采访|访问|课题组|调研|研究|主持|记者", paren)
            else "respondent"
        )
        for a, b in chunks:
            out.append((Passage(a, b, text[a:b], speaker=speaker, role=role, turn=n), span))
    return out


# --------------------------------------------------------------------------- policy documents

_CN = "零一二三四五六七八九十百千〇○两"
_NUM = f"{_CN}0-9"
_PART_RE = re.compile(rf"^(第[{_NUM}]+[编章节編節])(?:\s*(.*))?$")
_ARTICLE_RE = re.compile(rf"^第[{_NUM}]+[条條](?:之[{_CN}0-9]+)?(?=[\s：:]|$)")
_LIST_RES = (
    re.compile(rf"^[{_CN}]+、"),
    re.compile(rf"^[（(][{_CN}]+[）)]"),
    re.compile(r"^\d{1,3}[.．、](?!\d)"),
    re.compile(r"^[（(]\d{1,3}[）)]"),
)
_ATTACH_RE = re.compile(r"^附\s*[件件]\s*[0-9一二三四五六七八九十]*\s*(?:[：:].*)?$")
_DATE_RE = re.compile(
    rf"^[（(]?[0-9〇○零一二三四五六七八九十]{{4}}\s*年\s*[{_NUM}]{{1,2}}\s*月\s*[{_NUM}]{{1,3}}\s*日[）)]?\s*(?:印发|发布|签发|发)?$"
)
_ORG_RE = re.compile(
    r"^[\u4e00-\u9fffA-Za-z0-9、（）()“”\"《》· ]{2,40}(?:政府|办公厅|办公室|委员会|常务委员会|局|部|院|厅|委|中心|署|会|小组|公司|总局|党委|人民政府|法院|检察院)"
    r"(?:\s*[（(][^（）()]{2,20}(?:代章|盖章|印章|代印)[）)])?$"
)
# lines of the closing block of minutes and circulars (版记): attendance, minute-taker,
# distribution, printing office -- metadata, never content of the last item
_CLOSING_RE = re.compile(
    r"^(?:出席|列席|缺席|请假|出席人员|列席人员|参会人员|参加人员|记录|记录人|分送|抄送|抄报|报送|发送|印发|签发|校对|承办|联系人|联系电话)"
    r"(?:单位|人员)?\s*[：:]"
)
_ENTRY_DATE_RE = re.compile(
    rf"^(?:[0-9〇○零一二三四五六七八九十]{{4}}\s*年\s*[{_NUM}]{{1,2}}\s*月\s*[{_NUM}]{{1,3}}\s*日|\d{{4}}[-./]\d{{1,2}}[-./]\d{{1,2}})"
    r"(?:\s*[（(]?(?:星期|周)[一二三四五六日天][）)]?)?(?:\s*(?:上午|下午|晚上|早上|中午|凌晨|傍晚))?(?:\s*\d{1,2}[:：]\d{2}(?:\s*[-—~至]\s*\d{1,2}[:：]\d{2})?)?$"
)
_PUBLIC_RE = re.compile(r"^[（(]此件[^）)]{0,12}[）)]$")
_SEAL_RE = re.compile(r"^[（(][^（）()]{2,30}(?:代章|盖章|印章)[）)]$")
_DOCNUM_IN_LINE = re.compile(r"〔\s*\d{4}\s*〕\s*\d+\s*号|\[\s*\d{4}\s*\]\s*\d+\s*号|令第[0-9一二三四五六七八九十百]+号")


def _is_org_date_line(line: str) -> bool:
    """``N县人民政府办公室    2019年3月26日印发``: issuing office and date on one line (版记)."""
    m = re.match(r"^(\S.{1,40}?)\s{2,}(\S.*)$", line)
    return bool(m and _ORG_RE.match(m.group(1)) and _DATE_RE.match(m.group(2)))


def _is_signature_line(line: str) -> bool:
    return bool(_DATE_RE.match(line) or _PUBLIC_RE.match(line) or _SEAL_RE.match(line) or (_ORG_RE.match(line) and len(line) <= 40))


def _front_matter_end(text: str, lines: list[tuple[int, int]], dated_entries: bool = False) -> int:
    for i, (s, e) in enumerate(lines[:15]):
        line = text[s:e]
        if (
            (dated_entries and _ENTRY_DATE_RE.match(line))
            or _PART_RE.match(line)
            or _ARTICLE_RE.match(line)
            or any(r.match(line) for r in _LIST_RES)
            or "。" in line
            or line.endswith(("：", ":"))
            or len(line) > 80
        ):
            return i
    return 1 if lines else 0


def segment_policy(text: str, *, max_chars: int = DEFAULT_MAX_CHARS, dated_entries: bool = False) -> list[Passage]:
    """Articles and paragraphs of a policy document's canonical ``text``, with section paths.

    With ``dated_entries`` (field notes) a line that is only a date (``2022年7月14日``,
    ``2022-07-14 上午``) opens a section named by it instead of being a signature.
    """
    lines = _lines(text)
    out: list[Passage] = []
    h = _front_matter_end(text, lines, dated_entries)
    if h:
        s, e = lines[0][0], lines[h - 1][1]
        out.append(Passage(s, e, text[s:e], section=HEADER_SECTION, role="header"))
    body = lines[h:]
    # signature blocks: runs of organ-name / date / (此件…) lines that contain a date
    sig = [False] * len(body)
    i = len(body) if dated_entries else 0
    while i < len(body):
        line = text[body[i][0] : body[i][1]]
        if (_DATE_RE.match(line) and len(line) <= 24) or _is_org_date_line(line):
            j = i
            while j > 0 and _is_signature_line(text[body[j - 1][0] : body[j - 1][1]]) and not _DATE_RE.match(
                text[body[j - 1][0] : body[j - 1][1]]
            ) and i - j < 4:
                j -= 1
            k = i + 1
            while k < len(body) and _PUBLIC_RE.match(text[body[k][0] : body[k][1]]):
                k += 1
            for x in range(j, k):
                sig[x] = True
            i = k
            continue
        i += 1

    path: list[tuple[int, str]] = []  # (level, label)
    open_unit: list[int] | None = None  # [start, end, ...] of the current article / paragraph
    open_section = ""

    def section() -> str:
        return " > ".join(label for _, label in path)

    def set_level(level: int, label: str) -> None:
        while path and path[-1][0] >= level:
            path.pop()
        path.append((level, label))

    def flush() -> None:
        nonlocal open_unit
        if open_unit is not None:
            for a, b in _pack(text, open_unit[0], open_unit[1], max_chars):
                out.append(Passage(a, b, text[a:b], section=open_section))
            open_unit = None

    idx = 0
    while idx < len(body):
        s, e = body[idx]
        line = text[s:e]
        if sig[idx]:
            flush()
            j = idx
            while j + 1 < len(body) and sig[j + 1]:
                j += 1
            out.append(Passage(s, body[j][1], text[s : body[j][1]], section=SIGNATURE_SECTION, role="header"))
            idx = j + 1
            continue
        if dated_entries and _ENTRY_DATE_RE.match(line):
            flush()
            path[:] = [(-1, line)]
            idx += 1
            continue
        m_close = _CLOSING_RE.match(line)
        if m_close and len(line) <= 200 and "。" not in line[:-1]:
            # 出席：… 记录：… 分送：… after the last item: one header passage per field
            flush()
            if not line.startswith("联系"):  # contact lines also stand inside a notice's items
                path.clear()
            out.append(Passage(s, e, line, section=SIGNATURE_SECTION, role="header"))
            idx += 1
            continue
        m_part = _PART_RE.match(line)
        if m_part and len(line) <= 40 and "。" not in line:
            flush()
            level = {"编": 0, "編": 0, "章": 1, "节": 2, "節": 2}[m_part.group(1)[-1]]
            set_level(level, m_part.group(1))
            idx += 1
            continue
        if _ATTACH_RE.match(line) and len(line) > 6:
            # 附件：1. … 2. … listed before the signature: one passage of its own
            flush()
            j = idx
            while j + 1 < len(body) and not sig[j + 1] and re.match(r"^\d{1,2}\s*[.．、]", text[body[j + 1][0] : body[j + 1][1]]) and body[j + 1][1] - body[j + 1][0] <= 80:
                j += 1
            open_unit, open_section = [s, body[j][1]], "附件"  # the list of attachments, not the last item
            flush()
            idx = j + 1
            continue
        if _ATTACH_RE.match(line):
            flush()
            path[:] = [(-1, re.split(r"[：:]", line)[0].replace(" ", ""))]
            if len(line) > 6:  # 附件1：标题 -> the title is a passage of the attachment
                open_unit, open_section = [s, e], section()
                flush()
            idx += 1
            continue
        m_art = _ARTICLE_RE.match(line)
        if m_art:
            flush()
            while path and path[-1][0] >= 3:
                path.pop()
            open_section = " > ".join([label for _, label in path] + [m_art.group()])
            open_unit = [s, e]
            idx += 1
            continue
        if open_unit is not None and _ARTICLE_RE.match(text[open_unit[0] : open_unit[0] + 12]):
            open_unit[1] = e  # 款 and 项 of the open article
            idx += 1
            continue
        flush()
        for level, rx in enumerate(_LIST_RES, start=4):
            m_list = rx.match(line)
            if m_list:
                set_level(level, m_list.group())
                title = line[m_list.end() :].strip()
                is_heading = not re.search(r"[。！？；;]", title) or (title.endswith("。") and "。" not in title[:-1] and len(title) <= 10)
                nxt = text[body[idx + 1][0] : body[idx + 1][1]] if idx + 1 < len(body) and not sig[idx + 1] else ""
                sibling = not nxt or bool(rx.match(nxt))  # a list item among siblings, not a heading
                if is_heading and len(line) <= 40 and not sibling:
                    path[-1] = (level, line)  # a heading line: its words name the section
                    idx += 1
                    break
                open_unit, open_section = [s, e], section()
                idx += 1
                break
        else:
            open_unit, open_section = [s, e], section()
            idx += 1
    flush()
    return out


# --------------------------------------------------------------------------- dispatch and ids


def segment_document(text: str, doc_type: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> list[Passage]:
    """Passages of one document: interviews by speaker turn, everything else by article/paragraph."""
    if max_chars < 20:
        raise ValueError("max_chars must be at least 20")
    if doc_type == "interview":
        return segment_interview(text, max_chars=max_chars)
    return segment_policy(text, max_chars=max_chars, dated_entries=doc_type == "fieldnote")


def passage_hash(text: str) -> str:
    """First 8 hex digits of the SHA-1 of the passage text (UTF-8)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def assign_passage_ids(doc_id: str, passages: Iterable[Passage]) -> list[Passage]:
    """Give each passage its id ``<doc_id>:<hash>``, ``~2``, ``~3`` for repeats, in document order."""
    seen: Counter[str] = Counter()
    out = []
    for p in passages:
        base = f"{doc_id}:{passage_hash(p.text)}"
        seen[base] += 1
        pid = base if seen[base] == 1 else f"{base}~{seen[base]}"
        out.append(Passage(p.start, p.end, p.text, p.section, p.speaker, p.role, p.turn, pid))
    return out
