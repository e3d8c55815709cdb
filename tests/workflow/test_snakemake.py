"""End-to-end: the real Snakefile on the mini corpus in a temporary copy of the project.

As the Snakemake catalogue workflows test themselves: lint, dry run, real run, report.
Then a researcher's mistakes: each must stop the run with one line and no partial result.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

pytestmark = pytest.mark.slow

MINI = Path(__file__).resolve().parents[1] / "data" / "mini"


def _snakemake(project: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "snakemake", "--cores", "2", "--directory", str(project), *args]
    proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True, timeout=1200)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-6000:]}")
    return proc


def _copy_project(repo: Path, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("Snakefile", "workflow", "codebook"):
        src = repo / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "src"))
        else:
            shutil.copy2(src, dest / name)
    shutil.copytree(MINI / "corpus", dest / "corpus")
    (dest / "config").mkdir()
    shutil.copy2(MINI / "cases.tsv", dest / "config" / "cases.tsv")
    shutil.copy2(repo / "config" / "config.yaml", dest / "config" / "config.yaml")
    return dest


@pytest.fixture(scope="module")
def project(repo_dir, tmp_path_factory) -> Path:
    proj = _copy_project(repo_dir, tmp_path_factory.mktemp("project"))
    _snakemake(proj, "--lint")
    dry = _snakemake(proj, "--dry-run")
    assert "ingest" in dry.stdout
    _snakemake(proj)
    return proj


def test_full_run_codes_the_mini_corpus(project):
    passages = pd.read_parquet(project / "results" / "corpus" / "passages.parquet")
    assert set(passages["case_id"]) == {"LX", "YS", "SS", "GQ"}
    # offsets point into the canonical text
    for row in passages.itertuples():
        canon = (project / "results" / "corpus" / "canonical" / f"{row.doc_id}.txt").read_text(encoding="utf-8")
        assert canon[row.start:row.end] == row.text
    codings = pd.read_csv(project / "results" / "coding" / "codings.csv")
    assert set(codings["passage_id"]) <= set(passages["passage_id"])
    # the City Y respondent says information is not shared: PRO.INFO at -1 on that passage
    ys = passages[passages["text"].str.contains("信息基本不共享")]["passage_id"]
    hit = codings[codings["passage_id"].isin(ys) & (codings["code"] == "PRO.INFO")]
    assert not hit.empty and (hit["polarity"] == -1).all()


def test_report(project):
    _snakemake(project, "--report", "report.zip")
    assert (project / "report.zip").stat().st_size > 10_000


def test_rerun_is_up_to_date(project):
    dry = _snakemake(project, "--dry-run")
    assert "Nothing to be done" in dry.stdout + dry.stderr


def _fresh(repo_dir, tmp_path) -> Path:
    return _copy_project(repo_dir, tmp_path / "p")


def _assert_one_line_failure(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode != 0
    err = proc.stderr.strip()
    assert "Traceback" not in err and 'File "' not in err, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_misspelt_config_key(repo_dir, tmp_path):
    proj = _fresh(repo_dir, tmp_path)
    cfg = yaml.safe_load((proj / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg["corpus"]["max_char"] = cfg["corpus"].pop("max_chars")
    (proj / "config" / "config.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    proc = _snakemake(proj, check=False)
    _assert_one_line_failure(proc, "corpus.max_char")
    assert not (proj / "results").exists()


def test_codebook_syntax_error(repo_dir, tmp_path):
    proj = _fresh(repo_dir, tmp_path)
    path = proj / "codebook" / "framework.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - id: [unclosed\n", encoding="utf-8")
    proc = _snakemake(proj, check=False)
    _assert_one_line_failure(proc, "framework.yaml")
    assert not (proj / "results").exists()


def test_missing_corpus_folder(repo_dir, tmp_path):
    proj = _fresh(repo_dir, tmp_path)
    shutil.rmtree(proj / "corpus")
    proc = _snakemake(proj, check=False)
    _assert_one_line_failure(proc, "corpus")
    assert not (proj / "results").exists()


def test_empty_corpus(repo_dir, tmp_path):
    proj = _fresh(repo_dir, tmp_path)
    shutil.rmtree(proj / "corpus")
    (proj / "corpus").mkdir()
    proc = _snakemake(proj, check=False)
    _assert_one_line_failure(proc, "empty")
    assert not (proj / "results").exists()


def test_corpus_file_listed_in_manifest_does_not_exist(repo_dir, tmp_path):
    proj = _fresh(repo_dir, tmp_path)
    (proj / "corpus" / "manifest.tsv").write_text(
        "doc_id\tcase_id\tdoc_type\tpath\tdate\tsource\n"
        "LX_int01\tLX\tinterview\tLX/interview/LX_int01.txt\t2019-05-14\t课题组\n"
        "LX_int09\tLX\tinterview\tLX/interview/LX_int09.txt\t2019-05-15\t课题组\n",
        encoding="utf-8",
    )
    proc = _snakemake(proj, check=False)
    _assert_one_line_failure(proc, "LX_int09")
    assert not (proj / "results" / "corpus" / "passages.parquet").exists()
