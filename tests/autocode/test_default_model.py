"""`textqca code` without --model: the default model, trained on first use and cached."""

from __future__ import annotations

import shutil

import pandas as pd

from textqca.autocode import code_passages_file


def test_default_model_is_trained_once_and_cached(tmp_path, repo_dir, monkeypatch, caplog):
    import logging

    import textqca.autocode as autocode

    monkeypatch.setenv("TEXTQCA_CACHE", str(tmp_path / "cache"))
    full = autocode._bundled_training

    def small(codebook):  # keep the test fast: a fifth of the packaged training passages
        t = full(codebook)
        keep = set(list(dict.fromkeys(t["passage_id"]))[::5])
        return t[t["passage_id"].isin(keep)]

    monkeypatch.setattr(autocode, "_bundled_training", small)
    cbdir = tmp_path / "codebook"
    (cbdir / "annotations" / "round1" / "A").mkdir(parents=True)
    shutil.copy(repo_dir / "codebook" / "framework.yaml", cbdir / "framework.yaml")
    shutil.copy(repo_dir / "codebook" / "userdict.txt", cbdir / "userdict.txt")
    passages = pd.DataFrame({
        "passage_id": ["ZX_int01:00000001", "ZX_int01:00000002", "ZX_int01:00000003"],
        "role": ["respondent"] * 3,
        "text": ["民政和公安互相推诿，线索移送过去就没有下文了。",
                 "县里建立了联席会议制度，每个月开一次会，通报进展。",
                 "今年的雨水比往年多。"],
    })
    p = tmp_path / "passages.csv"
    passages.to_csv(p, index=False)
    (cbdir / "annotations" / "round1" / "A" / "ZX.csv").write_text(
        "passage_id,code,polarity,coder,round,memo\n"
        "ZX_int01:00000001,PRO.JOINT,-1,A,1,\n"
        "ZX_int01:00000001,PRO.INFO,-1,A,1,\n"
        "ZX_int01:00000002,ENV.INS.LINKAGE,1,A,1,\n"
        "ZX_int01:00000002,PRO.INFO,1,A,1,\n"
        "ZX_int01:00000003,NONE,,A,1,\n",
        encoding="utf-8",
    )
    caplog.set_level(logging.INFO, logger="textqca")
    out = code_passages_file(passages=p, output=tmp_path / "c.csv", codebook=cbdir / "framework.yaml")
    assert "training the default model" in caplog.text
    models = list((tmp_path / "cache" / "models").glob("*/manifest.json"))
    assert len(models) == 1
    df = pd.read_csv(out)
    assert set(df.columns) == {"passage_id", "code", "polarity", "confidence", "method", "evidence", "start", "end"}
    joint = df[(df.passage_id == "ZX_int01:00000001") & (df.code == "PRO.JOINT")]
    assert len(joint) == 1 and joint.iloc[0].polarity == -1
    caplog.clear()
    code_passages_file(passages=p, output=tmp_path / "c2.csv", codebook=cbdir / "framework.yaml")
    assert "training the default model" not in caplog.text  # cached by content hash
    assert pd.read_csv(tmp_path / "c2.csv").equals(df)
    # a change in the human coding retrains
    with open(cbdir / "annotations" / "round1" / "A" / "ZX.csv", "a", encoding="utf-8") as fh:
        fh.write("ZX_int01:00000003,MOT.PRESS,1,A,1,\n")
    code_passages_file(passages=p, output=tmp_path / "c3.csv", codebook=cbdir / "framework.yaml")
    assert len(list((tmp_path / "cache" / "models").glob("*/manifest.json"))) == 2
