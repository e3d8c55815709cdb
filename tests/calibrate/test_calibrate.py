"""Calibration: Ragin's direct method, crisp thresholds, overrides and warnings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from textqca.calibrate import calibrate, calibrate_detailed
from textqca.cli import main
from textqca.errors import CalibrationError

CASES = ["L县", "Y市", "W区", "G县", "D市"]


def test_direct_anchors_give_ragin_memberships():
    x = np.array([2.0, 5.0, 8.0, 20.0, -10.0])
    m = calibrate(x, method="direct", thresholds=(2, 5, 8))
    assert m[:3] == pytest.approx([0.05, 0.5, 0.95], abs=1e-12)
    assert m[3] > 0.999 and m[4] < 0.001
    # log-odds are linear on each side of the crossover (Ragin 2008)
    lo = np.log(m / (1 - m))
    assert lo[2] == pytest.approx(np.log(0.95 / 0.05))


def test_direct_is_monotone_and_decreasing_when_anchors_are_high_to_low():
    x = np.linspace(0, 10, 41)
    up = calibrate(x, thresholds=(2, 5, 8))
    down = calibrate(x, thresholds=(8, 5, 2))
    assert np.all(np.diff(up) > 0) and np.all(np.diff(down) < 0)
    assert down == pytest.approx(1 - up)


def test_linear_direct_method():
    m = calibrate([1, 3, 5, 7, 9, 11], thresholds={"e": 3, "c": 5, "i": 9}, logistic=False)
    assert m.tolist() == pytest.approx([0, 0, 0.5, 0.75, 1, 1])


def test_crisp_two_values_and_levels():
    assert calibrate([1, 4, 5, 9], method="crisp", thresholds=5).tolist() == [0, 0, 1, 1]
    assert calibrate([1, 4, 5, 7, 9], method="crisp", thresholds=[4, 7]).tolist() == [0, 1, 1, 2, 2]


def test_overrides_are_applied_and_recorded_with_reason():
    s = pd.Series([2.0, 5.5, 8.0, 3.0, 9.0], index=CASES, name="数字化投入")
    records: list = []
    m = calibrate(s, thresholds=(2, 5, 8), overrides=[{"case": "G县", "value": 0.8, "reason": "访谈显示投入被低估"}],
                  records=records)
    assert m[3] == 0.8
    assert len(records) == 1 and records[0].case == "G县" and records[0].reason == "访谈显示投入被低估"
    assert records[0].old == pytest.approx(calibrate([3.0], thresholds=(2, 5, 8))[0])


def test_override_needs_reason_and_known_case():
    s = pd.Series([2.0, 5.5], index=CASES[:2])
    with pytest.raises(CalibrationError, match="no reason"):
        calibrate(s, thresholds=(2, 5, 8), overrides=[{"case": "L县", "value": 1}])
    with pytest.raises(CalibrationError, match="unknown case"):
        calibrate(s, thresholds=(2, 5, 8), overrides=[{"case": "X县", "value": 1, "reason": "r"}])


def test_membership_of_exactly_half_is_reported_not_raised():
    s = pd.Series([2.0, 5.0, 8.0], index=CASES[:3], name="协同")
    warnings: list = []
    m = calibrate(s, thresholds=(2, 5, 8), warnings=warnings)
    assert m[1] == 0.5
    assert len(warnings) == 1 and "Y市" in warnings[0] and "0.5" in warnings[0]
    res = calibrate_detailed(s, thresholds=(2, 5, 8))
    assert res.warnings == warnings


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"thresholds": (5, 2, 8)}, "increasing or decreasing"),
        ({"thresholds": (2, 5)}, "three anchors"),
        ({"method": "crisp", "thresholds": [7, 4]}, "increasing"),
        ({"method": "fuzzy", "thresholds": (2, 5, 8)}, "direct"),
        ({"thresholds": None}, "thresholds"),
    ],
)
def test_bad_thresholds_are_one_line_errors(kwargs, match):
    with pytest.raises(CalibrationError, match=match) as e:
        calibrate([1, 2, 3], **kwargs)
    assert "\n" not in str(e.value)


def test_missing_raw_score():
    with pytest.raises(CalibrationError, match="Y市"):
        calibrate(pd.Series([1.0, None], index=CASES[:2], name="X"), thresholds=(1, 2, 3))


def test_cli_calibrates_and_reports(tmp_path, capsys):
    raw = tmp_path / "raw.csv"
    pd.DataFrame({"case": CASES, "投入": [2, 5, 8, 3, 9], "规模": [1, 4, 5, 7, 9]}).to_csv(raw, index=False)
    ov = tmp_path / "overrides.tsv"
    ov.write_text("case\tcondition\tvalue\treason\nG县\t投入\t0.9\t政策文件显示专项资金\n", encoding="utf-8")
    out = tmp_path / "cal.csv"
    rep = tmp_path / "rep.json"
    rc = main(["calibrate", str(raw), "-o", str(out), "--set", "投入=direct:2,5,8", "--set", "规模=crisp:5",
               "--overrides", str(ov), "--report", str(rep)])
    assert rc == 0
    df = pd.read_csv(out).set_index("case")
    assert df.loc["G县", "投入"] == 0.9 and df.loc["L县", "投入"] == pytest.approx(0.05)
    assert df["规模"].tolist() == [0, 0, 1, 1, 1]
    assert "Y市" in capsys.readouterr().err  # 0.5 warning shown
    assert "专项资金" in rep.read_text(encoding="utf-8")


def test_cli_bad_set_is_one_line(tmp_path, capsys):
    raw = tmp_path / "raw.csv"
    pd.DataFrame({"case": CASES, "投入": [2, 5, 8, 3, 9]}).to_csv(raw, index=False)
    rc = main(["calibrate", str(raw), "-o", str(tmp_path / "o.csv"), "--set", "投入=direct:8,2,5"])
    err = capsys.readouterr().err
    assert rc == 1 and len(err.strip().splitlines()) == 1 and not (tmp_path / "o.csv").exists()
