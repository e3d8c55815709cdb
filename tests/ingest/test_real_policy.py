"""The 66 real policy documents of ../shared/real-policy ingest faithfully."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from textqca.ingest import DocumentSource, ingest_corpus, ingest_document

_ARTICLE_HEADING = re.compile(r"(?m)^[ \t\u3000]*(第[零一二三四五六七八九十百千〇○两0-9]+条(?:之[一二三四五六七八九十]+)?)(?=[ \t\u3000])")


@pytest.fixture(scope="module")
def real_files(shared_dir: Path) -> list[Path]:
    files = sorted((shared_dir / "real-policy").glob("0*.txt"))
    assert len(files) == 66
    return files


@pytest.fixture(scope="module")
def ingested(real_files: list[Path]) -> dict[str, tuple[dict, list[dict], str]]:
    return {f.name[:3]: ingest_document(DocumentSource(f"P{f.name[:3]}", "REAL", "policy", f)) for f in real_files}


@pytest.fixture(scope="module")
def sources(shared_dir: Path) -> dict[str, tuple[str, str]]:
    """title and 文号 per file number, from SOURCES.md."""
    rows = {}
    for line in (shared_dir / "real-policy" / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| ") and "`0" in line:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows[cells[1].strip("`")[:3]] = (cells[2], cells[4])
    return rows


def test_all_66_ingest_with_valid_offsets(ingested):
    assert len(ingested) == 66
    for num, (doc, rows, canonical) in ingested.items():
        assert rows, num
        assert doc["n_chars"] == len(canonical) and doc["encoding"] == "utf-8"
        ids = [r["passage_id"] for r in rows]
        assert len(set(ids)) == len(ids), num
        last_end = 0
        for r in rows:
            assert canonical[r["start"] : r["end"]] == r["text"], (num, r["passage_id"])
            assert r["text"] == r["text"].strip() and r["text"]
            assert r["start"] >= last_end, (num, "passages overlap or are out of order")
            last_end = r["end"]


def test_article_count_equals_article_headings(real_files, ingested):
    with_articles = 0
    for f in real_files:
        expected = _ARTICLE_HEADING.findall(f.read_text(encoding="utf-8"))
        _, rows, _ = ingested[f.name[:3]]
        found = []
        for r in rows:
            m = re.search(r"(第[^ >]+条(?:之\S+)?)$", r["section"])
            if m and r["text"].startswith(m.group(1)):
                found.append(m.group(1))
        assert found == expected, f.name
        with_articles += bool(expected)
    assert with_articles >= 30  # the laws and regulations of the set


def test_doc_numbers_and_titles_where_present(real_files, ingested, sources):
    checked_numbers = checked_titles = 0
    for f in real_files:
        num = f.name[:3]
        doc, _, _ = ingested[num]
        title, doc_number = sources[num]
        raw_compact = re.sub(r"\s+", "", f.read_text(encoding="utf-8"))
        if re.fullmatch(r"[^\s（—]+〔\d{4}〕\d+号|国务院令第\d+号", doc_number):
            assert doc["doc_number"] == doc_number, f.name
            checked_numbers += 1
        else:
            assert doc["doc_number"] == "", f.name
        plain_title = re.sub(r"（(?:标题中|源表).*$", "", title)
        if plain_title in raw_compact:
            assert doc["title"].replace(" ", "") == plain_title.replace(" ", ""), f.name
            checked_titles += 1
        else:  # no title in the text (017, 019, 026, 059, 065) or only 政府工作报告
            assert doc["title"] == "" or doc["title"] in plain_title, f.name
    assert checked_numbers == 25 and checked_titles >= 40


def test_wikisource_zero_width_and_mid_word_breaks_gone(ingested):
    for num in ("015", "018", "059", "060", "061"):
        _, rows, canonical = ingested[num]
        assert not re.search("[\u200b\u200c\u200d\u2060\ufeff]", canonical), num
    canonical_060 = ingested["060"][2]
    for joined in ("交出一份人民满意、世界瞩目", "完善资本市场基础制度。", "台湾同胞和海外侨胞", "全员劳动生产率增长",
                   "重要生态屏障建设，", "今年预期目标设定为6%以上", "阶段性稳岗政策", "便利新产品市场准入",
                   "稳定加工贸易", "完善全民健身公共服务体系。"):
        assert joined in canonical_060
    assert canonical_060.startswith("政府工作报告\n")
    assert "推动区域全面经济伙伴关系协定（RCEP）生效实施" in ingested["018"][2]
    assert "积极推动加入全面与进步跨太平洋伙伴关系协定（CPTPP）等" in ingested["018"][2]
    assert ingested["059"][2].count("细颗粒物（PM2.5）浓度继续下降") == 2
    assert "广义货币M2和社会融资规模" in ingested["059"][2]
    # paragraphs stay paragraphs: the joins did not glue the report into one line
    assert canonical_060.count("\n") > 100


def test_webpage_menu_lines_of_020_are_not_passages(real_files, ingested):
    _, rows, canonical = ingested["020"]
    menu = {"分享:", "首页", ">", "政府信息公开", "省政府工作报告", "时间：", "2026-02-02 09:20", "来源：", "扫一扫在手机打开当前页"}
    raw_lines = {s.strip() for s in real_files[19].read_text(encoding="utf-8").splitlines()}
    assert menu <= raw_lines  # they really are in the file
    for r in rows:
        assert not menu & set(r["text"].split("\n")), r["text"][:40]
    assert "扫一扫" not in canonical and "\n>\n" not in canonical
    # the report itself is all there
    assert rows[1]["text"] == "各位代表：" and "各位代表！蓝图鼓舞人心" in rows[-1]["text"]


def test_crlf_files_give_lf_canonical_text(ingested):
    for num in ("001", "002", "003", "029", "066"):
        assert "\r" not in ingested[num][2]


def test_whole_real_corpus_through_ingest_corpus(tmp_path, real_files):
    root = tmp_path / "corpus" / "REAL" / "policy"
    root.mkdir(parents=True)
    for f in real_files[:12]:
        (root / f.name).write_bytes(f.read_bytes())
    result = ingest_corpus(tmp_path / "corpus")
    assert len(result.documents) == 12
    assert set(result.passages["doc_id"]) == {f.stem for f in real_files[:12]}
    for doc_id, g in result.passages.groupby("doc_id"):
        text = result.canonical[doc_id]
        assert all(text[s:e] == t for s, e, t in zip(g["start"], g["end"], g["text"]))


def test_bundled_example_corpus_ingests_with_exact_offsets(repo_dir):
    corpus = repo_dir / "corpus"
    if not any(corpus.glob("*/*/*")):
        pytest.skip("the bundled example corpus is empty")
    result = ingest_corpus(corpus)
    p = result.passages
    assert p["passage_id"].is_unique
    for doc_id, g in p.groupby("doc_id"):
        text = result.canonical[doc_id]
        assert all(text[s:e] == t for s, e, t in zip(g["start"], g["end"], g["text"])), doc_id
    interviews = p[p["doc_type"] == "interview"]
    # every transcript has a header passage and both interviewer and respondent turns
    for doc_id, g in interviews.groupby("doc_id"):
        assert g["role"].iloc[0] == "header", doc_id
        assert {"interviewer", "respondent"} <= set(g["role"]), doc_id
        assert (g["role"] != "").all(), doc_id  # no text outside a turn
