"""ingest_corpus / ingest_to_files / CLI: manifest, case table, HTML, de-identification."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from textqca.cli import main
from textqca.ingest import DOCUMENT_COLUMNS, PASSAGE_COLUMNS, ingest_corpus, ingest_to_files
from textqca.ingest.deidentify import deidentify_text
from textqca.io import read_table

INTERVIEW = """访谈编号：YS-INT09
访谈时间：2022年11月8日 下午
受访者：张建国（Y市民政局养老服务科科长）

访谈者：张科长，谢谢您接受访谈。您的电话是13912345678吧？
张建国：对，13912345678，也可以发邮件到 zhangjg@example.com。
访谈者：那个诈骗案的受害人李秀英，她的身份证号您这儿有登记吗？
张建国：有，110101195001011234，存折卡号6222021234567890123，这些都移交公安了。李秀英老人现在情绪稳定。
"""


def _corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "YS" / "interview").mkdir(parents=True)
    (root / "YS" / "interview" / "YS_int09.txt").write_text(INTERVIEW, encoding="utf-8")
    return root


def test_deidentify_text_kinds_and_consistent_pseudonyms():
    text, counts = deidentify_text(INTERVIEW, pseudonyms={"张建国": "受访者A", "李秀英": "老人甲", "张": "X"})
    for secret in ("13912345678", "zhangjg@example.com", "110101195001011234", "6222021234567890123", "张建国", "李秀英"):
        assert secret not in text
    assert text.count("受访者A") == 3 and text.count("老人甲") == 2
    assert "[手机号]" in text and "[邮箱]" in text and "[身份证号]" in text and "[银行卡号]" in text
    assert counts == {"name": 6, "手机号": 2, "邮箱": 1, "身份证号": 1, "银行卡号": 1}
    other, counts = deidentify_text("老证号110101500101123，卡号6222 0212 3456 7890 123，座机0371-65432100，手机+86 139-1234-5678。")
    assert other == "老证号[身份证号]，卡号[银行卡号]，座机[电话]，手机[手机号]。"
    # dates, money and article numbers are not personal data
    kept, _ = deidentify_text("2022年11月8日拨付资金2000万元，依照第十二条，电话会议时间14:30。")
    assert kept == "2022年11月8日拨付资金2000万元，依照第十二条，电话会议时间14:30。"


def test_deidentify_in_ingest_before_anything_sees_the_text(tmp_path):
    root = _corpus(tmp_path)
    table = tmp_path / "pseudonyms.tsv"
    table.write_text("case_id\tname\tpseudonym\nYS\t张建国\t受访者A\nYS\t李秀英\t老人甲\nLX\t王某\t不用\n", encoding="utf-8")
    out = tmp_path / "res"
    result = ingest_to_files(corpus=root, passages=out / "p.parquet", documents=out / "d.csv", canonical_dir=out / "canon",
                             deidentify=True, pseudonyms=table)
    passages = read_table(out / "p.parquet")
    canonical = (out / "canon" / "YS_int09.txt").read_text(encoding="utf-8")
    everything = canonical + "".join(passages["text"]) + "".join(passages["speaker"])
    assert "张建国" not in everything and "13912345678" not in everything and "李秀英" not in everything
    assert set(passages["speaker"]) >= {"受访者A", "访谈者"}
    assert "deidentify(" in result.documents["normalisation"].item()


def test_manifest_with_metadata_and_case_table(tmp_path):
    root = _corpus(tmp_path)
    (root / "docs").mkdir()
    (root / "docs" / "notice.txt").write_bytes(
        "国务院办公厅关于印发\n《政府网站集约化试点工作方案》的通知\n国办函〔2018〕71号\n各省人民政府：\n现印发给你们。\n国务院办公厅\n2018年10月27日\n".encode("gb18030")
    )
    (root / "manifest.tsv").write_text(
        "doc_id\tcase_id\tdoc_type\tpath\tdate\tsource\ttitle\n"
        "YS_int09\tYS\tinterview\tYS/interview/YS_int09.txt\t2022-11-08\t课题组访谈\t\n"
        "YS_pol09\tYS\tpolicy\tdocs/notice.txt\t\t中国政府网\t\n",
        encoding="utf-8",
    )
    cases = tmp_path / "config" / "cases.tsv"
    cases.parent.mkdir()
    cases.write_text("case_id\tname\toutcome\nYS\tY市\t0\n", encoding="utf-8")
    result = ingest_corpus(root, cases=cases)
    docs = result.documents.set_index("doc_id")
    assert list(result.documents.columns) == DOCUMENT_COLUMNS and list(result.passages.columns) == PASSAGE_COLUMNS
    assert docs.loc["YS_int09", "date"] == "2022-11-08" and docs.loc["YS_int09", "source"] == "课题组访谈"
    assert docs.loc["YS_pol09", "encoding"] == "gb18030"
    assert docs.loc["YS_pol09", "title"] == "国务院办公厅关于印发《政府网站集约化试点工作方案》的通知"
    assert docs.loc["YS_pol09", "doc_number"] == "国办函〔2018〕71号" and docs.loc["YS_pol09", "date"] == "2018-10-27"
    assert docs.loc["YS_pol09", "issuer"] == "国务院办公厅"
    pol = result.passages[result.passages["doc_id"] == "YS_pol09"]
    assert pol["section"].tolist() == ["题头", "", "", "落款"] and pol["role"].tolist() == ["header", "", "", "header"]


def test_html_page_copy(tmp_path):
    root = tmp_path / "corpus"
    (root / "YS" / "policy").mkdir(parents=True)
    html = """<html><head><meta charset="gbk"><title>通知</title><script>var x = "菜单";</script></head>
<body><nav><a href="/">首页</a> &gt; <a>政策文件</a></nav>
<div class="content"><p>Y市民政局关于开展养老诈骗专项整治的通知</p><p>Y民发〔2022〕5号</p>
<p>各区民政局：</p><p>为贯彻落实全国打击整治养老诈骗专项行动部署，现就有关事项通知如下。</p>
<p>一、工作目标</p><p>（一）全面排查。对全市养老机构开展拉网式排查，做到不漏一家。</p>
<p>Y市民政局<br/>2022年5月6日</p></div><footer>版权所有</footer></body></html>"""
    (root / "YS" / "policy" / "YS_pol09.html").write_bytes(html.encode("gbk"))
    result = ingest_corpus(root)
    p = result.passages
    assert p["text"].tolist() == [
        "Y市民政局关于开展养老诈骗专项整治的通知\nY民发〔2022〕5号",
        "各区民政局：",
        "为贯彻落实全国打击整治养老诈骗专项行动部署，现就有关事项通知如下。",
        "（一）全面排查。对全市养老机构开展拉网式排查，做到不漏一家。",
        "Y市民政局\n2022年5月6日",
    ]
    assert p["section"].tolist()[3] == "一、工作目标 > （一）"
    assert result.documents["doc_number"].item() == "Y民发〔2022〕5号"


def test_cli_parquet_and_documents(tmp_path, capsys):
    root = _corpus(tmp_path)
    out = tmp_path / "p.parquet"
    docs = tmp_path / "d.tsv"
    assert main(["ingest", str(root), "-o", str(out), "--documents", str(docs), "--canonical-dir", str(tmp_path / "c")]) == 0
    assert "1 documents, 5 passages" in capsys.readouterr().err
    p = pd.read_parquet(out)
    canon = (tmp_path / "c" / "YS_int09.txt").read_text(encoding="utf-8")
    assert all(canon[s:e] == t for s, e, t in zip(p["start"], p["end"], p["text"]))
    assert p["turn"].dtype == "Int64" and p["turn"].tolist()[1:] == [1, 2, 3, 4]
    assert read_table(docs)["n_passages"].tolist() == [5]
    # --max-chars splits long turns
    assert main(["ingest", str(root), "-o", str(out), "--max-chars", "40", "-q"]) == 0
    assert len(pd.read_parquet(out)) > 5


def test_cli_help_lists_the_options(capsys):
    try:
        main(["ingest", "--help"])
    except SystemExit as exc:
        assert exc.code == 0
    text = capsys.readouterr().out
    for opt in ("-o", "--manifest", "--cases", "--documents", "--canonical-dir", "--report", "--annotations",
                "--max-chars", "--deidentify", "--pseudonyms", "--to-simplified"):
        assert opt in text


def test_documents_table_summarises_speakers(tmp_path):
    result = ingest_corpus(_corpus(tmp_path))
    assert result.documents["speakers"].item() == "访谈者=interviewer×2; 张建国=respondent×2"
