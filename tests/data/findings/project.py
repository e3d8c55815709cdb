"""Build a small findings project from this folder's fixture (6 cases of real Chinese passages).

Used by tests/casematrix, tests/analysis and tests/report: copies the fixture into a temp
folder laid out like a textqca project and runs the library steps the workflow runs
(case matrix -> findings -> report), with the repository's config and codebook.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]


def load_config(**changes: Any) -> dict[str, Any]:
    """The repository's config/config.yaml (schema defaults filled) with section updates applied."""
    from textqca.config import validate_config

    raw = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg = validate_config(raw, REPO / "workflow" / "schemas" / "config.schema.yaml")
    cfg = copy.deepcopy(cfg)
    for section, values in changes.items():
        cfg.setdefault(section, {}).update(values)
    return cfg


def make_project(dest: Path, *, cases: str | None = None, overrides: str | None = None) -> Path:
    """Copy the fixture into ``dest`` (passages and documents go to results/corpus as ingest writes them)."""
    (dest / "config").mkdir(parents=True, exist_ok=True)
    (dest / "codebook").mkdir(exist_ok=True)
    (dest / "results" / "corpus").mkdir(parents=True, exist_ok=True)
    (dest / "results" / "coding").mkdir(parents=True, exist_ok=True)
    (dest / "config" / "cases.tsv").write_text(cases if cases is not None else (HERE / "cases.tsv").read_text(encoding="utf-8"),
                                               encoding="utf-8")
    (dest / "codebook" / "overrides.tsv").write_text(
        overrides if overrides is not None else (HERE / "overrides.tsv").read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copy2(REPO / "codebook" / "framework.yaml", dest / "codebook" / "framework.yaml")
    shutil.copytree(HERE / "annotations", dest / "codebook" / "annotations", dirs_exist_ok=True)
    shutil.copy2(HERE / "passages.csv", dest / "results" / "corpus" / "passages.csv")
    shutil.copy2(HERE / "documents.csv", dest / "results" / "corpus" / "documents.csv")
    shutil.copy2(HERE / "codings.csv", dest / "results" / "coding" / "codings.csv")
    return dest


def run(dest: Path, cfg: dict[str, Any], *, robustness: bool = True, report: bool = True) -> Path:
    """Run case matrix, findings (and report) in ``dest``; returns the results folder."""
    import os

    from textqca.analysis import analysis_names, run_findings
    from textqca.casematrix import case_matrix_to_files
    from textqca.report import report_to_file

    old = os.getcwd()
    os.chdir(dest)
    try:
        r = Path("results")
        case_matrix_to_files(passages=str(r / "corpus" / "passages.csv"), codings=str(r / "coding" / "codings.csv"),
                             annotations="codebook/annotations", cases="config/cases.tsv",
                             codebook="codebook/framework.yaml", matrix=str(r / "casematrix" / "case_matrix.csv"),
                             evidence=str(r / "casematrix" / "case_evidence.csv"),
                             code_counts=str(r / "casematrix" / "code_counts.csv"), conditions=cfg["conditions"],
                             coding_source=cfg["coding"]["source"])
        run_findings(cfg, results=r, cases="config/cases.tsv", codebook="codebook/framework.yaml",
                     passages=r / "corpus" / "passages.csv", documents=r / "corpus" / "documents.csv",
                     robustness=robustness)
        if report:
            qca = cfg["qca"]
            rob = r / "robustness" / "robustness.json"
            report_to_file(
                findings=str(r / "findings" / "findings.json"), calibration=str(r / "qca" / "calibration.json"),
                memberships=str(r / "qca" / "memberships.csv"),
                results=[str(r / "qca" / "results" / f"{n}.json") for n in analysis_names(qca)],
                code_counts=str(r / "casematrix" / "code_counts.csv"),
                evidence=str(r / "casematrix" / "case_evidence.csv"), documents=str(r / "corpus" / "documents.csv"),
                passages=str(r / "corpus" / "passages.csv"), two_step=str(r / "qca" / "two_step.json"),
                robustness=str(rob) if rob.is_file() else None, codebook="codebook/framework.yaml",
                settings={k: cfg[k] for k in ("conditions", "qca")}, report=cfg["report"],
                html=str(r / "report" / "report.html"), figures=str(r / "report" / "figures"),
                tables=str(r / "report" / "tables"))
    finally:
        os.chdir(old)
    return dest / "results"
