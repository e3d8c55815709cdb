"""The case x condition table from coded passages (real Chinese passages of tests/data/findings)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from textqca.casematrix import (
    build_case_matrix,
    case_matrix_to_files,
    codebook_labels,
    gold_codings,
    parse_conditions,
    read_annotations,
    read_codings,
    read_passages,
    select_codings,
)
from textqca.errors import AnnotationError, ConfigError

DATA = Path(__file__).resolve().parents[1] / "data" / "findings"
REPO = Path(__file__).resolve().parents[2]
CODEBOOK = REPO / "codebook" / "framework.yaml"

CONDS = {"define": {
    "ENV_CUL": {"codes": ["ENV.CUL.TRUST", "ENV.CUL.INTEREST"], "label_zh": "文化环境"},
    "ENV_TEC": {"codes": ["ENV.TEC.PLATFORM"]},
    "MOT": {"codes": ["MOT.NEED", "MOT.GOAL", "MOT.INCENT", "MOT.LEAD", "MOT.PRESS"], "combine": "mean"},
    "PRO": {"codes": ["PRO.INFO", "PRO.JOINT", "PRO.COST"]},
}}


@pytest.fixture(scope="module")
def passages():
    return read_passages(DATA / "passages.csv")


@pytest.fixture(scope="module")
def auto():
    return read_codings(DATA / "codings.csv")


@pytest.fixture(scope="module")
def human():
    return gold_codings(read_annotations(DATA / "annotations"))


def _pid(passages, needle):
    return passages.loc[passages["text"].str.contains(needle), "passage_id"].iloc[0]


def test_gold_prefers_adjudication_over_coder_a(passages, human):
    pid = _pid(passages, "这个工作不纳入考核")
    codes = set(human.loc[human["passage_id"] == pid, "code"])
    # coder A also coded MOT.GOAL; the adjudicated decision kept only MOT.INCENT
    assert codes == {"MOT.INCENT"}
    assert (human["source"] == "human").all()


def test_none_marks_a_passage_as_human_examined(passages, auto, human):
    pid = _pid(passages, "尚未建立统一的涉老诈骗线索平台")
    assert (auto["passage_id"] == pid).any()
    chosen = select_codings(auto=auto, human=human, source="human_then_auto")
    assert not (chosen["passage_id"] == pid).any()          # coder A said NONE: auto-code not used
    only_auto = select_codings(auto=auto, human=human, source="auto")
    assert (only_auto["passage_id"] == pid).any()


def test_scores_are_confidence_weighted_balances(passages, auto, human):
    conds = parse_conditions(CONDS)
    chosen = select_codings(auto=auto, human=human, source="human_then_auto")
    cm = build_case_matrix(passages, chosen, conditions=conds, cases=["LX", "YS", "SS", "GQ", "HQ", "MX"])
    m = cm.matrix
    # HQ: one passage codes TRUST -1 (0.7) and +1 (0.6); INTEREST has no evidence
    assert m.loc["HQ", "ENV_CUL"] == pytest.approx((0.6 - 0.7) / (0.6 + 0.7))
    assert m.loc["LX", "ENV_TEC"] == -1.0
    # with human coding, YS has no platform evidence left
    assert math.isnan(m.loc["YS", "ENV_TEC"])
    # MX motivation: mean of the per-code balances NEED +1, LEAD -1, PRESS -1, INCENT -1
    assert m.loc["MX", "MOT"] == pytest.approx((1 - 1 - 1 - 1) / 4)
    # the passages behind each number
    ev = cm.evidence
    assert set(ev.loc[(ev["case_id"] == "HQ") & (ev["condition"] == "ENV_CUL"), "polarity"]) == {1, -1}
    cc = cm.code_counts.set_index(["case_id", "code"])
    assert cc.loc[("YS", "PRO.INFO"), "n_neg"] == 1
    assert cc.loc[("YS", "PRO.INFO"), "share_neg"] == pytest.approx(1 / cc.loc[("YS", "PRO.INFO"), "n_coded_passages"])


def test_pool_and_share_rules(passages, auto):
    conds = parse_conditions({"define": {"MOT": {"codes": ["MOT.NEED", "MOT.LEAD", "MOT.PRESS", "MOT.INCENT"],
                                                 "combine": "pool", "score": "share"}}})
    cm = build_case_matrix(passages, select_codings(auto=auto, human=None, source="auto"), conditions=conds)
    w = auto.merge(passages[["passage_id", "case_id"]])
    w = w[(w["case_id"] == "MX") & w["code"].isin(["MOT.NEED", "MOT.LEAD", "MOT.PRESS", "MOT.INCENT"])]
    expected = w.loc[w["polarity"] > 0, "confidence"].sum() / w["confidence"].sum()
    assert cm.matrix.loc["MX", "MOT"] == pytest.approx(expected)


def test_unknown_code_is_a_one_line_error():
    labels = codebook_labels(CODEBOOK)
    known = [k for k, v in labels.items() if v["kind"] == "code"]
    with pytest.raises(ConfigError) as exc:
        parse_conditions({"define": {"ENV_CUL": {"codes": ["ENV.CUL.TRUSTT"]}}}, known_codes=known)
    msg = str(exc.value)
    assert "\n" not in msg and "ENV.CUL.TRUSTT" in msg and "ENV_CUL" in msg and "ENV.CUL.TRUST" in msg


def test_labels_come_from_the_codebook():
    conds = parse_conditions({"define": {"TEC": {"codes": ["ENV.TEC.PLATFORM"]}}},
                             labels=codebook_labels(CODEBOOK))
    assert conds[0].label_zh == "数字平台与数据共享"


def test_bad_polarity_in_annotations_names_file_and_line(tmp_path):
    f = tmp_path / "round1" / "A" / "LX.csv"
    f.parent.mkdir(parents=True)
    f.write_text("passage_id,code,polarity,coder,round,memo\nLX_int01:1,ENV.CUL.TRUST,2,A,1,\n", encoding="utf-8")
    with pytest.raises(AnnotationError) as exc:
        gold_codings(read_annotations(tmp_path))
    assert "LX.csv:line 2" in str(exc.value)


def test_files_are_written_and_cover_every_case(tmp_path):
    cm = case_matrix_to_files(passages=str(DATA / "passages.csv"), codings=str(DATA / "codings.csv"),
                              annotations=str(DATA / "annotations"), cases=str(DATA / "cases.tsv"),
                              codebook=str(CODEBOOK), matrix=str(tmp_path / "m.csv"), evidence=str(tmp_path / "e.csv"),
                              code_counts=str(tmp_path / "c.csv"), conditions=CONDS)
    m = pd.read_csv(tmp_path / "m.csv")
    assert list(m["case_id"]) == ["LX", "YS", "SS", "GQ", "HQ", "MX"]
    assert list(m.columns) == ["case_id", "ENV_CUL", "ENV_TEC", "MOT", "PRO"]
    e = pd.read_csv(tmp_path / "e.csv")
    assert {"human", "auto"} <= set(e["source"])
    assert len(cm.evidence) == len(e)
    assert not list(tmp_path.glob(".tmp-*"))


def test_n_passages_counts_only_passages_that_can_carry_a_code(passages, auto):
    """Interviewer questions, transcript headers and transcriber's notes are not evidence."""
    lx = passages[passages["case_id"] == "LX"]
    extra = pd.DataFrame([
        {**lx.iloc[0].to_dict(), "passage_id": "LX_int01:q0000001", "role": "interviewer", "text": "那你们怎么掌握贫困户的信用情况呢？"},
        {**lx.iloc[0].to_dict(), "passage_id": "LX_int01:h0000001", "role": "header", "text": "访谈编号：LX-01"},
        {**lx.iloc[0].to_dict(), "passage_id": "LX_int01:n0000001", "role": "note", "text": "（受访者接了一个电话，约三分钟）"},
    ])
    conds = parse_conditions(CONDS)
    chosen = select_codings(auto=auto, human=None, source="auto")
    base = build_case_matrix(passages, chosen, conditions=conds).code_counts
    more = build_case_matrix(pd.concat([passages, extra], ignore_index=True), chosen, conditions=conds).code_counts
    n_base = base.loc[base["case_id"] == "LX", "n_passages"].iloc[0]
    assert n_base == len(lx)
    assert more.loc[more["case_id"] == "LX", "n_passages"].iloc[0] == n_base
