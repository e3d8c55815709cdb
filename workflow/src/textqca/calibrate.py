"""Calibration of raw scores into set memberships (R's ``QCA::calibrate``).

* direct method (Ragin): three anchors (exclusion, crossover, inclusion).  Given
  increasing, the set is "high values"; given high-to-low (exclusion > inclusion),
  the set is "low values".  ``logistic=True`` uses the log-odds transformation
  (membership ``idm`` = 0.95 at the inclusion anchor, 0.05 at exclusion, 0.5 at
  the crossover); ``logistic=False`` is the piecewise linear variant.
* crisp method: one threshold gives 0/1, several give multi-value levels
  0, 1, 2, ... (a value equal to a threshold goes to the upper level).

Researchers may override single memberships; each override carries a reason and
is recorded.  Memberships of exactly 0.5 are reported in a warning list (a case
at 0.5 belongs to no truth-table row).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from textqca.errors import CalibrationError

__all__ = ["calibrate", "calibrate_detailed", "apply_overrides", "Calibration", "Override"]


@dataclass(frozen=True)
class Override:
    """A researcher's replacement of one calibrated membership."""

    case: str
    condition: str | None
    old: float | None
    new: float
    reason: str


@dataclass
class Calibration:
    """Calibrated values plus what happened on the way."""

    values: np.ndarray
    method: str
    thresholds: tuple[float, ...]
    warnings: list[str] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)


def _thresholds(thresholds, method: str) -> tuple[float, ...]:
    if thresholds is None:
        raise CalibrationError(f"calibrate: the {method} method needs thresholds")
    if isinstance(thresholds, Mapping):
        keys = {str(k).lower(): v for k, v in thresholds.items()}
        if method == "direct":
            try:
                vals = [keys["e"], keys["c"], keys["i"]]
            except KeyError:
                raise CalibrationError("calibrate: direct thresholds need e (exclusion), c (crossover), i (inclusion)") from None
        else:
            vals = list(thresholds.values())
    elif isinstance(thresholds, str):
        parts = [p.strip() for p in thresholds.replace(";", ",").split(",") if p.strip()]
        vals = [p.split("=", 1)[1] if "=" in p else p for p in parts]
    elif isinstance(thresholds, (int, float, np.number)):
        vals = [thresholds]
    else:
        vals = list(thresholds)
    try:
        out = tuple(float(v) for v in vals)
    except (TypeError, ValueError):
        raise CalibrationError(f"calibrate: thresholds must be numbers, got {thresholds!r}") from None
    if any(np.isnan(v) for v in out):
        raise CalibrationError("calibrate: a threshold is missing (NaN)")
    return out


def _as_array(x) -> tuple[np.ndarray, list[str] | None]:
    if isinstance(x, pd.Series):
        names = [str(i) for i in x.index]
        vals = pd.to_numeric(x, errors="coerce")
        if vals.isna().any():
            bad = x[vals.isna()]
            raise CalibrationError(
                f"calibrate: {x.name or 'the column'} has a missing or non-numeric value ({bad.iloc[0]!r}) for case {bad.index[0]!r}"
            )
        return vals.to_numpy(dtype=float), names
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise CalibrationError("calibrate: the raw scores must be numbers") from None
    if np.isnan(arr).any():
        raise CalibrationError("calibrate: the raw scores contain missing values (NaN)")
    return arr, None


def _direct(x: np.ndarray, th: tuple[float, ...], logistic: bool, idm: float) -> np.ndarray:
    if len(th) != 3:
        raise CalibrationError(f"calibrate: the direct method takes three anchors (exclusion, crossover, inclusion), got {len(th)}")
    e, c, i = th
    increasing = e < c < i
    decreasing = e > c > i
    if not (increasing or decreasing):
        raise CalibrationError(
            f"calibrate: anchors must be strictly increasing or decreasing (exclusion, crossover, inclusion), got {e:g}, {c:g}, {i:g}"
        )
    if not 0.5 < idm < 1:
        raise CalibrationError(f"calibrate: idm must lie between 0.5 and 1, got {idm}")
    if decreasing:
        # the set of low values: mirror the scale
        x, e, c, i = -x, -e, -c, -i
    if logistic:
        lo = np.log(idm / (1 - idm))
        dev = np.where(x >= c, (x - c) * lo / (i - c), (x - c) * lo / (c - e))
        return 1.0 / (1.0 + np.exp(-dev))
    out = np.where(
        x <= e, 0.0,
        np.where(x <= c, 0.5 * (x - e) / (c - e), np.where(x <= i, 0.5 + 0.5 * (x - c) / (i - c), 1.0)),
    )
    return out


def _crisp(x: np.ndarray, th: tuple[float, ...]) -> np.ndarray:
    if len(th) == 0:
        raise CalibrationError("calibrate: the crisp method needs at least one threshold")
    if any(b <= a for a, b in zip(th, th[1:])):
        raise CalibrationError(f"calibrate: crisp thresholds must be increasing, got {', '.join(f'{t:g}' for t in th)}")
    return np.searchsorted(np.asarray(th), x, side="right").astype(float)


def apply_overrides(
    values: np.ndarray,
    cases: Sequence[str],
    overrides,
    *,
    condition: str | None = None,
) -> tuple[np.ndarray, list[Override]]:
    """Replace single memberships.  ``overrides`` is a list of mappings or a table
    with ``case`` (or ``case_id``), ``value`` and ``reason`` (and optionally
    ``condition``: rows for other conditions are skipped).  A reason is required."""
    if overrides is None:
        return values, []
    if isinstance(overrides, pd.DataFrame):
        items = overrides.to_dict("records")
    else:
        items = list(overrides)
    vals = np.array(values, dtype=float, copy=True)
    index = {str(c): n for n, c in enumerate(cases)}
    done: list[Override] = []
    for n, item in enumerate(items, start=1):
        item = {str(k): v for k, v in dict(item).items()}
        cond = item.get("condition")
        if condition is not None and cond not in (None, "", condition) and not (isinstance(cond, float) and np.isnan(cond)):
            continue
        case = str(item.get("case", item.get("case_id", "")))
        if case not in index:
            raise CalibrationError(f"override {n}: unknown case {case!r}", where=f"override {n}")
        reason = str(item.get("reason") or "").strip()
        if not reason or reason == "nan":
            raise CalibrationError(f"override {n} for case {case!r} has no reason; every override needs one")
        try:
            new = float(item.get("value"))
        except (TypeError, ValueError):
            raise CalibrationError(f"override {n} for case {case!r}: value must be a number") from None
        if not 0 <= new <= 1 and not float(new).is_integer():
            raise CalibrationError(f"override {n} for case {case!r}: value {new:g} is not a membership")
        old = float(vals[index[case]])
        vals[index[case]] = new
        done.append(Override(case=case, condition=condition or (cond if cond else None), old=old, new=new, reason=reason))
    return vals, done


def calibrate_detailed(
    x,
    *,
    method: str = "direct",
    thresholds=None,
    logistic: bool = True,
    idm: float = 0.95,
    overrides=None,
    cases: Sequence[str] | None = None,
    condition: str | None = None,
) -> Calibration:
    """Calibrate and return values, warnings and the overrides applied."""
    arr, names = _as_array(x)
    if cases is None:
        cases = names if names is not None else [str(i) for i in range(len(arr))]
    if condition is None and isinstance(x, pd.Series) and x.name is not None:
        condition = str(x.name)
    th = _thresholds(thresholds, method)
    if method == "direct":
        vals = _direct(arr, th, logistic, idm)
    elif method == "crisp":
        vals = _crisp(arr, th)
    else:
        raise CalibrationError(f"calibrate: method must be 'direct' or 'crisp', got {method!r}")
    vals, done = apply_overrides(vals, cases, overrides, condition=condition)
    warnings = []
    if method == "direct":
        half = [str(cases[n]) for n in np.nonzero(np.abs(vals - 0.5) < 1e-12)[0]]
        if half:
            label = f"{condition}: " if condition else ""
            warnings.append(
                f"{label}membership of exactly 0.5 for {', '.join(half)}; such cases belong to no truth table row "
                "(move the crossover or override with a reason)"
            )
    return Calibration(values=vals, method=method, thresholds=th, warnings=warnings, overrides=done)


def calibrate(
    x,
    *,
    method: str = "direct",
    thresholds=None,
    logistic: bool = True,
    idm: float = 0.95,
    overrides=None,
    cases: Sequence[str] | None = None,
    condition: str | None = None,
    warnings: list | None = None,
    records: list | None = None,
) -> np.ndarray:
    """Calibrate raw scores ``x`` (array or pandas Series indexed by case).

    Returns the memberships as a numpy array.  Pass a list as ``warnings`` to
    receive warnings (e.g. memberships of exactly 0.5) and one as ``records`` to
    receive the :class:`Override` records of the overrides applied.

    >>> calibrate([1, 5, 9], thresholds=(1, 5, 9)).round(2).tolist()
    [0.05, 0.5, 0.95]
    """
    res = calibrate_detailed(
        x, method=method, thresholds=thresholds, logistic=logistic, idm=idm,
        overrides=overrides, cases=cases, condition=condition,
    )
    if warnings is not None:
        warnings.extend(res.warnings)
    if records is not None:
        records.extend(res.overrides)
    return res.values
