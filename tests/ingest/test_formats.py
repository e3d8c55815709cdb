"""Every encoding and format gives the same passages as the UTF-8 original."""

from __future__ import annotations

import codecs
from pathlib import Path

import opencc
import pytest

from textqca.ingest import DocumentSource, ingest_document

KEYS = ("passage_id", "section", "speaker", "role", "turn", "start", "end", "text")
NO_OFFSETS = ("passage_id", "section", "speaker", "role", "turn", "text")


def _ingest(path: Path, doc_type: str, **kw) -> tuple[dict, list[dict], str]:
    return ingest_document(DocumentSource("D1", "C1", doc_type, path), **kw)


def _view(rows: list[dict], keys=KEYS) -> list[tuple]:
    return [tuple(r[k] for k in keys) for r in rows]


@pytest.fixture(scope="module")
def samples(shared_dir: Path) -> dict[str, tuple[str, str]]:
    """(doc_type, text) of real Chinese documents: a regulation with chapters and articles,
    a State Council notice with 一、（一） numbering and signature, and a transcript."""
    policy = (shared_dir / "real-policy" / "011_weifang-12345-zhengwu-fuwu-bianmin-rexian-tiaoli.txt").read_text(encoding="utf-8")
    notice = (shared_dir / "real-policy" / "049_zhengwu-xinmeiti-youxu-fazhan-yijian.txt").read_text(encoding="utf-8")
    interview = (
        "访谈编号：LX-INT09\n访谈时间：2020年9月14日 上午9:30-11:10\n访谈地点：L县农村信用合作联社三楼小会议室\n"
        "受访者身份：L县农村信用合作联社信贷管理部副经理（刘某）\n访谈人：课题组成员二人（记录：周某）\n\n"
        "问：刘经理您好，请您先介绍一下扶贫小额信贷在县里是怎么开展起来的？\n"
        "答：2016年县里出了实施方案，县长任领导小组组长，我们联社是承贷主体。一开始大家都有顾虑，"
        "贫困户没有抵押，万一还不上怎么办？后来县财政拿出两千万元设了风险补偿金，损失按七三分担，我们心里才有底。\n"
        "问：信息核对是怎么做的？\n"
        "答：扶贫办给我们建档立卡的名单，我们客户经理和驻村工作队一起入户，看人品、看劳力、看产业、看还款意愿，"
        "四看之后再评级授信。数据我们每个月和扶贫办对一次，有出入的当场核实。\n"
        "[00:12:31] 问：考核对你们有没有影响？\n"
        "[00:12:40] 答：有。县里把小额信贷纳入年度脱贫攻坚考核，财政存款也跟投放挂钩，放得好的网点，财政存款就多放一些。\n"
    )
    return {"policy": ("policy", policy), "notice": ("policy", notice), "interview": ("interview", interview)}


@pytest.mark.parametrize("name", ["policy", "notice", "interview"])
@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_encodings_give_the_same_passages(tmp_path, samples, name, encoding):
    doc_type, text = samples[name]
    ref = tmp_path / "utf8.txt"
    ref.write_bytes(text.encode("utf-8"))
    other = tmp_path / f"{encoding}.txt"
    other.write_bytes(text.encode(encoding))
    if encoding in ("utf-32",):
        other.write_bytes(codecs.BOM_UTF32_LE + text.encode("utf-32-le"))
    d_ref, rows_ref, canon_ref = _ingest(ref, doc_type)
    d_other, rows_other, canon_other = _ingest(other, doc_type)
    assert canon_other == canon_ref
    assert _view(rows_other) == _view(rows_ref)
    assert d_other["encoding"] != "" and d_other["sha256"] == d_ref["sha256"]
    if encoding.startswith("gb"):
        assert d_other["encoding"] == "gb18030"


@pytest.mark.parametrize("name", ["policy", "interview"])
def test_big5_traditional_text(tmp_path, samples, name):
    doc_type, text = samples[name]
    trad = opencc.OpenCC("s2tw").convert(text)
    (tmp_path / "u").mkdir()
    ref = tmp_path / "u" / "utf8.txt"
    ref.write_text(trad, encoding="utf-8")
    big5 = tmp_path / "big5.txt"
    big5.write_bytes(trad.encode("big5"))
    d, rows, canon = _ingest(big5, doc_type)
    assert d["encoding"] == "big5hkscs"
    assert _view(rows) == _view(_ingest(ref, doc_type)[1])
    # optional conversion to simplified: Chinese back to simplified, offsets still exact
    d2, rows2, canon2 = _ingest(big5, doc_type, to_simplified=True)
    assert "t2s" in d2["normalisation"]
    assert all(canon2[r["start"] : r["end"]] == r["text"] for r in rows2)
    simp = opencc.OpenCC("t2s").convert(canon)
    assert canon2 == simp and len(rows2) == len(rows)


@pytest.mark.parametrize("name", ["policy", "notice", "interview"])
def test_docx_gives_the_same_passages(tmp_path, samples, name, write_docx):
    doc_type, text = samples[name]
    ref = tmp_path / "ref.txt"
    ref.write_text(text, encoding="utf-8")
    docx_path = tmp_path / "doc.docx"
    write_docx(text.replace("\r\n", "\n").rstrip("\n").split("\n"), docx_path)
    d, rows, canon = _ingest(docx_path, doc_type)
    d_ref, rows_ref, canon_ref = _ingest(ref, doc_type)
    assert d["encoding"] == "docx"
    assert canon == canon_ref
    assert _view(rows) == _view(rows_ref)


@pytest.mark.parametrize("name", ["policy", "notice", "interview"])
def test_text_pdf_gives_the_same_passages(tmp_path, samples, name, pdf_font, write_pdf):
    doc_type, text = samples[name]
    ref = tmp_path / "ref.txt"
    ref.write_text(text, encoding="utf-8")
    paragraphs = [s.strip().replace("\u3000", " ") for s in text.split("\n") if s.strip()]
    pdf_path = tmp_path / "doc.pdf"
    write_pdf(paragraphs, pdf_path, font=pdf_font, indent=doc_type == "policy")
    d, rows, canon = _ingest(pdf_path, doc_type)
    _, rows_ref, _ = _ingest(ref, doc_type)
    assert d["encoding"] == "pdf"
    # a PDF has no blank lines between paragraphs, so offsets differ; passages do not
    assert _view(rows, NO_OFFSETS) == _view(rows_ref, NO_OFFSETS)
    assert "- 1 -" not in canon and all(canon[r["start"] : r["end"]] == r["text"] for r in rows)


def test_markdown_markup_is_removed(tmp_path, samples):
    doc_type, text = samples["policy"]
    lines = text.split("\n")
    md = "\n".join(("# " + s if s.startswith("第") and "章" in s[:5] else s) for s in lines)
    md = "<!-- INFO END -->\n" + md.replace("热线", "**热线**", 3) + "\n\n| 项目 | 时限 |\n|---|---|\n| 受理 | 1个工作日 |\n"
    (tmp_path / "a.md").write_text(md, encoding="utf-8")
    (tmp_path / "ref.txt").write_text(text + "\n项目\t时限\n受理\t1个工作日\n", encoding="utf-8")
    _, rows, canon = _ingest(tmp_path / "a.md", doc_type)
    assert "**" not in canon and "#" not in canon and "INFO END" not in canon and "---" not in canon
    assert _view(rows) == _view(_ingest(tmp_path / "ref.txt", doc_type)[1])
