"""Every findings step by hand: textqca casematrix -> findings -> report, and one-line CLI errors."""

from __future__ import annotations

import yaml

from textqca.cli import main


def _project(fp, tmp_path):
    proj = fp.make_project(tmp_path)
    cfg = yaml.safe_load((fp.REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg["robustness"].update({"crossover_shift": [0.0], "incl_cut": [0.8], "n_cut": [1], "resamples": 3})
    (proj / "config" / "config.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return proj


def test_casematrix_findings_report_by_hand(fp, tmp_path, monkeypatch, capsys):
    proj = _project(fp, tmp_path)
    monkeypatch.chdir(proj)
    pas = "results/corpus/passages.csv"
    assert main(["casematrix", "--passages", pas]) == 0
    assert "ENV_CUL" in capsys.readouterr().out
    assert main(["findings", "--passages", pas]) == 0
    out = capsys.readouterr().out
    assert out.startswith("outcome: ") and "negation: " in out
    assert main(["report", "--passages", pas]) == 0
    html = (proj / "results" / "report" / "report.html").read_text(encoding="utf-8")
    assert "生成逻辑" in html and "L县" in html
    assert (proj / "results" / "robustness" / "robustness.csv").is_file()
    assert any((proj / "results" / "report" / "figures").glob("xy_*.svg"))


def test_cli_error_is_one_line(fp, tmp_path, monkeypatch, capsys):
    proj = _project(fp, tmp_path)
    monkeypatch.chdir(proj)
    (proj / "codebook" / "overrides.tsv").write_text("case_id\tcondition\tmembership\treason\nZZ\tMOT\t1\t笔误\n",
                                                     encoding="utf-8")
    assert main(["casematrix", "--passages", "results/corpus/passages.csv"]) == 0
    capsys.readouterr()
    assert main(["findings", "--passages", "results/corpus/passages.csv"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "overrides.tsv:line 2" in err and "'ZZ'" in err
