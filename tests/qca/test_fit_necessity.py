"""pof, necessity and super_subset against the R references."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from textqca.qca import necessity, pof, super_subset


def _data(shared_dir, name):
    return pd.read_csv(shared_dir / "qca-data" / f"{name}.csv", dtype={"case": str}).set_index("case")


def test_pof_sufficiency_matches_term_fit(shared_dir, refs_dir):
    ref = json.loads((refs_dir / "refs" / "LF_SURV_pars_08.json").read_text())
    lf = _data(shared_dir, "LF")
    cond = ["DEV", "URB", "LIT", "IND", "STB"]
    for t in ref["minimize"]["solutions"][0]["term_fit"]:
        got = pof(t["term"], lf, "SURV", cond, relation="sufficiency")[0]
        assert got["inclS"] == pytest.approx(t["inclS"], abs=1e-9)
        assert got["covS"] == pytest.approx(t["covS"], abs=1e-9)
    model = pof(ref["minimize"]["solutions"][0]["expression"], lf, "SURV", cond, relation="sufficiency")[0]
    assert model["inclS"] == pytest.approx(ref["minimize"]["solutions"][0]["inclS"], abs=1e-9)


def test_necessity_multivalue_levels(shared_dir, refs_dir):
    ref = json.loads((refs_dir / "refs" / "LM_SURV_pars.json").read_text())
    got = {n["condition"]: n for n in necessity(_data(shared_dir, "LM"), "SURV", ["DEV", "URB", "LIT", "IND", "STB"])}
    for r in ref["necessity"]:
        for key in ("inclN", "RoN", "covN"):
            assert got[r["condition"]][key] == pytest.approx(r[key], abs=1e-9)


def test_super_subset_finds_necessary_disjunction(shared_dir):
    lc = _data(shared_dir, "LC")
    res = super_subset(lc, "SURV", ["DEV", "URB", "LIT", "IND", "STB"], incl_cut=1)
    exprs = [r["expression"] for r in res]
    assert "DEV" in exprs and "STB" in exprs  # every surviving democracy is developed and stable
    assert all(r["inclN"] >= 1 - 1e-9 for r in res)
    assert not any("DEV" in e and e != "DEV" for e in exprs)  # supersets of DEV are not listed
