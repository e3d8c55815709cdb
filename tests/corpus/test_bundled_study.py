"""Integrity of the bundled example study: corpus, case table and human coding agree.

Every annotation must point at a passage that ingest produces from the corpus as it is, every
case needs interviews and a policy document, every code must exist in the codebook.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from textqca.codebook import load_codebook
from textqca.ingest import ingest_corpus

REPO = Path(__file__).resolve().parents[2]
ANNOTATIONS = REPO / "codebook" / "annotations"


@pytest.fixture(scope="module")
def cases() -> pd.DataFrame:
    return pd.read_csv(REPO / "config" / "cases.tsv", sep="\t", dtype=str)


@pytest.fixture(scope="module")
def ingested():
    return ingest_corpus(REPO / "corpus", cases=REPO / "config" / "cases.tsv")


@pytest.fixture(scope="module")
def annotations() -> pd.DataFrame:
    frames = []
    for path in sorted(ANNOTATIONS.rglob("*.csv")):
        if path.name == "adjudication.csv":
            continue
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        df["file"] = str(path.relative_to(REPO))
        frames.append(df)
    assert frames, "no human coding under codebook/annotations"
    return pd.concat(frames, ignore_index=True)


def _passages(ingested) -> pd.DataFrame:
    return ingested.passages


def test_case_table_describes_a_study(cases):
    assert len(cases) >= 16
    assert cases["case_id"].is_unique
    assert cases["domain"].nunique() >= 10
    outcome = cases["outcome"].astype(float)
    assert outcome.between(0, 1).all()
    n_success, n_failure = (outcome > 0.5).sum(), (outcome < 0.5).sum()
    assert abs(n_success - n_failure) <= 2, (n_success, n_failure)
    for col in ("name", "level", "period", "outcome_label", "justification", "summary"):
        assert cases[col].str.len().gt(0).all(), col
    assert cases["justification"].str.len().ge(40).all()
    assert {"LX", "YS"} <= set(cases["case_id"])
    assert float(cases.set_index("case_id").loc["LX", "outcome"]) == 1
    assert float(cases.set_index("case_id").loc["YS", "outcome"]) == 0


def test_every_case_has_interviews_and_a_policy_document(cases, ingested):
    passages = _passages(ingested)
    docs = passages.groupby("doc_id").agg(case_id=("case_id", "first"), doc_type=("doc_type", "first"))
    for case_id in cases["case_id"]:
        types = docs[docs["case_id"] == case_id]["doc_type"].value_counts()
        assert 3 <= types.get("interview", 0) <= 5, (case_id, types.to_dict())
        assert 1 <= types.get("policy", 0) <= 2, (case_id, types.to_dict())
    assert set(docs["case_id"]) == set(cases["case_id"])


def test_corpus_size_roles_and_formats(ingested):
    passages = _passages(ingested)
    assert passages["text"].str.len().sum() >= 300_000
    roles = passages.loc[passages["doc_type"] == "interview", "role"].value_counts()
    assert roles.get("interviewer", 0) > 100 and roles.get("respondent", 0) > 300
    suffixes = {p.suffix.lower() for p in (REPO / "corpus").rglob("*.*") if p.parent.name in ("interview", "policy")}
    assert {".txt", ".docx", ".pdf"} <= suffixes


def test_one_file_is_gb18030(ingested):
    documents = ingested.documents
    encodings = set(documents["encoding"].str.lower())
    assert encodings & {"gb18030", "gbk", "gb2312"}, encodings


def test_annotations_point_at_existing_passages_and_codes(annotations, ingested):
    passages = _passages(ingested).set_index("passage_id")
    missing = sorted(set(annotations["passage_id"]) - set(passages.index))
    assert not missing, f"{len(missing)} annotations point at no passage, e.g. {missing[:5]}"
    codebook = load_codebook(REPO / "codebook" / "framework.yaml")
    ids = set(codebook.code_ids)
    assert set(annotations["code"]) - {"NONE"} <= ids
    coded = annotations[annotations["code"] != "NONE"]
    assert set(coded["polarity"]) <= {"1", "-1"}
    assert (annotations.loc[annotations["code"] == "NONE", "polarity"] == "").all()


def test_every_respondent_and_policy_passage_is_coded(annotations, ingested):
    passages = _passages(ingested)
    codable = passages[(passages["role"] == "respondent") | ((passages["doc_type"] == "policy") & (passages["role"].fillna("") != "header"))]
    primary = annotations[annotations["coder"].isin(["A", "adjudicated"])]
    uncoded = sorted(set(codable["passage_id"]) - set(primary["passage_id"]))
    assert not uncoded, f"{len(uncoded)} codable passages without human coding, e.g. {uncoded[:5]}"


def test_double_coding_and_adjudication(annotations):
    a = set(annotations.loc[annotations["coder"] == "A", "passage_id"])
    b = set(annotations.loc[annotations["coder"] == "B", "passage_id"])
    assert len(a & b) >= 400
    adjudicated = set(annotations.loc[annotations["coder"] == "adjudicated", "passage_id"])
    assert a & b <= adjudicated
    record = pd.read_csv(ANNOTATIONS / "adjudication.csv", dtype=str, keep_default_na=False)
    assert {"passage_id", "code", "coder_A", "coder_B", "decision", "reason"} <= set(record.columns)
    assert record["reason"].str.len().gt(0).all()
