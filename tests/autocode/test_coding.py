"""Coding passages files end to end: formats, roles, output contract, one-line errors."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from textqca.autocode import CODING_COLUMNS, HybridCoder, code_passages_file, train_model
from textqca.autocode.annotations import read_annotations
from textqca.autocode.model import save_model
from textqca.cli import main
from textqca.errors import AnnotationError, CodingError

PASSAGES = pd.DataFrame(
    {
        "passage_id": ["LX_int01:aaaa0001", "LX_int01:aaaa0002", "LX_int01:aaaa0003", "LX_pol01:bbbb0001", "LX_pol01:bbbb0002"],
        "role": ["interviewer", "respondent", "respondent", "header", ""],
        "speaker": ["问", "王某（镇扶贫办主任）", "王某（镇扶贫办主任）", "", ""],
        "text": [
            "你们和公安之间有没有联席会议制度？",
            "以前信用社不放心，怕贷款收不回来；后来驻村干部把贫困户的信用信息都提供给信用社，大家建立了互信。",
            "今年雨水多，收成还可以。",
            "L县扶贫小额信贷工作方案",
            "县扶贫办牵头建立扶贫小额信贷联席会议制度，财政、金融、农业等部门按照职责分工密切配合。",
        ],
    }
)


@pytest.fixture()
def model_dir(trained, tmp_path_factory):
    model, *_ = trained
    return save_model(model, tmp_path_factory.mktemp("model") / "m")


@pytest.mark.parametrize("fmt", ["csv", "tsv", "parquet"])
def test_code_file_formats_and_roles(tmp_path, codebook, fmt):
    p = tmp_path / f"passages.{fmt}"
    if fmt == "parquet":
        PASSAGES.to_parquet(p)
    else:
        PASSAGES.to_csv(p, sep="\t" if fmt == "tsv" else ",", index=False)
    out = code_passages_file(passages=p, output=tmp_path / "codings.csv", codebook=codebook.path, use_model=False, batch_size=2)
    df = pd.read_csv(out, dtype={"passage_id": str})
    assert tuple(df.columns) == CODING_COLUMNS
    coded = set(df["passage_id"])
    assert "LX_int01:aaaa0001" not in coded  # interviewer turn
    assert "LX_pol01:bbbb0001" not in coded  # header
    assert "LX_int01:aaaa0003" not in coded  # nothing collaborative
    trust = df[(df.passage_id == "LX_int01:aaaa0002") & (df.code == "ENV.CUL.TRUST")].iloc[0]
    assert trust.polarity == 1  # 以前……不放心 ……后来……建立了互信
    assert set(df[df.passage_id == "LX_pol01:bbbb0002"].code) >= {"ENV.INS.LINKAGE", "PRO.JOINT"}
    text = dict(zip(PASSAGES.passage_id, PASSAGES.text))
    for r in df.itertuples():
        assert text[r.passage_id][r.start:r.end] == r.evidence
        assert r.method == "rule" and r.polarity in (1, -1) and 0 <= r.confidence <= 1


def test_code_with_model(tmp_path, codebook, model_dir):
    p = tmp_path / "passages.csv"
    PASSAGES.to_csv(p, index=False)
    out = code_passages_file(passages=p, output=tmp_path / "codings.csv", codebook=codebook.path, model_dir=model_dir)
    df = pd.read_csv(out)
    assert set(df.method) <= {"rule", "model", "both"}
    assert "both" in set(df.method)
    linkage = df[(df.passage_id == "LX_pol01:bbbb0002") & (df.code == "ENV.INS.LINKAGE")]
    assert len(linkage) == 1 and linkage.iloc[0].confidence > 0.5


def test_code_roles_option(tmp_path, codebook):
    p = tmp_path / "passages.csv"
    PASSAGES.to_csv(p, index=False)
    out = code_passages_file(passages=p, output=tmp_path / "c.csv", codebook=codebook.path, use_model=False, code_roles=["interviewer"])
    df = pd.read_csv(out)
    assert "LX_int01:aaaa0001" in set(df.passage_id) and "LX_int01:aaaa0002" not in set(df.passage_id)


def test_passages_without_text_column(tmp_path, codebook, capsys):
    p = tmp_path / "passages.csv"
    PASSAGES.rename(columns={"text": "content"}).to_csv(p, index=False)
    with pytest.raises(CodingError, match=r"passages\.csv: missing column\(s\) text; a passages table needs passage_id and text"):
        code_passages_file(passages=p, output=tmp_path / "c.csv", codebook=codebook.path, use_model=False)
    assert not (tmp_path / "c.csv").exists()
    assert main(["code", str(p), "-o", str(tmp_path / "c.csv"), "--codebook", codebook.path, "--rules-only"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "missing column(s) text" in err[0]


@pytest.mark.parametrize(
    "rows, message",
    [(slice(0, 0), "no passages: the table has its header but no rows"),
     ([0, 1, 0], "passage_id 'LX_int01:aaaa0001' appears more than once")],
)
def test_empty_or_repeated_passages_are_one_line_errors(tmp_path, codebook, model_dir, rows, message):
    p = tmp_path / "passages.csv"
    PASSAGES.iloc[rows].to_csv(p, index=False)
    with pytest.raises(CodingError, match=re.escape(message)):  # the repeat is in a later batch
        code_passages_file(passages=p, output=tmp_path / "c.csv", codebook=codebook.path, model_dir=model_dir, batch_size=1)
    assert not (tmp_path / "c.csv").exists()


def test_code_never_writes_over_human_coding_or_its_input(tmp_path, codebook):
    p = tmp_path / "passages.csv"
    PASSAGES.to_csv(p, index=False)
    human = tmp_path / "LX.csv"
    human.write_text("passage_id,code,polarity,coder,round,memo\nLX_int01:aaaa0002,ENV.CUL.TRUST,1,A,1,\n", encoding="utf-8")
    before = human.read_bytes()
    with pytest.raises(CodingError, match="LX.csv: holds human coding"):
        code_passages_file(passages=p, output=human, codebook=codebook.path, use_model=False)
    assert human.read_bytes() == before
    bare = tmp_path / "YS.csv"  # human coding need not have a coder column
    bare.write_text("passage_id,code,polarity\nYS_int01:aaaa0002,ENV.CUL.TRUST,-1\n", encoding="utf-8")
    with pytest.raises(CodingError, match="YS.csv: exists and is not a codings table written by textqca code"):
        code_passages_file(passages=p, output=bare, codebook=codebook.path, use_model=False)
    assert bare.read_text(encoding="utf-8").endswith("ENV.CUL.TRUST,-1\n")
    with pytest.raises(CodingError, match="is also the passages table being coded"):
        code_passages_file(passages=p, output=p, codebook=codebook.path, use_model=False)
    out = code_passages_file(passages=p, output=tmp_path / "auto.csv", codebook=codebook.path, use_model=False)
    assert code_passages_file(passages=p, output=out, codebook=codebook.path, use_model=False) == out  # a rerun replaces its own output


def test_coder_codes_no_passages_as_no_codings(codebook, trained):
    model, *_ = trained
    assert HybridCoder(codebook, model).code([], []) == [] and HybridCoder(codebook, None).code([], []) == []


def test_annotations_with_unknown_code(tmp_path, codebook):
    p = tmp_path / "A" / "LX.csv"
    p.parent.mkdir()
    p.write_text(
        "passage_id,code,polarity,coder,round,memo\n"
        "LX_int01:aaaa0002,ENV.CUL.TRUST,1,A,1,\n"
        "LX_int01:aaaa0003,NONE,,A,1,\n"
        "LX_pol01:bbbb0002,ENV.INS.LINKAGES,1,A,1,多打了一个S\n",
        encoding="utf-8",
    )
    with pytest.raises(AnnotationError) as ei:
        read_annotations(p, codebook=codebook)
    msg = str(ei.value)
    assert msg.startswith(f"{p}:line 4: passage LX_pol01:bbbb0002: code 'ENV.INS.LINKAGES' does not exist in codebook")
    assert "\n" not in msg


def test_annotations_without_passage_id(tmp_path, codebook):
    p = tmp_path / "x.csv"
    p.write_text("id,code\n1,PRO.INFO\n", encoding="utf-8")
    with pytest.raises(AnnotationError, match=r"missing column\(s\) passage_id"):
        read_annotations(p, codebook=codebook)


def test_train_cli_and_evaluate_cli(tmp_path, codebook, repo_dir, capsys):
    gold_dir = repo_dir / "tests" / "data" / "real_policy_gold"
    model = tmp_path / "model"
    # train on the first 200 passages (fast), code and evaluate all 385
    gold = pd.read_csv(gold_dir / "REAL.csv", dtype=str, keep_default_na=False)
    first = list(dict.fromkeys(gold["passage_id"]))[:200]
    subset = tmp_path / "REAL_first200.csv"
    gold[gold["passage_id"].isin(first)].to_csv(subset, index=False)
    assert main(["train", str(subset), "--passages", str(gold_dir / "passages.csv"),
                 "--codebook", codebook.path, "-o", str(model)]) == 0
    out = capsys.readouterr().out
    assert "cross-validated F1" in out and (model / "manifest.json").is_file()
    import json

    from textqca.autocode.model import CodeClassifier

    # without --C the CLI trains with the model's own (cross-validated) C, not a second default
    assert json.loads((model / "manifest.json").read_text(encoding="utf-8"))["params"]["C"] == CodeClassifier().C
    codings = tmp_path / "codings.csv"
    assert main(["code", str(gold_dir / "passages.csv"), "-o", str(codings), "--codebook", codebook.path, "--model", str(model)]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(gold_dir / "REAL.csv"), str(codings), "--codebook", codebook.path, "--n-boot", "50",
                 "-o", str(tmp_path / "eval.json")]) == 0
    out = capsys.readouterr().out
    assert "auto-coder against gold: 385 passages" in out and "ENV.INS.LINKAGE" in out
    rep = json.loads((tmp_path / "eval.json").read_text(encoding="utf-8"))
    assert 0.3 < rep["overall"]["f1"] <= 1.0 and rep["overall"]["kappa_ci"] is not None


@pytest.mark.parametrize("kind", ["annotations", "codings"])
@pytest.mark.parametrize("bad", ["2", "yes"])
def test_a_polarity_that_is_not_1_or_minus_1(tmp_path, codebook, kind, bad):
    """Human coding (train) and auto-coding (evaluate) alike: the line is named, nothing is guessed."""
    from textqca.autocode.evaluate import read_codings

    reader, error = (read_annotations, AnnotationError) if kind == "annotations" else (read_codings, CodingError)
    p = tmp_path / "x.csv"
    p.write_text(f"passage_id,code,polarity\nX:1,NONE,\nX:2,PRO.INFO,-1\nX:3,PRO.INFO,{bad}\n", encoding="utf-8")
    with pytest.raises(error, match=rf"x\.csv:line 4: .*polarity '{bad}' must be 1 or -1"):
        reader(p, codebook=codebook)
    p.write_text("passage_id,code,polarity\nX:1,NONE,\nX:2,PRO.INFO,-1\nX:3,PRO.JOINT,1\n", encoding="utf-8")
    got = reader(p, codebook=codebook)
    assert sorted(got.loc[got["code"] != "NONE", "polarity"].astype(int).tolist()) == [-1, 1]


def test_train_needs_texts(tmp_path, codebook):
    p = tmp_path / "a.csv"
    p.write_text("passage_id,code,polarity,coder,round,memo\nX:1,PRO.INFO,1,A,1,\n", encoding="utf-8")
    with pytest.raises(AnnotationError):
        train_model([p], output=tmp_path / "m", codebook=codebook.path)


def test_cross_validation_drops_extra_training_from_test_documents():
    """More coding of a test document must not train the fold that tests that document."""
    from textqca.autocode.evaluate import extra_rows_for_fold

    extra = ["001_doc:aaaa1111", "002_doc:bbbb2222", "001_doc:cccc3333", "003_doc:dddd4444", "codebook:X:0"]
    test = ["001_doc:eeee5555", "003_doc:ffff6666"]
    assert extra_rows_for_fold(extra, test) == [1, 4]
    # the same passage id is dropped too, whatever its document
    assert extra_rows_for_fold(["004_doc:1"], ["004_doc:1"]) == []
    assert extra_rows_for_fold(extra, []) == list(range(len(extra)))
