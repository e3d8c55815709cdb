"""Agreement statistics between two codings (inter-coder reliability, auto-coder evaluation)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from textqca.cli import main
from textqca.errors import AnnotationError
from textqca.reliability import _fast_stats, agreement_files, agreement_rounds, compare, cohen_kappa, krippendorff_alpha

HEADER = "passage_id,code,polarity,coder,round,memo\n"
# two coders on six interview passages of case LX
CODER_A = HEADER + (
    "LX_int01:0001,ENV.CUL.TRUST,-1,A,1,信用社不放心\n"
    "LX_int01:0001,PRO.INFO,1,A,1,\n"
    "LX_int01:0002,ENV.INS.LINKAGE,1,A,1,联席会议\n"
    "LX_int01:0003,NONE,,A,1,\n"
    "LX_int01:0004,PRO.JOINT,-1,A,1,推诿扯皮\n"
    "LX_int01:0005,MOT.LEAD,1,A,1,\n"
    "LX_int01:0006,NONE,,A,1,\n"
)
CODER_B = HEADER.replace("\n", "") + "\n" + (
    "LX_int01:0001,ENV.CUL.TRUST,-1,B,1,\n"
    "LX_int01:0002,ENV.INS.LINKAGE,1,B,1,\n"
    "LX_int01:0002,PRO.JOINT,1,B,1,\n"
    "LX_int01:0003,NONE,,B,1,\n"
    "LX_int01:0004,PRO.JOINT,1,B,1,极性不同\n"
    "LX_int01:0005,MOT.LEAD,1,B,1,\n"
    "LX_int01:0006,NONE,,B,1,\n"
    "LX_int01:0099,PRO.COST,-1,B,1,只有B看过\n"
)


@pytest.fixture()
def files(tmp_path):
    root = tmp_path / "annotations" / "round1"
    (root / "A").mkdir(parents=True)
    (root / "B").mkdir()
    a, b = root / "A" / "LX.csv", root / "B" / "LX.csv"
    a.write_text(CODER_A, encoding="utf-8")
    b.write_text(CODER_B, encoding="utf-8")
    return a, b


def test_agreement_between_two_coders(files, repo_dir):
    a, b = files
    rep = agreement_files(a, b, codebook=repo_dir / "codebook" / "framework.yaml", n_boot=200)
    o = rep["overall"]
    assert o["n_passages"] == 6  # LX_int01:0099 was examined by B only
    assert o["n_codings_a"] == 5 and o["n_codings_b"] == 5
    per = {c["code"]: c for c in rep["per_code"]}
    assert per["ENV.CUL.TRUST"]["kappa"] == 1.0 and per["ENV.CUL.TRUST"]["alpha"] == 1.0
    assert per["PRO.INFO"]["n_a"] == 1 and per["PRO.INFO"]["n_b"] == 0 and per["PRO.INFO"]["recall"] == 0.0
    assert per["PRO.JOINT"]["polarity_accuracy"] == 0.0
    assert per["PRO.COST"]["kappa"] is None  # nobody used it on the common passages
    assert o["polarity_accuracy"] == pytest.approx(3 / 4, abs=1e-4)
    assert o["precision"] == pytest.approx(4 / 5, abs=1e-4) and o["recall"] == pytest.approx(4 / 5, abs=1e-4)
    assert any(c["code_a"] == "PRO.JOINT (polarity)" for c in rep["confusion"])
    lo, hi = o["f1_ci"]
    assert lo <= o["f1"] <= hi


def test_kappa_and_alpha_match_the_libraries():
    rng = np.random.default_rng(7)
    for values in ([0, 1], [-1, 0, 1]):
        a = rng.choice(values, 80)
        b = np.where(rng.random(80) < 0.75, a, rng.choice(values, 80))
        assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))
        import krippendorff

        ref = krippendorff.alpha(reliability_data=np.vstack([a, b]).astype(float), level_of_measurement="nominal")
        assert krippendorff_alpha(a, b) == pytest.approx(ref)
        f1, k, al = _fast_stats(a[None, :], b[None, :])
        assert k[0] == pytest.approx(cohen_kappa_score(a, b)) and al[0] == pytest.approx(ref)


def test_perfect_and_chance_agreement():
    a = pd.DataFrame({"passage_id": ["p1", "p2", "p3", "p4"], "code": ["PRO.INFO", "NONE", "PRO.INFO", "NONE"], "polarity": [1, 0, -1, 0]})
    rep = compare(a, a, codes=["PRO.INFO", "PRO.JOINT"], n_boot=50)
    assert rep["overall"]["kappa"] == 1.0 and rep["overall"]["f1"] == 1.0 and rep["overall"]["polarity_accuracy"] == 1.0
    other = pd.DataFrame({"passage_id": ["x"], "code": ["NONE"], "polarity": [0]})
    with pytest.raises(AnnotationError, match="no passage in common"):
        compare(a, other, codes=["PRO.INFO"])


def test_rounds_and_cli(files, tmp_path, repo_dir, capsys):
    a, b = files
    cb = str(repo_dir / "codebook" / "framework.yaml")
    out = tmp_path / "rel.json"
    agreement_rounds(annotations=tmp_path / "annotations", codebook=cb, output=out, n_boot=100)
    rep = json.loads(out.read_text(encoding="utf-8"))
    assert rep["rounds"][0]["coders"] == ["A", "B"] and rep["rounds"][0]["pairs"][0]["overall"]["n_passages"] == 6
    assert main(["reliability", str(a), str(b), "--codebook", cb, "--n-boot", "100"]) == 0
    text = capsys.readouterr().out
    assert "kappa" in text and "ENV.CUL.TRUST" in text


def test_reliability_cli_unknown_code(tmp_path, repo_dir, capsys):
    p = tmp_path / "A.csv"
    p.write_text(HEADER + "LX_int01:0001,ENV.CUL.TRUSTT,-1,A,1,\n", encoding="utf-8")
    cb = str(repo_dir / "codebook" / "framework.yaml")
    assert main(["reliability", str(p), str(p), "--codebook", cb]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "code 'ENV.CUL.TRUSTT' does not exist" in err and ":line 2:" in err
