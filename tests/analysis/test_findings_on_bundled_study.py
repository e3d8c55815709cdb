"""The bundled example study (16 cases) from its human coding: County L and City Y land on the expected sides.

Runs ingest -> case matrix (human coding) -> findings -> report in-process (about 15 s);
the auto-coder is not needed because every passage of the study has a gold human coding.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def study(tmp_path_factory, fp):
    if not (REPO / "config" / "cases.tsv").is_file() or not any((REPO / "corpus").glob("*/interview/*")):
        pytest.skip("the bundled study (corpus/, config/cases.tsv) is not in this checkout")
    from textqca.analysis import analysis_names, run_findings
    from textqca.casematrix import case_matrix_to_files
    from textqca.ingest import ingest_to_files
    from textqca.report import report_to_file

    cfg = fp.load_config(robustness={"enabled": False})
    cfg["calibration"]["overrides"] = str(REPO / "codebook" / "overrides.tsv")
    r = tmp_path_factory.mktemp("study") / "results"
    cases = REPO / "config" / "cases.tsv"
    codebook = REPO / "codebook" / "framework.yaml"
    ingest_to_files(corpus=REPO / "corpus", cases=cases, passages=r / "corpus" / "passages.parquet",
                    documents=r / "corpus" / "documents.csv")
    case_matrix_to_files(passages=str(r / "corpus" / "passages.parquet"), codings=None,
                         annotations=str(REPO / "codebook" / "annotations"), cases=str(cases), codebook=str(codebook),
                         matrix=str(r / "casematrix" / "case_matrix.csv"),
                         evidence=str(r / "casematrix" / "case_evidence.csv"),
                         code_counts=str(r / "casematrix" / "code_counts.csv"), conditions=cfg["conditions"],
                         coding_source="human_then_auto")
    run_findings(cfg, results=r, cases=cases, codebook=codebook, passages=r / "corpus" / "passages.parquet",
                 documents=r / "corpus" / "documents.csv", robustness=False)
    report_to_file(findings=str(r / "findings" / "findings.json"), calibration=str(r / "qca" / "calibration.json"),
                   memberships=str(r / "qca" / "memberships.csv"),
                   results=[str(r / "qca" / "results" / f"{n}.json") for n in analysis_names(cfg["qca"])],
                   code_counts=str(r / "casematrix" / "code_counts.csv"),
                   evidence=str(r / "casematrix" / "case_evidence.csv"), documents=str(r / "corpus" / "documents.csv"),
                   passages=str(r / "corpus" / "passages.parquet"), two_step=str(r / "qca" / "two_step.json"),
                   codebook=str(codebook), report=cfg["report"], html=str(r / "report" / "report.html"))
    return r


def test_county_l_and_city_y_on_the_expected_sides(study):
    f = json.loads((study / "findings" / "findings.json").read_text(encoding="utf-8"))
    main = {p["side"]: p for p in f["paths"] if p["solution"] == f["main_solution"]}
    success = [t for m in main["outcome"]["models"] for t in m["terms"]]
    failure = [t for m in main["negation"]["models"] for t in m["terms"]]
    lx = [t for t in success if "LX" in t["typical"]]
    ys = [t for t in failure if "YS" in t["typical"]]
    assert lx and ys
    assert not any("LX" in t["typical"] for t in failure) and not any("YS" in t["typical"] for t in success)
    for t in lx + ys:
        assert t["fit"]["inclS"] >= 0.8 and t["fit"]["covS"] > 0.2
    quotes = [q for t in lx for qs in t["quotes"]["LX"].values() for q in qs]
    assert quotes and all(q["doc_id"].startswith("LX_") for q in quotes)
    assert any(q["speaker"] for q in quotes)                    # interview quotes name their speaker
    quotes = [q for t in ys for qs in t["quotes"]["YS"].values() for q in qs]
    assert quotes and all(q["doc_id"].startswith("YS_") and q["polarity"] == -1 for q in quotes)


def test_report_describes_the_paths_in_words(study):
    html = (study / "report" / "report.html").read_text(encoding="utf-8")
    overview = html[html.find('id="overview"'):html.find('id="corpus"')]
    gen = overview[overview.find("生成逻辑"):overview.find("困境模式")]
    dil = overview[overview.find("困境模式"):]
    assert "L县" in gen and "Y市" in dil
    assert re.search(r"一致性 0\.[89]\d\d，原始覆盖度 0\.\d{3}", gen)
    assert "consistency" in gen and "raw coverage" in gen
    failed = html[html.find('id="failed"'):html.find('id="robustness"')]
    assert "Y市" in failed and "优化路径" in failed
