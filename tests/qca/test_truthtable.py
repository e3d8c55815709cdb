"""Truth-table coding rules (README of the references, section 1)."""

from __future__ import annotations

import pytest
import pandas as pd

from textqca.qca import minimize, truth_table

COND = ["DEV", "URB", "LIT", "IND", "STB"]


def _data(shared_dir, name):
    return pd.read_csv(shared_dir / "qca-data" / f"{name}.csv", dtype={"case": str}).set_index("case")


def test_pri_cut_codes_zero_never_contradiction(shared_dir):
    cvf = _data(shared_dir, "CVF")
    cond = ["DEMOC", "ETHFRACT", "GEOCON", "POLDIS", "NATPRIDE"]
    tt = truth_table(cvf, "PROTEST", cond, incl_cut=[0.8, 0.6], pri_cut=0.7)
    for out, inc, pri in zip(tt.out, tt.incl, tt.pri):
        if inc >= 0.8 and pri < 0.7:
            assert out == "0"
        if out == "C":
            assert 0.6 <= inc < 0.8


def test_excluded_remainder_is_not_a_simplifying_assumption(shared_dir):
    lc = _data(shared_dir, "LC")
    tt = truth_table(lc, "SURV", COND)
    sa = minimize(tt, include="?").simplifying_assumptions()["M1"]
    assert sa
    tt2 = truth_table(lc, "SURV", COND, exclude=[sa[0]])
    sol2 = minimize(tt2, include="?")
    for m in sol2.models:
        assert sa[0] not in sol2.simplifying_assumptions()[m.name]


def test_case_with_half_membership_is_in_no_row_but_counts_in_incl():
    df = pd.DataFrame({"A": [0.9, 0.5, 0.2], "Y": [0.8, 0.9, 0.1]}, index=["L县", "Y市", "W区"])
    tt = truth_table(df, "Y", ["A"], incl_cut=0.8)
    assert sorted(sum(tt.cases, [])) == ["L县", "W区"]
    row1 = list(tt.index).index(2)
    # incl of row A=1 uses all three cases: min(x, y) / x summed
    assert tt.incl[row1] == pytest.approx((0.8 + 0.5 + 0.1) / (0.9 + 0.5 + 0.2), abs=1e-12)
    assert tt.warnings


def test_case_column_and_negated_outcome(shared_dir):
    lc = _data(shared_dir, "LC").reset_index()
    tt = truth_table(lc, "~SURV", COND)
    assert "GR" in sum(tt.cases, [])
    assert set(tt.out[tt.incl == 1]) == {"1"}


def test_chinese_condition_names_in_terms_and_directional_expectations():
    """Researchers name conditions in Chinese: 信任 and ~信任 are literals like DEV and ~DEV."""
    from textqca.qca import run_spec
    from textqca.qca.notation import parse_term

    df = pd.DataFrame({"信任": [0.9, 0.2, 0.8, 0.3], "平台": [0.8, 0.3, 0.2, 0.9], "领导": [0.7, 0.6, 0.9, 0.2],
                       "成效": [0.9, 0.1, 0.7, 0.4]}, index=["L县", "Y市", "A县", "B县"])
    res = run_spec({"data": df, "outcome": "成效", "conditions": ["信任", "平台", "领导"], "incl_cut": 0.8,
                    "include": "?", "dir_exp": ["信任", "~平台", "领导"]})
    assert res["minimize"]["dir_exp"] == ["信任", "~平台", "领导"]
    assert [p["terms"] for p in res["minimize"]["parsimonious"]] == [["信任"]]
    assert parse_term("信任*~平台", ["信任", "平台", "领导"], [2, 2, 2]) == (2, 1, 0)
    assert [r["cases"] for r in res["truth_table"]["rows"] if r["OUT"] == "1"] == [["A县"], ["L县"]]
