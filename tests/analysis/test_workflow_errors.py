"""A new user's mistakes stop `snakemake` before any job runs, with one line naming what to fix."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"


@pytest.fixture()
def project(tmp_path) -> Path:
    shutil.copy2(REPO / "Snakefile", tmp_path / "Snakefile")
    shutil.copytree(REPO / "workflow", tmp_path / "workflow", ignore=shutil.ignore_patterns("__pycache__", "src"))
    (tmp_path / "codebook").mkdir()
    shutil.copy2(REPO / "codebook" / "framework.yaml", tmp_path / "codebook" / "framework.yaml")
    shutil.copytree(DATA / "mini" / "corpus", tmp_path / "corpus")
    (tmp_path / "config").mkdir()
    shutil.copy2(DATA / "findings" / "cases.tsv", tmp_path / "config" / "cases.tsv")
    shutil.copy2(REPO / "config" / "config.yaml", tmp_path / "config" / "config.yaml")
    return tmp_path


def _edit(project: Path, change) -> None:
    path = project / "config" / "config.yaml"
    cfg = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(cfg)
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")


def _dry_run(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "snakemake", "-n", "--cores", "1", "--directory", str(project)],
                          cwd=project, capture_output=True, text=True, timeout=300)


def _error_line(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode != 0, proc.stdout[-2000:]
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("textqca: error:")]
    assert len(lines) == 1, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    return lines[0]


def test_condition_from_unknown_code(project):
    _edit(project, lambda c: c["conditions"]["define"].update({"ENV_TEC": {"codes": ["ENV.TEC.PLATFROM"]}}))
    line = _error_line(_dry_run(project))
    assert "ENV.TEC.PLATFROM" in line and "conditions.define.ENV_TEC.codes" in line


def test_anchors_out_of_order(project):
    _edit(project, lambda c: c["calibration"].update({"anchors": [0.5, 0.0, -0.5]}))
    line = _error_line(_dry_run(project))
    assert "out of order" in line and "calibration.anchors" in line


def test_override_for_unknown_case(project):
    (project / "codebook" / "overrides.tsv").write_text(
        "case_id\tcondition\tmembership\treason\nLX\tMOT\t1\t访谈充分\nQQ\tMOT\t0\t笔误\n", encoding="utf-8")
    line = _error_line(_dry_run(project))
    assert "overrides.tsv:line 3" in line and "'QQ'" in line


def test_fewer_than_three_cases(project):
    rows = (project / "config" / "cases.tsv").read_text(encoding="utf-8").splitlines()
    (project / "config" / "cases.tsv").write_text("\n".join(rows[:3]) + "\n", encoding="utf-8")
    for case in ("SS", "GQ"):  # the study now has two cases only (LX, YS)
        shutil.rmtree(project / "corpus" / case)
    line = _error_line(_dry_run(project))
    assert "at least 3 cases" in line
