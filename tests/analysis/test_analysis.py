"""Calibration with overrides, the QCA runs, two-step, robustness and findings on the fixture study."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from textqca.analysis import (
    calibrate_memberships,
    check_setup,
    grid_points,
    make_specs,
    parse_term,
    read_overrides,
    term_membership,
)
from textqca.casematrix import parse_conditions, read_cases
from textqca.errors import CalibrationError, ConfigError, QCAError


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- end to end

def test_generative_logic_covers_county_l_and_dilemma_covers_city_y(analysed):
    _, res, _ = analysed
    f = _load(res / "findings" / "findings.json")
    main = {p["side"]: p for p in f["paths"] if p["solution"] == "intermediate"}
    out_terms = [t for m in main["outcome"]["models"] for t in m["terms"]]
    neg_terms = [t for m in main["negation"]["models"] for t in m["terms"]]
    assert any("LX" in t["typical"] for t in out_terms)
    assert any("YS" in t["typical"] for t in neg_terms)
    assert not any("YS" in t["typical"] for t in out_terms)
    # quotes for County L come from its own documents and support the literal's side
    term = next(t for t in out_terms if "LX" in t["typical"])
    for lit, present in parse_term(term["term"]):
        for q in term["quotes"]["LX"].get(lit, []):
            assert q["doc_id"].startswith("LX_")
            assert q["polarity"] == (1 if present else -1)
    assert any(term["quotes"]["LX"].values())
    assert term["fit"]["inclS"] >= 0.8 and 0 < term["fit"]["covS"] <= 1
    assert "一致" not in term["description_zh"] and term["description_en"].startswith("The combination of")


def test_failed_cases_map_to_optimisation_paths(analysed):
    _, res, _ = analysed
    f = _load(res / "findings" / "findings.json")
    failed = {c["case_id"]: c for c in f["failed_cases"]}
    assert set(failed) == {"YS", "GQ", "MX"}
    ys = failed["YS"]
    missing = {c["condition"] for c in ys["conditions"] if c["status"] == "missing"}
    assert {"ENV_CUL", "MOT", "PRO"} <= missing
    paths = {p["id"] for p in ys["paths"]}
    assert {"public_rationality", "horizontal_incentives", "higher_level_support"} <= paths
    # G区 has a platform (present) but deficient process: platform is not among its missing conditions
    gq = {c["condition"]: c for c in failed["GQ"]["conditions"]}
    assert "ENV_TEC" not in gq or gq["ENV_TEC"]["status"] != "missing"
    assert any(q["polarity"] == -1 for c in ys["conditions"] for q in c["quotes"])


def test_result_files_have_the_engine_structure(analysed, fp):
    _, res, cfg = analysed
    for side in ("outcome", "negation"):
        for sol in ("complex", "parsimonious", "intermediate"):
            r = _load(res / "qca" / "results" / f"{side}_{sol}.json")
            assert r["spec"]["outcome"] == ("~OUT" if side == "negation" else "OUT")
            assert r["truth_table"]["rows"] and r["minimize"]["solutions"]
            assert r["minimize"]["solution_type"] == sol
    spec = _load(res / "qca" / "specs" / "negation_intermediate.json")
    assert spec["dir_exp"] == ["0"] * 5          # favourable conditions expected absent for failure
    assert _load(res / "qca" / "specs" / "outcome_intermediate.json")["dir_exp"] == ["1"] * 5


def test_overrides_are_applied_marked_and_never_written(analysed):
    proj, res, _ = analysed
    mem = pd.read_csv(res / "qca" / "memberships.csv", dtype={"case_id": str})
    row = mem[(mem["case_id"] == "HQ") & (mem["condition"] == "ENV_CUL")].iloc[0]
    assert bool(row["override"]) and row["membership"] == 0.6 and row["calibrated"] != 0.6
    assert "磨合" in row["reason"]
    data = pd.read_csv(res / "qca" / "qca_data.csv").set_index("case")
    assert data.loc["HQ", "ENV_CUL"] == 0.6
    before = hashlib.sha256((proj / "codebook" / "overrides.tsv").read_bytes()).hexdigest()
    assert "环保与城管磨合" in (proj / "codebook" / "overrides.tsv").read_text(encoding="utf-8")
    assert before == hashlib.sha256((proj / "codebook" / "overrides.tsv").read_bytes()).hexdigest()
    cal = _load(res / "qca" / "calibration.json")
    assert cal["overrides"][0]["case_id"] == "HQ"
    assert any("ENV_TEC" in w and "no coded passage" in w for w in cal["warnings"])


def test_two_step_finds_remote_contexts(analysed):
    _, res, _ = analysed
    ts = _load(res / "qca" / "two_step.json")
    assert ts["enabled"] and ts["contexts"]
    for ctx in ts["contexts"]:
        assert all(name.startswith("ENV_") for name, _ in parse_term(ctx))
    assert any(s["terms"] for s in ts["steps"])
    for s in ts["steps"]:
        for t in s["terms"]:
            assert f"({s['context']})" in t


def test_robustness_shares(analysed):
    _, res, cfg = analysed
    rob = _load(res / "robustness" / "robustness.json")
    assert rob["n_grid"] == len(grid_points(cfg["robustness"])) == 4
    assert rob["n_resample"] == 8
    assert len(rob["grid_runs"]) == 4 and {g["params"]["incl_cut"] for g in rob["grid_runs"]} == {0.75, 0.85}
    assert all(g["outcome"] and g["negation"] for g in rob["grid_runs"])
    for t in rob["terms"]:
        for k in ("grid_exact", "grid_related", "resample_exact", "resample_related"):
            assert 0 <= t[k] <= 1
        assert t["grid_related"] >= t["grid_exact"]
    table = pd.read_csv(res / "robustness" / "robustness.csv")
    assert set(table["side"]) == {"outcome", "negation"}


def test_resampling_is_reproducible(analysed, fp, tmp_path):
    from textqca.analysis import resample_to_file

    proj, res, cfg = analysed
    kw = dict(evidence=str(res / "casematrix" / "case_evidence.csv"), matrix=str(res / "casematrix" / "case_matrix.csv"),
              cases=str(proj / "config" / "cases.tsv"), conditions=cfg["conditions"], calibration={**cfg["calibration"],
              "overrides": ""}, outcome=cfg["outcome"], qca=cfg["qca"], solution="intermediate", resamples=5, seed=11)
    resample_to_file(result=str(tmp_path / "a.json"), **kw)
    resample_to_file(result=str(tmp_path / "b.json"), **kw)
    assert _load(tmp_path / "a.json") == _load(tmp_path / "b.json")


# ----------------------------------------------------------------------------- new-user mistakes

CASES = ["LX", "YS", "SS"]


def _ov(tmp_path, body):
    p = tmp_path / "overrides.tsv"
    p.write_text("case_id\tcondition\tmembership\treason\n" + body, encoding="utf-8")
    return p


def test_override_for_unknown_case(tmp_path):
    p = _ov(tmp_path, "LX\tMOT\t1\t访谈充分\nZZ\tMOT\t0.2\t笔误\n")
    with pytest.raises(CalibrationError) as exc:
        read_overrides(p, cases=CASES, conditions=["MOT"])
    msg = str(exc.value)
    assert "\n" not in msg and "overrides.tsv:line 3" in msg and "'ZZ'" in msg


@pytest.mark.parametrize("body,needle", [
    ("LX\tMOTT\t1\t理由\n", "unknown condition"),
    ("LX\tMOT\t1.5\t理由\n", "outside [0, 1]"),
    ("LX\tMOT\t1\t\n", "without a reason"),
    ("LX\tMOT\t1\t理由\nLX\tMOT\t0\t又一条\n", "second override"),
])
def test_override_mistakes(tmp_path, body, needle):
    with pytest.raises(CalibrationError, match=needle.replace("[", r"\[").replace("]", r"\]")):
        read_overrides(_ov(tmp_path, body), cases=CASES, conditions=["MOT"])


def test_override_aliases_of_the_calibrate_cli(tmp_path):
    p = tmp_path / "o.tsv"
    p.write_text("case\tcondition\tvalue\treason\nSS\tMOT\t0.8\t市长重视\n", encoding="utf-8")
    assert read_overrides(p, cases=CASES, conditions=["MOT"]).iloc[0]["membership"] == 0.8


def _matrix():
    return pd.DataFrame({"MOT": [1.0, -1.0, 0.2]}, index=pd.Index(CASES, name="case_id"))


def _cases(outcomes):
    return pd.DataFrame({"case_id": CASES, "outcome": outcomes, "name": CASES})


def test_anchors_out_of_order():
    conds = parse_conditions({"define": {"MOT": {"codes": ["MOT.LEAD"]}}})
    with pytest.raises(CalibrationError) as exc:
        calibrate_memberships(_matrix(), conditions=conds, calibration={"anchors": [0.5, 0.0, -0.5]},
                              outcome={"name": "OUT"}, case_table=_cases(["1", "0", "1"]))
    assert "out of order" in str(exc.value) and "calibration.anchors" in str(exc.value)


def test_memberships_follow_the_direct_method():
    conds = parse_conditions({"define": {"MOT": {"codes": ["MOT.LEAD"]}}})
    data, long, warnings = calibrate_memberships(_matrix(), conditions=conds,
                                                 calibration={"anchors": [-0.5, 0.0, 0.5]},
                                                 outcome={"name": "OUT"}, case_table=_cases(["1", "0", "0.4"]))
    assert data["MOT"].iloc[0] > 0.95 and data["MOT"].iloc[1] < 0.05 and 0.5 < data["MOT"].iloc[2] < 0.95
    assert list(data["OUT"]) == [1.0, 0.0, 0.4]
    # shifting the crossover (robustness) lowers a middling case
    shifted, _, _ = calibrate_memberships(_matrix(), conditions=conds, calibration={"anchors": [-0.5, 0.0, 0.5]},
                                          outcome={"name": "OUT"}, case_table=_cases(["1", "0", "0.4"]),
                                          crossover_shift=0.3)
    assert shifted["MOT"].iloc[2] < 0.5


def test_half_membership_is_warned():
    conds = parse_conditions({"define": {"MOT": {"codes": ["MOT.LEAD"]}}})
    m = _matrix()
    m.loc["SS", "MOT"] = 0.0
    _, long, warnings = calibrate_memberships(m, conditions=conds, calibration={"anchors": [-0.5, 0.0, 0.5]},
                                              outcome={"name": "OUT"}, case_table=_cases(["1", "0", "1"]))
    assert any("SS" in w and "0.5" in w for w in warnings)
    assert long.loc[(long["case_id"] == "SS") & (long["condition"] == "MOT"), "flag"].iloc[0] == "half"


def _setup_cfg(fp, **changes):
    return fp.load_config(**changes)


def test_check_setup_unknown_code(fp, tmp_path):
    proj = fp.make_project(tmp_path)
    cfg = _setup_cfg(fp)
    cfg["conditions"]["define"]["ENV_TEC"] = {"codes": ["ENV.TEC.PLATFROM"]}
    with pytest.raises(ConfigError) as exc:
        check_setup(cfg, cases=proj / "config" / "cases.tsv", codebook=proj / "codebook" / "framework.yaml")
    assert "ENV.TEC.PLATFROM" in str(exc.value) and "conditions.define.ENV_TEC.codes" in str(exc.value)


def test_check_setup_per_condition_anchors(fp, tmp_path):
    proj = fp.make_project(tmp_path)
    cfg = _setup_cfg(fp)
    cfg["conditions"]["define"]["MOT"]["anchors"] = [0.0, -0.5, 0.5]
    with pytest.raises(CalibrationError, match="conditions.define.MOT.anchors"):
        check_setup(cfg, cases=proj / "config" / "cases.tsv", codebook=proj / "codebook" / "framework.yaml")


def test_check_setup_fewer_than_three_cases(fp, tmp_path):
    cases = (fp.HERE / "cases.tsv").read_text(encoding="utf-8").splitlines()
    proj = fp.make_project(tmp_path, cases="\n".join(cases[:3]) + "\n", overrides="case_id\tcondition\tmembership\treason\n")
    with pytest.raises(QCAError) as exc:
        check_setup(_setup_cfg(fp), cases=proj / "config" / "cases.tsv", codebook=proj / "codebook" / "framework.yaml")
    assert "at least 3 cases" in str(exc.value) and "\n" not in str(exc.value)


def test_check_setup_override_for_unknown_case(fp, tmp_path):
    proj = fp.make_project(tmp_path, overrides="case_id\tcondition\tmembership\treason\nPX\tMOT\t1\t理由\n")
    cfg = _setup_cfg(fp)
    cfg["calibration"]["overrides"] = str(proj / "codebook" / "overrides.tsv")
    with pytest.raises(CalibrationError, match="unknown case 'PX'"):
        check_setup(cfg, cases=proj / "config" / "cases.tsv", codebook=proj / "codebook" / "framework.yaml")


def test_all_cases_with_the_same_outcome_is_a_labelled_warning(fp, tmp_path):
    cases = (fp.HERE / "cases.tsv").read_text(encoding="utf-8").replace("\t0\t失败", "\t1\t成功")
    proj = fp.make_project(tmp_path, cases=cases)
    cfg = fp.load_config(robustness={"enabled": False}, qca={"two_step": {"enabled": False}})
    warnings = check_setup(cfg, cases=proj / "config" / "cases.tsv", codebook=proj / "codebook" / "framework.yaml")
    assert warnings and "same outcome" in warnings[0]
    res = fp.run(proj, cfg, robustness=False)
    neg = _load(res / "qca" / "results" / "negation_intermediate.json")
    assert neg.get("error") and neg.get("skipped", "").startswith("no variation in the outcome")
    cal = _load(res / "qca" / "calibration.json")
    assert any("all 6 cases succeeded" in w for w in cal["warnings"])
    html = (res / "report" / "report.html").read_text(encoding="utf-8")
    assert 'id="warnings"' in html and "all 6 cases succeeded" in html and "已跳过 skipped" in html


# ----------------------------------------------------------------------------- small parts

def test_make_specs_and_terms():
    conds = parse_conditions({"define": {"A": {"codes": ["X.A"], "expected": "1"},
                                         "B": {"codes": ["X.B"], "expected": "-"}}})
    specs = make_specs(conditions=conds, outcome_name="OUT", qca={"incl_cut": 0.8}, data_path="d.csv")
    assert set(specs) == {f"{s}_{t}" for s in ("outcome", "negation") for t in ("complex", "parsimonious", "intermediate")}
    assert specs["negation_intermediate"]["dir_exp"] == ["0", "-"]
    assert specs["outcome_complex"]["include"] == "" and "dir_exp" not in specs["outcome_complex"]
    assert {s["time_limit"] for s in specs.values()} == {30.0}  # the config default
    assert make_specs(conditions=conds, outcome_name="OUT", qca={"time_limit": 300}, data_path="d.csv")[
        "outcome_complex"]["time_limit"] == 300.0
    df = pd.DataFrame({"A": [0.9, 0.2], "B": [0.3, 0.6]})
    assert list(term_membership(df, "A*~B")) == pytest.approx([0.7, 0.2])
    assert parse_term("A[1]*B[0]") == [("A", True), ("B", False)]


def test_grid_points_is_the_product():
    pts = grid_points({"crossover_shift": [0, 0.1], "anchor_scale": [1.0], "incl_cut": [0.75, 0.8, 0.9], "n_cut": [1, 2]})
    assert len(pts) == 12 and pts[0] == {"crossover_shift": 0, "anchor_scale": 1.0, "incl_cut": 0.75, "n_cut": 1}


def test_case_table_reader_rejects_duplicate_ids(tmp_path):
    p = tmp_path / "cases.tsv"
    p.write_text("case_id\tname\toutcome\nLX\tL县\t1\nLX\tL县\t0\n", encoding="utf-8")
    with pytest.raises(Exception, match="appears twice"):
        read_cases(p)


def test_check_setup_solution_not_computed(fp, tmp_path):
    proj = fp.make_project(tmp_path)
    cfg = _setup_cfg(fp, qca={"solutions": ["complex", "parsimonious"]})
    with pytest.raises(ConfigError, match="report.solution"):
        check_setup(cfg, cases=proj / "config" / "cases.tsv", codebook=proj / "codebook" / "framework.yaml")


def test_outcome_from_codings_and_crisp_conditions():
    conds = parse_conditions({"define": {"MOT": {"codes": ["MOT.LEAD"], "method": "crisp", "threshold": 0.1}}})
    raw_out = pd.Series({"LX": 0.8, "YS": -0.9})          # SS has no OUT.EFFECT coding
    data, long, warnings = calibrate_memberships(
        _matrix(), conditions=conds, calibration={"method": "fuzzy"},
        outcome={"name": "OUT", "source": "codings", "code": "OUT.EFFECT", "anchors": [-0.5, 0.0, 0.5]},
        case_table=_cases(["", "", ""]), outcome_raw=raw_out)
    assert list(data["MOT"]) == [1.0, 0.0, 1.0]            # crisp: raw >= threshold -> 1
    assert data["OUT"].iloc[0] > 0.95 and data["OUT"].iloc[1] < 0.05 and data["OUT"].iloc[2] == 0.0
    assert any("OUT.EFFECT" in w and "SS" in w for w in warnings)
    assert long.loc[(long["case_id"] == "SS") & (long["condition"] == "OUT"), "flag"].iloc[0] == "missing"
