"""Title, issuing body, document number (文号) and date of a policy document's canonical text."""

from __future__ import annotations

import re

__all__ = ["extract_metadata", "DOC_NUMBER_RE"]

DOC_NUMBER_RE = re.compile(
    r"[A-Za-z\u4e00-\u9fff]{1,12}[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*[0-9一二三四五六七八九十百零〇]+\s*号"
    r"|(?:国务院|中华人民共和国[\u4e00-\u9fff]{0,10})令\s*第\s*[0-9一二三四五六七八九十百零〇]+\s*号"
)
_CN_DATE_RE = re.compile(r"([0-9〇○零一二三四五六七八九十]{4})\s*年\s*([0-9一二三四五六七八九十]{1,2})\s*月\s*([0-9一二三四五六七八九十]{1,3})\s*日")
_DIGIT = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_TITLE_WORDS = re.compile(
    r"(通知|意见|办法|条例|规定|决定|规则|方案|报告|决议|公告|通报|批复|答复|细则|纲要|规划|法|函|令|指引|指南|实施意见|工作要点"
    r"|纪要|协议|备忘录|章程|简报|通告|请示)$"
)
_ISSUER_RE = re.compile(r"^([\u4e00-\u9fff、 ]{2,40}?)(?:关于|对)")


def _cn_num(s: str) -> int:
    if s.isdigit():
        return int(s)
    if all(c in _DIGIT for c in s):
        return int("".join(str(_DIGIT[c]) for c in s))
    total, cur = 0, 0
    for c in s:
        if c == "十":
            total += (cur or 1) * 10
            cur = 0
        else:
            cur = _DIGIT.get(c, 0)
    return total + cur


def _iso_date(m: re.Match[str]) -> str:
    y, mo, d = (_cn_num(g) for g in m.groups())
    if 1900 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return ""


def extract_metadata(text: str, header: str = "", signature: str = "") -> dict[str, str]:
    """``title``, ``issuer``, ``doc_number`` and ``date`` found in the document (``""`` if absent).

    ``header`` is the front-matter passage text, ``signature`` the last signature block.
    """
    head = header
    doc_number = ""
    m = DOC_NUMBER_RE.search(head)
    if m:
        doc_number = re.sub(r"\s+", "", m.group()).strip("（()）")
        doc_number = re.sub(r"^中华人民共和国(?=国务院令)", "", doc_number)
    # title: the first group of consecutive front-matter lines that reads as a title
    groups: list[list[str]] = [[]]
    for line in (s.strip() for s in head.split("\n")):
        skip = (
            not line
            or line.startswith(("【", "原文链接", "http", "——", "—", "（", "("))
            or bool(DOC_NUMBER_RE.search(line))
            or bool(_CN_DATE_RE.match(line.lstrip("（(")))
            or line.endswith(("：", ":", "。"))
            or bool(re.search(r"\s文件$", line))
            or bool(re.match(r"^[^：:]{1,8}[：:]", line))  # 甲方：…, 时间：…
            or bool(re.search(r"[〔\[［]\s*(?:19|20)\d{2}\s*[〕\]］]", line))  # 〔2019〕第27期
            or bool(re.search(r"\d{1,2}\s*日$", line))  # 发文机关 + 日期
        )
        if skip:
            groups.append([])
        elif line not in groups[-1]:  # PKULaw repeats the title line
            if groups[-1] and _TITLE_WORDS.search("".join(groups[-1])):
                groups.append([])  # a complete title already: the next line starts another
            groups[-1].append(line)
    titles = [j for j in ("".join(g) for g in groups) if j and _TITLE_WORDS.search(j) and len(j) <= 120]
    # a masthead (N县人民政府专题会议纪要) may precede the real title (关于…的纪要)
    title = next((t for t in titles if "关于" in t), titles[0] if titles else "")
    title = re.sub(r"\s{2,}", " ", title)
    issuer = ""
    mi = _ISSUER_RE.match(title)
    if mi:
        issuer = mi.group(1).strip()
    sig_lines = [s.strip() for s in signature.split("\n") if s.strip()]
    date = ""
    for line in reversed(sig_lines):
        md = _CN_DATE_RE.search(line)
        if md:
            date = _iso_date(md)
            break
    if not issuer:  # 题注: "2021年10月21日 潍坊市第十七届人民代表大会常务委员会第四十八次会议通过"
        mt = re.search(r"日\s*(\S+?)第[一二三四五六七八九十百0-9]+次(?:全体)?会议", head)
        if mt:
            issuer = re.sub(r"第[一二三四五六七八九十百0-9]+届", "", mt.group(1))
    if not issuer and sig_lines and not _CN_DATE_RE.search(sig_lines[0]):
        issuer = sig_lines[0]
    elif not issuer and sig_lines:  # office and date on one line: N县人民政府办公室    2019年3月26日印发
        mo = re.match(r"^(\S.{1,40}?)\s{2,}", sig_lines[0])
        md0 = _CN_DATE_RE.search(sig_lines[0])
        if mo and md0 and mo.end() <= md0.start():
            issuer = mo.group(1)
    if not date and head:
        md = _CN_DATE_RE.search(head)
        if md:
            date = _iso_date(md)
    issuer = re.sub(r"\s*[（(][^（）()]{0,20}(?:代章|盖章|印章)[）)]$", "", issuer)  # 办公室（区民政局代章）
    return {"title": title, "issuer": issuer, "doc_number": doc_number, "date": date}
