"""User errors give one line naming the problem, through the library and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from textqca.cli import main
from textqca.errors import QCAError
from textqca.qca import minimize, run_spec, truth_table


def _lc(shared_dir: Path) -> pd.DataFrame:
    return pd.read_csv(shared_dir / "qca-data" / "LC.csv", dtype={"case": str}).set_index("case")


COND = ["DEV", "URB", "LIT", "IND", "STB"]


def _one_line(exc: pytest.ExceptionInfo) -> str:
    msg = str(exc.value)
    assert "\n" not in msg
    return msg


def test_missing_values(shared_dir):
    df = _lc(shared_dir)
    df.loc["FI", "URB"] = float("nan")
    with pytest.raises(QCAError) as e:
        truth_table(df, "SURV", COND)
    msg = _one_line(e)
    assert "Missing values" in msg and "URB" in msg and "FI" in msg


def test_text_condition_column(shared_dir):
    df = _lc(shared_dir).astype({"LIT": object})
    df.loc["FI", "LIT"] = "高"
    with pytest.raises(QCAError) as e:
        truth_table(df, "SURV", COND)
    assert "LIT" in _one_line(e) and "text" in str(e.value)


def test_outcome_not_in_data(shared_dir):
    with pytest.raises(QCAError) as e:
        truth_table(_lc(shared_dir), "DEMOCRACY", COND)
    assert "DEMOCRACY" in _one_line(e)


def test_incl_cut_above_one(shared_dir):
    with pytest.raises(QCAError) as e:
        truth_table(_lc(shared_dir), "SURV", COND, incl_cut=1.2)
    assert "incl_cut" in _one_line(e)


def test_dir_exp_for_unknown_condition(shared_dir):
    tt = truth_table(_lc(shared_dir), "SURV", COND)
    with pytest.raises(QCAError) as e:
        minimize(tt, include="?", dir_exp=["DEV", "GDP"])
    assert "GDP" in _one_line(e)


@pytest.mark.parametrize(
    "outcome, message",
    [(0, "None of the values in OUT is explained"),  # no positive row
     (1, "All truth table configurations are used")],  # no negative row for the parsimonious
)
def test_outcome_without_positive_or_negative_rows(shared_dir, outcome, message):
    df = _lc(shared_dir)
    df["SURV"] = outcome
    tt = truth_table(df, "SURV", COND)
    with pytest.raises(QCAError) as e:
        minimize(tt, include="?")
    assert message in _one_line(e)


def test_no_row_reaches_n_cut(shared_dir):
    with pytest.raises(QCAError) as e:
        truth_table(_lc(shared_dir), "SURV", COND, n_cut=50)
    assert "no configurations" in _one_line(e).lower()


@pytest.mark.parametrize(
    "change, expect",
    [
        ({"outcome": "NOPE"}, "NOPE"),
        ({"incl_cut": 1.5}, "incl_cut"),
        ({"include": "?", "dir_exp": ["DEV", "XYZ"]}, "XYZ"),
        ({"conditions": ["DEV", "URB", "LIT", "IND", "STB", "GDP"]}, "GDP"),
        ({"include": "?", "dir_exp": ["1", "0"]}, "dir_exp has 2 entries for 5 conditions"),
        ({"row_dom": "maybe"}, "row_dom must be true or false"),
        ({"all_sol": 2}, "all_sol must be true or false"),
    ],
)
def test_cli_one_line_exit_1_no_output(tmp_path, shared_dir, capsys, change, expect):
    spec = {"data": "shared/qca-data/LC.csv", "outcome": "SURV", "conditions": COND, "incl_cut": 1, "include": "?"}
    spec.update(change)
    sp = tmp_path / "spec.json"
    sp.write_text(json.dumps(spec))
    out = tmp_path / "out" / "res.json"
    rc = main(["qca", str(sp), "-o", str(out), "--data-root", str(shared_dir.parent)])
    err = capsys.readouterr().err
    assert rc == 1
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and expect in err
    assert not out.exists()
    assert not list(tmp_path.glob("out/*"))


@pytest.mark.parametrize(
    "table, expect",
    [("case,A,B,Y\nc1,1,0,1\nc1,0,1,0\nc3,1,1,1\n", "case 'c1' appears more than once"),
     ("A,B,Y\n1,0,1\n0,1,0\n", "the first column, 'A', is read as the case names")],
)
def test_case_names_must_be_unique_and_are_the_first_column(tmp_path, table, expect):
    data = tmp_path / "d.csv"
    data.write_text(table, encoding="utf-8")
    with pytest.raises(QCAError) as e:
        run_spec({"data": str(data), "outcome": "Y", "conditions": ["A", "B"], "include": "?"})
    assert expect in _one_line(e)


def test_cli_output_is_never_the_spec_or_the_data(tmp_path, shared_dir, capsys):
    sp = tmp_path / "spec.json"
    sp.write_text(json.dumps({"data": "shared/qca-data/LC.csv", "outcome": "SURV", "conditions": COND, "include": "?"}))
    before = sp.read_bytes()
    assert main(["qca", str(sp), "-o", str(sp), "--data-root", str(shared_dir.parent)]) == 1
    assert "-o names the spec itself" in capsys.readouterr().err and sp.read_bytes() == before
    data = tmp_path / "shared" / "qca-data" / "LC.csv"
    data.parent.mkdir(parents=True)
    data.write_bytes((shared_dir / "qca-data" / "LC.csv").read_bytes())
    assert main(["qca", str(sp), "-o", str(data), "--data-root", str(tmp_path)]) == 1
    assert "-o names the data itself" in capsys.readouterr().err
    assert data.read_bytes() == (shared_dir / "qca-data" / "LC.csv").read_bytes()


def test_cli_missing_data_file(tmp_path, capsys):
    sp = tmp_path / "spec.yaml"
    sp.write_text("data: nowhere.csv\noutcome: Y\nconditions: [A, B]\n")
    rc = main(["qca", str(sp), "-o", str(tmp_path / "r.json"), "--data-root", str(tmp_path)])
    err = capsys.readouterr().err
    assert rc == 1 and "nowhere.csv" in err and "not found" in err


def test_unknown_spec_key(shared_dir):
    with pytest.raises(QCAError) as e:
        run_spec({"data": "shared/qca-data/LC.csv", "outcome": "SURV", "conditions": COND, "incl.cut": 1},
                 data_root=shared_dir.parent)
    assert "incl.cut" in _one_line(e)


def test_fuzzy_half_memberships_warn(shared_dir):
    res = run_spec({"data": "shared/qca-data/d.CZH.csv", "outcome": "SA", "conditions": ["PA", "SC", "OI", "MC"],
                    "incl_cut": 0.8, "include": "?"}, data_root=shared_dir.parent)
    assert any("0.5" in w for w in res["warnings"])


@pytest.mark.parametrize("value", ["0", "-5"])
def test_cli_time_limit_must_be_positive(tmp_path, shared_dir, capsys, value):
    sp = tmp_path / "spec.json"
    sp.write_text(json.dumps({"data": "shared/qca-data/LC.csv", "outcome": "SURV", "conditions": COND}))
    out = tmp_path / "res.json"
    rc = main(["qca", str(sp), "-o", str(out), "--data-root", str(shared_dir.parent), "--time-limit", value])
    err = capsys.readouterr().err
    assert rc == 1 and len(err.strip().splitlines()) == 1 and "--time-limit" in err
    assert not out.exists()


@pytest.fixture
def unprovable(monkeypatch):
    """Every chart block goes through the MILP path, which cannot prove its minimum (bounds 3..5);
    returns the benchmark design of 10 conditions and the time limits the solver was given."""
    import sys

    from textqca.qca import _cover

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bench_qca import design

    seen = []

    def give_up(sub, *, max_rounds=12, milp_seconds=None):
        seen.append(milp_seconds)
        raise _cover.MinimumUnproven(3, 5)

    monkeypatch.setattr(_cover, "_lp_reduce", give_up)
    monkeypatch.setattr(_cover, "_LP_MIN_BLOCK", 1)
    df, _ = design(10)
    return df, seen


def test_time_limit_reaches_the_solver_and_its_error(unprovable):
    """An unprovable minimum is one line giving its bounds and the time allowed."""
    df, seen = unprovable
    tt = truth_table(df, "Y", [c for c in df.columns if c != "Y"], incl_cut=1)
    with pytest.raises(QCAError) as exc:
        minimize(tt, include="", time_limit=7)
    msg = _one_line(exc)
    assert "within 7 s" in msg and "between 3 and 5" in msg and "--time-limit" in msg
    assert seen == [7.0]


@pytest.mark.parametrize("value", [0, -1, "30", True])
def test_spec_time_limit_must_be_positive_seconds(shared_dir, value):
    with pytest.raises(QCAError) as e:
        run_spec({"data": "shared/qca-data/LC.csv", "outcome": "SURV", "conditions": COND, "time_limit": value},
                 data_root=shared_dir.parent)
    assert "time_limit" in _one_line(e)


def test_minimize_time_limit_must_be_positive_seconds(shared_dir):
    tt = truth_table(_lc(shared_dir), "SURV", COND)
    with pytest.raises(QCAError) as e:
        minimize(tt, include="?", time_limit=0)
    assert "time_limit must be a positive number of seconds" in _one_line(e)


def test_spec_time_limit_reaches_the_solver_and_the_argument_overrides_it(unprovable):
    df, seen = unprovable
    spec = {"data": df, "outcome": "Y", "conditions": [c for c in df.columns if c != "Y"], "incl_cut": 1,
            "include": "", "time_limit": 12}
    with pytest.raises(QCAError) as exc:
        run_spec(spec)
    assert "within 12 s" in _one_line(exc)
    with pytest.raises(QCAError):
        run_spec(spec, time_limit=4)
    assert seen == [12.0, 4.0]


def test_too_many_irredundant_models_says_all_sol(shared_dir):
    # d.SA with all_sol: over 200,000 irredundant parsimonious models (found by a sweep of every data set)
    df = pd.read_csv(shared_dir / "qca-data" / "d.SA.csv", dtype={"case": str}).set_index("case")
    conds = [c for c in df.columns if c != "ACC"]
    with pytest.raises(QCAError) as exc:
        run_spec({"data": df, "outcome": "ACC", "conditions": conds, "include": "?", "all_sol": True})
    msg = _one_line(exc)
    assert "irredundant models (all_sol)" in msg and "without all_sol" in msg and "equally minimal" not in msg
