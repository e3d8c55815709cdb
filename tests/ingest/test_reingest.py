"""Re-ingestion: ids survive edits elsewhere; removed passages' human codes are flagged, never dropped."""

from __future__ import annotations

import json
from pathlib import Path

from textqca.cli import main
from textqca.ingest import ingest_to_files
from textqca.io import read_table

V1 = """访谈编号：LX-INT01
访谈时间：2020年9月14日 上午
访谈人：课题组成员赵某

问：县里的扶贫小额信贷是怎么开展起来的？
答：2016年县里出了实施方案，县长任领导小组组长，我们联社是承贷主体。
问：信息核对是怎么做的？
答：扶贫办给我们建档立卡的名单，客户经理和驻村工作队一起入户。
问：考核对你们有没有影响？
答：有。小额信贷纳入了年度脱贫攻坚考核。
"""
# one turn edited, one turn deleted, one turn added
V2 = """访谈编号：LX-INT01
访谈时间：2020年9月14日 上午
访谈人：课题组成员赵某

问：县里的扶贫小额信贷是怎么开展起来的？
答：2016年县里出了实施方案，县长任领导小组组长，县农村信用合作联社是承贷主体。
问：考核对你们有没有影响？
答：有。小额信贷纳入了年度脱贫攻坚考核。
问：还有什么要补充的吗？
答：风险补偿金很关键。
"""


def _setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    corpus = tmp_path / "corpus"
    doc = corpus / "LX" / "interview" / "LX_int01.txt"
    doc.parent.mkdir(parents=True)
    doc.write_text(V1, encoding="utf-8")
    return corpus, doc, tmp_path / "results" / "passages.parquet"


def test_reingest_report_and_orphaned_codes(tmp_path):
    corpus, doc, passages = _setup(tmp_path)
    ingest_to_files(corpus=corpus, passages=passages)
    first = read_table(passages)
    by_text = dict(zip(first["text"], first["passage_id"]))
    # a coder codes three respondent turns (annotation format of docs/contracts.md)
    ann_dir = tmp_path / "codebook" / "annotations" / "round1" / "A"
    ann_dir.mkdir(parents=True)
    ann = ann_dir / "LX.csv"
    ann.write_text(
        "passage_id,code,polarity,coder,round,memo\n"
        f"{by_text['2016年县里出了实施方案，县长任领导小组组长，我们联社是承贷主体。']},C01,1,A,1,牵头\n"
        f"{by_text['扶贫办给我们建档立卡的名单，客户经理和驻村工作队一起入户。']},C05,1,A,1,数据\n"
        f"{by_text['有。小额信贷纳入了年度脱贫攻坚考核。']},C08,1,A,1,考核\n",
        encoding="utf-8",
    )
    before = ann.read_bytes()
    doc.write_text(V2, encoding="utf-8")
    report = tmp_path / "results" / "reingest.json"
    summary = ingest_to_files(corpus=corpus, passages=passages, report=report, annotations=ann_dir.parent.parent)
    second = read_table(passages)
    assert summary.n_passages == len(second) and len(summary.diff.orphaned) == 2
    data = json.loads(report.read_text(encoding="utf-8"))
    # unchanged turns keep their ids
    assert by_text["有。小额信贷纳入了年度脱贫攻坚考核。"] in set(second["passage_id"])
    assert data["unchanged"] == 4  # header, two questions and one answer are untouched
    assert [c["new_text"] for c in data["changed"]] == ["2016年县里出了实施方案，县长任领导小组组长，县农村信用合作联社是承贷主体。"]
    removed_texts = sorted(r["text"] for r in data["removed"])
    assert removed_texts == ["信息核对是怎么做的？", "扶贫办给我们建档立卡的名单，客户经理和驻村工作队一起入户。"]
    assert sorted(a["text"] for a in data["added"]) == ["还有什么要补充的吗？", "风险补偿金很关键。"]
    orphans = {o["code"]: o for o in data["orphaned"]}
    assert set(orphans) == {"C01", "C05"}  # the C08 code still points at a passage
    assert orphans["C01"]["successor"] == second.loc[second["text"].str.startswith("2016年"), "passage_id"].item()
    assert orphans["C05"]["successor"] == "" and orphans["C05"]["old_text"].startswith("扶贫办给我们")
    assert orphans["C05"]["memo"] == "数据" and orphans["C05"]["file"].endswith("LX.csv")
    # the human-owned file is untouched
    assert ann.read_bytes() == before


def test_markdown_report_through_the_cli_and_snapshot(tmp_path, capsys):
    corpus, doc, _ = _setup(tmp_path)
    out = tmp_path / "p.csv"
    snap = tmp_path / "state" / "last.parquet"
    report = tmp_path / "report.md"
    assert main(["ingest", str(corpus), "-o", str(out), "--report", str(report), "--previous", str(snap), "-q"]) == 0
    assert "First ingestion: 7 passages." in report.read_text(encoding="utf-8")
    assert read_table(snap)["passage_id"].tolist() == read_table(out)["passage_id"].tolist()
    doc.write_text(V1.replace("我们联社是承贷主体", "联社是承贷主体"), encoding="utf-8")
    ann = tmp_path / "ann.csv"
    table = read_table(out)
    old_id = table.loc[table["role"] == "respondent", "passage_id"].iloc[0]
    ann.write_text(f"passage_id,code,polarity,coder,round\n{old_id},C01,1,B,2\n", encoding="utf-8")
    assert main(["ingest", str(corpus), "-o", str(out), "--report", str(report), "--previous", str(snap), "--annotations", str(ann), "-q"]) == 0
    text = report.read_text(encoding="utf-8")
    assert "6 passages unchanged, 1 changed, 0 added, 0 removed." in text
    assert "## Orphaned human codes: 1" in text and old_id in text


def test_ids_are_stable_when_other_passages_move(tmp_path):
    corpus, doc, passages = _setup(tmp_path)
    ingest_to_files(corpus=corpus, passages=passages)
    first = set(read_table(passages)["passage_id"])
    # insert a new exchange at the top: every later passage moves, no id changes
    doc.write_text(V1.replace("问：县里", "问：您好。\n答：您好。\n问：县里"), encoding="utf-8")
    ingest_to_files(corpus=corpus, passages=passages)
    second = set(read_table(passages)["passage_id"])
    assert first <= second and len(second - first) == 2


def test_successor_of_a_passage_merged_into_a_larger_one_or_cut_down(tmp_path):
    """After the segmentation fixes of the bundled study: a date line joined to its
    signature block, a timestamp taken out of a turn, a note line split off an answer."""
    import pandas as pd

    from textqca.ingest.reingest import compare_passages
    from textqca.segment import assign_passage_ids

    def table(doc_id, rows):
        from textqca.segment import Passage

        ps = assign_passage_ids(doc_id, [Passage(0, len(t), t, section=sec, speaker=sp, role=role) for sec, sp, role, t in rows])
        return pd.DataFrame([{"doc_id": doc_id, "seq": i, "section": p.section, "speaker": p.speaker, "role": p.role,
                              "turn": None, "passage_id": p.passage_id, "text": p.text} for i, p in enumerate(ps)])

    answer = "2020年有个事，一个乡镇的工作人员用共享平台查了一个人的户籍信息，转给了亲戚，被投诉了。"
    resumed = "不好意思。刚才说到哪了？哦，评估。评估到现在还没有结果。"
    old = pd.concat([
        table("EQ_pol02", [("七、", "", "", "E区养老机构综合监管联席会议办公室（区民政局代章）"), ("七、", "", "", "2022年12月20日印发")]),
        table("KQ_int05", [("", "受访者", "respondent", "[00:08:22] 不客气。")]),
        table("DS_int01", [("", "答", "respondent", answer + "\n（受访者接了一个电话，约三分钟）\n" + resumed)]),
    ])
    new = pd.concat([
        table("EQ_pol02", [("落款", "", "header", "E区养老机构综合监管联席会议办公室（区民政局代章）\n2022年12月20日印发")]),
        table("KQ_int05", [("", "受访者", "respondent", "不客气。")]),
        table("DS_int01", [("", "答", "respondent", answer), ("", "", "note", "（受访者接了一个电话，约三分钟）"), ("", "答", "respondent", resumed)]),
    ])
    ann = tmp_path / "A.csv"
    ann.write_text("passage_id,code,polarity,coder,round\n" + "".join(f"{pid},NONE,,A,1\n" for pid in old["passage_id"]), encoding="utf-8")
    diff = compare_passages(old, new, annotations=ann)
    successor = {o["old_text"]: o["successor"] for o in diff.orphaned}
    new_id = dict(zip(new["text"], new["passage_id"]))
    assert successor == {
        "E区养老机构综合监管联席会议办公室（区民政局代章）": new_id["E区养老机构综合监管联席会议办公室（区民政局代章）\n2022年12月20日印发"],
        "2022年12月20日印发": new_id["E区养老机构综合监管联席会议办公室（区民政局代章）\n2022年12月20日印发"],
        "[00:08:22] 不客气。": new_id["不客气。"],
        answer + "\n（受访者接了一个电话，约三分钟）\n" + resumed: new_id[answer],  # the content, not the note
    }
