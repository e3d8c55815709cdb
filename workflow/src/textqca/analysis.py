"""From the case matrix to findings: calibration, the QCA runs, two-step, robustness, diagnosis.

The steps, each a function the workflow calls through :func:`textqca.runner.run_step`:

1. :func:`calibrate_to_files` — raw scores -> set memberships (direct method with
   ``(exclusion, crossover, inclusion)`` anchors, or a crisp threshold), then the
   researcher's overrides from the human-owned ``codebook/overrides.tsv`` (each with a
   written reason; the file is read, never written).  Writes the QCA data table and a
   long memberships table that marks every override and every warning.
2. :func:`specs_to_files` and :func:`run_spec_to_file` — one spec per analysis
   (outcome / negated outcome x complex / parsimonious / intermediate) in the format of
   the QCA engine, run by :func:`textqca.qca.run_spec`; one result JSON each.
3. :func:`two_step_to_file` — remote conditions first, proximate conditions within the
   remote contexts found (Schneider & Wagemann).
4. :func:`robustness_run_to_file`, :func:`resample_to_file`,
   :func:`robustness_to_files` — reruns over a grid of anchors and cut-offs and over
   resampled auto-codings; the share of runs in which each solution term survives.
5. :func:`findings_to_file` — per solution term its cases and their strongest quotes;
   per failed case the favourable conditions that were missing or deficient, mapped to
   the framework's optimisation paths.

Only tables and JSON cross the seam to the QCA core; this module does not import the
text core.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from textqca.casematrix import (
    ConditionDef,
    build_case_matrix,
    codebook_labels,
    parse_conditions,
    read_cases,
    write_atomic,
)
from textqca.errors import CalibrationError, ConfigError, QCAError, TextQCAError
from textqca.io import write_text_atomic

__all__ = [
    "check_setup",
    "analysis_names",
    "grid_points",
    "read_overrides",
    "calibrate_memberships",
    "make_specs",
    "term_membership",
    "parse_term",
    "calibrate_to_files",
    "specs_to_files",
    "run_spec_to_file",
    "two_step_to_file",
    "robustness_run_to_file",
    "resample_to_file",
    "robustness_to_files",
    "findings_to_file",
    "run_findings",
    "DEFAULT_OPTIMISATION_PATHS",
]

log = logging.getLogger("textqca.analysis")

SOLUTION_INCLUDE = {"complex": "", "parsimonious": "?", "intermediate": "?"}
SIDES = ("outcome", "negation")

#: The framework's optimisation paths (优化路径) and the codes whose deficit each addresses.
DEFAULT_OPTIMISATION_PATHS: list[dict[str, Any]] = [
    {"id": "public_rationality", "label_zh": "培育公共理性（理念支撑）",
     "label_en": "Cultivate public rationality (conceptual support)",
     "codes": ["ENV.CUL.TRUST", "ENV.CUL.INTEREST"]},
    {"id": "interest_intersection", "label_zh": "寻找利益交汇点，设定共同目标",
     "label_en": "Find the intersection of interests and set common goals",
     "codes": ["MOT.NEED", "MOT.GOAL", "PRO.JOINT"]},
    {"id": "horizontal_incentives", "label_zh": "强化横向激励",
     "label_en": "Strengthen horizontal incentives", "codes": ["MOT.INCENT"]},
    {"id": "platform_links", "label_zh": "搭建平台联结，降低协同成本",
     "label_en": "Build platform links to cut coordination cost",
     "codes": ["ENV.TEC.PLATFORM", "PRO.INFO", "PRO.COST"]},
    {"id": "higher_level_support", "label_zh": "争取上级支持",
     "label_en": "Seek support from higher levels",
     "codes": ["MOT.PRESS", "MOT.LEAD", "ENV.INS.LINKAGE"]},
]


# ----------------------------------------------------------------------------- helpers

def _write_json(obj: Any, path: str | Path) -> None:
    write_text_atomic(json.dumps(obj, ensure_ascii=False, indent=1, default=_json_default, allow_nan=False), path)


def _json_default(obj: Any) -> Any:
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating,)):
        return None if math.isnan(obj) else float(obj)
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    if isinstance(obj, (set, tuple)):
        return list(obj)
    raise TypeError(f"not JSON serialisable: {type(obj)}")


def _clean(obj: Any) -> Any:
    """Replace NaN/inf by None recursively (JSON has no NaN)."""
    if isinstance(obj, float):
        return None if (math.isnan(obj) or math.isinf(obj)) else obj
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    return obj


def _read_json(path: str | Path) -> Any:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _conditions(conditions: Mapping[str, Any], codebook: str | None = None) -> list[ConditionDef]:
    labels = codebook_labels(codebook) if codebook else {}
    known = [k for k, v in labels.items() if v.get("kind") == "code"] if labels else None
    return parse_conditions(conditions, known_codes=known, labels=labels)


# ----------------------------------------------------------------------------- overrides

OVERRIDE_COLUMNS = ("case_id", "condition", "membership", "reason")


def read_overrides(path: str | Path | None, *, cases: Sequence[str], conditions: Sequence[str]) -> pd.DataFrame:
    """Read the researcher's overrides (``codebook/overrides.tsv``), checking every line.

    Columns: ``case_id, condition, membership, reason`` (+ optional ``author``, ``date``;
    ``case`` and ``value`` are accepted for ``case_id`` and ``membership``, as in
    ``textqca calibrate --overrides``);
    ``condition`` may also be the outcome's name.  Lines starting with ``#`` are comments.
    An unknown case or condition, a membership outside [0, 1] or a missing reason is a
    one-line :class:`CalibrationError` naming the file and line.
    """
    cols = [*OVERRIDE_COLUMNS, "author", "date", "line"]
    if not path or not Path(path).is_file():
        return pd.DataFrame(columns=cols)
    path = Path(path)
    rows = []
    header: list[str] | None = None
    with path.open(encoding="utf-8-sig") as fh:
        for lineno, raw in enumerate(fh, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = [f.strip() for f in line.split("\t")]
            if header is None:
                header = fields
                have = set(header) | {c for a, c in (("case", "case_id"), ("value", "membership")) if a in header}
                missing = [c for c in OVERRIDE_COLUMNS if c not in have]
                if missing:
                    raise CalibrationError(f"header lacks column(s) {', '.join(missing)}; the header must be "
                                           "case_id<TAB>condition<TAB>membership<TAB>reason", path=path,
                                           where=f"line {lineno}")
                continue
            rec = dict(zip(header, fields + [""] * (len(header) - len(fields))))
            where = f"line {lineno}"
            for alias, col in (("case", "case_id"), ("value", "membership")):
                if col not in rec and alias in rec:
                    rec[col] = rec[alias]
            if rec["case_id"] not in cases:
                raise CalibrationError(f"override for unknown case {rec['case_id']!r}; known cases: "
                                       f"{', '.join(cases)}", path=path, where=where)
            if rec["condition"] not in conditions:
                raise CalibrationError(f"override for unknown condition {rec['condition']!r}; known: "
                                       f"{', '.join(conditions)}", path=path, where=where)
            try:
                m = float(rec["membership"])
            except ValueError:
                raise CalibrationError(f"membership {rec['membership']!r} is not a number in [0, 1]",
                                       path=path, where=where) from None
            if not 0.0 <= m <= 1.0:
                raise CalibrationError(f"membership {m} is outside [0, 1]", path=path, where=where)
            if not rec.get("reason"):
                raise CalibrationError("override without a reason; write why this membership is set by hand",
                                       path=path, where=where)
            rows.append({"case_id": rec["case_id"], "condition": rec["condition"], "membership": m,
                         "reason": rec["reason"], "author": rec.get("author", ""), "date": rec.get("date", ""),
                         "line": lineno})
    df = pd.DataFrame(rows, columns=cols)
    dup = df[df.duplicated(["case_id", "condition"], keep=False)]
    if len(dup):
        r = dup.iloc[1]
        raise CalibrationError(f"second override for {r['case_id']} / {r['condition']}; keep one line per cell",
                               path=path, where=f"line {r['line']}")
    return df


# ----------------------------------------------------------------------------- calibration

def _check_anchors(anchors: Any, *, where: str, source: str) -> tuple[float, float, float]:
    try:
        e, c, i = (float(a) for a in anchors)
    except (TypeError, ValueError):
        raise CalibrationError(f"anchors {anchors!r}: give three numbers [exclusion, crossover, inclusion]",
                               path=source, where=where) from None
    if not e < c < i:
        raise CalibrationError(f"anchors out of order {[e, c, i]}: need exclusion < crossover < inclusion "
                               "on the raw-score scale", path=source, where=where)
    return e, c, i


def _calibrate(values: np.ndarray, *, method: str, anchors: tuple[float, float, float] | None,
               threshold: float | None) -> np.ndarray:
    """Call the QCA core's calibrate on the non-missing values."""
    from textqca.calibrate import calibrate

    if method == "crisp":
        return np.asarray(calibrate(values, method="crisp", thresholds=(threshold,)), dtype=float)
    return np.asarray(calibrate(values, method="direct", thresholds=tuple(anchors)), dtype=float)


def _settings_for(cond_calib: Mapping[str, Any], calibration: Mapping[str, Any]) -> dict[str, Any]:
    s = {"method": calibration.get("method", "fuzzy"), "anchors": calibration.get("anchors", [-0.5, 0.0, 0.5]),
         "threshold": calibration.get("threshold", 0.0)}
    s.update({k: v for k, v in cond_calib.items() if v is not None})
    return s


def calibrate_memberships(matrix: pd.DataFrame, *, conditions: Sequence[ConditionDef],
                          calibration: Mapping[str, Any], outcome: Mapping[str, Any],
                          case_table: pd.DataFrame, outcome_raw: pd.Series | None = None,
                          overrides: pd.DataFrame | None = None, crossover_shift: float = 0.0,
                          anchor_scale: float = 1.0,
                          source: str = "config/config.yaml") -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Calibrate every condition and the outcome; apply overrides.

    Returns ``(data, long, warnings)``: ``data`` has a ``case`` column, one membership
    column per condition and the outcome; ``long`` has one row per case and condition
    with ``raw``, ``calibrated``, ``membership``, ``override`` (bool), ``reason`` and
    ``flag`` (``missing`` / ``half`` / ``""``).  ``crossover_shift`` and ``anchor_scale``
    move the anchors for robustness runs (shift the crossover, scale the distances of the
    other anchors from it; crisp thresholds are shifted).
    """
    warnings: list[str] = []
    missing_m = float(calibration.get("missing", 0.0))
    out_name = str(outcome.get("name", "OUT"))
    cases = list(matrix.index)
    data = pd.DataFrame({"case": cases})
    rows = []
    for cond in conditions:
        s = _settings_for(cond.calibration, calibration)
        where = f"conditions.define.{cond.name}" if cond.calibration else "calibration"
        raw = matrix[cond.name].astype(float).to_numpy()
        present = ~np.isnan(raw)
        cal = np.full(len(raw), np.nan)
        if s["method"] == "crisp":
            thr = float(s["threshold"]) + crossover_shift
            if present.any():
                cal[present] = _calibrate(raw[present], method="crisp", anchors=None, threshold=thr)
            setting = {"method": "crisp", "threshold": thr}
        elif s["method"] == "fuzzy":
            e, c, i = _check_anchors(s["anchors"], where=where + ".anchors", source=source)
            c2 = c + crossover_shift
            e2, i2 = c2 - (c - e) * anchor_scale, c2 + (i - c) * anchor_scale
            if present.any():
                cal[present] = _calibrate(raw[present], method="fuzzy", anchors=(e2, c2, i2), threshold=None)
            setting = {"method": "fuzzy", "anchors": [e2, c2, i2]}
        else:
            raise ConfigError(f"calibration method {s['method']!r}; use fuzzy or crisp", path=source,
                              where=where + ".method")
        m = np.where(present, cal, missing_m)
        for k, cid in enumerate(cases):
            rows.append({"case_id": cid, "condition": cond.name, "raw": raw[k], "calibrated": m[k],
                         "membership": m[k], "override": False, "reason": "",
                         "flag": "" if present[k] else "missing", **{"setting": json.dumps(setting)}})
        data[cond.name] = m

    # outcome
    osrc = outcome.get("source", "cases")
    if osrc == "cases":
        ct = case_table.set_index("case_id").reindex(cases)
        vals = []
        for cid, v in zip(cases, ct["outcome"].fillna("")):
            try:
                f = float(v)
            except ValueError:
                raise CalibrationError(f"outcome of case {cid} is {v!r}; use 1, 0 or a value in (0,1) "
                                       "(outcome.source: cases)", path="config/cases.tsv", where=f"case {cid}") from None
            if not 0 <= f <= 1:
                raise CalibrationError(f"outcome of case {cid} is {f}; it must lie in [0, 1]",
                                       path="config/cases.tsv", where=f"case {cid}")
            vals.append(f)
        y = np.array(vals)
        raw_y = y.copy()
        flags = [""] * len(cases)
    else:
        if outcome_raw is None:
            raise ConfigError("outcome.source is codings but no OUT.EFFECT scores were given", path=source,
                              where="outcome.source")
        raw_y = outcome_raw.reindex(cases).astype(float).to_numpy()
        e, c, i = _check_anchors(outcome.get("anchors", [-0.5, 0.0, 0.5]), where="outcome.anchors", source=source)
        present = ~np.isnan(raw_y)
        y = np.full(len(raw_y), np.nan)
        if present.any():
            y[present] = _calibrate(raw_y[present], method="fuzzy", anchors=(e, c, i), threshold=None)
        flags = ["" if p else "missing" for p in present]
        y = np.where(present, y, 0.0)
        miss = [cid for cid, p in zip(cases, present) if not p]
        if miss:
            warnings.append(f"outcome: no {outcome.get('code', 'OUT.EFFECT')} coding for case(s) {', '.join(miss)}; "
                            "set to 0 — code the outcome or set it by an override")
    data[out_name] = y
    for k, cid in enumerate(cases):
        rows.append({"case_id": cid, "condition": out_name, "raw": raw_y[k], "calibrated": y[k], "membership": y[k],
                     "override": False, "reason": "", "flag": flags[k], "setting": json.dumps({"source": osrc})})
    long = pd.DataFrame(rows)

    # overrides
    if overrides is not None and len(overrides):
        for r in overrides.itertuples(index=False):
            mask = (long["case_id"] == r.case_id) & (long["condition"] == r.condition)
            long.loc[mask, "membership"] = r.membership
            long.loc[mask, "override"] = True
            long.loc[mask, "reason"] = r.reason
            long.loc[mask, "flag"] = ""
            data.loc[data["case"] == r.case_id, r.condition] = r.membership

    miss = long[long["flag"] == "missing"]
    for cond, grp in miss.groupby("condition", sort=False):
        if cond == out_name:
            continue
        warnings.append(f"{cond}: no coded passage for case(s) {', '.join(grp['case_id'])}; membership set to "
                        f"{missing_m:g} (calibration.missing) — check the material or set an override")
    half = long[(long["membership"] - 0.5).abs() < 1e-9]
    for r in half.itertuples(index=False):
        long.loc[(long["case_id"] == r.case_id) & (long["condition"] == r.condition), "flag"] = "half"
        warnings.append(f"{r.condition}: case {r.case_id} has membership 0.5 (maximal ambiguity) and falls in no "
                        "truth-table row — move the crossover or set an override with a reason")
    return data, long, warnings


def _outcome_checks(data: pd.DataFrame, out_name: str) -> list[str]:
    n = len(data)
    if n < 3:
        raise QCAError(f"only {n} case(s) in the case table; QCA needs at least 3 cases (better 10+)",
                       path="config/cases.tsv")
    warnings = []
    y = data[out_name]
    if (y > 0.5).all() or (y < 0.5).all():
        side = "succeeded (outcome > 0.5)" if (y > 0.5).all() else "failed (outcome < 0.5)"
        warnings.append(f"all {n} cases {side}: with no variation in the outcome QCA cannot tell what makes the "
                        "difference; the analysis of the side with no case is skipped")
    return warnings


def calibrate_to_files(*, matrix: str, cases: str, conditions: Mapping[str, Any], calibration: Mapping[str, Any],
                       outcome: Mapping[str, Any], data: str, memberships: str, report: str,
                       overrides: str | Sequence[str] | None = None, codebook: str | None = None,
                       code_counts: str | None = None) -> None:
    """Workflow step: ``case_matrix.csv`` -> ``qca_data.csv`` + ``memberships.csv`` + ``calibration.json``."""
    conds, ct, mat, out_name, overrides, ov, outcome_raw = _step_inputs(
        matrix=matrix, cases=cases, conditions=conditions, outcome=outcome, overrides=overrides,
        codebook=codebook, code_counts=code_counts)
    d, long, warnings = calibrate_memberships(mat, conditions=conds, calibration=calibration, outcome=outcome,
                                              case_table=ct, outcome_raw=outcome_raw, overrides=ov)
    warnings = _outcome_checks(d, out_name) + warnings
    write_atomic(d, data, index=False, float_format="%.6g")
    write_atomic(long, memberships, index=False, float_format="%.6g")
    y = d[out_name]
    _write_json(_clean({"warnings": warnings, "outcome_varies": bool((y > 0.5).any() and (y < 0.5).any()),
                        "overrides": ov.drop(columns=["line"]).to_dict("records"),
                        "overrides_file": str(overrides) if overrides else None,
                        "n_cases": len(d), "outcome": out_name}), report)
    for w in warnings:
        log.warning(w)


# ----------------------------------------------------------------------------- specs and runs

def _dir_exp(conds: Sequence[ConditionDef], side: str) -> list[str]:
    flip = {"1": "0", "0": "1", "-": "-"}
    return [c.expected if side == "outcome" else flip[c.expected] for c in conds]


def make_specs(*, conditions: Sequence[ConditionDef], outcome_name: str, qca: Mapping[str, Any],
               data_path: str, incl_cut: float | None = None, n_cut: int | None = None) -> dict[str, dict[str, Any]]:
    """One spec per analysis, named ``<side>_<solution>`` (``outcome_intermediate``, ``negation_complex`` …)."""
    specs = {}
    sides = ["outcome", "negation"] if qca.get("negation", True) else ["outcome"]
    for side in sides:
        for sol in qca.get("solutions", ["complex", "parsimonious", "intermediate"]):
            if sol not in SOLUTION_INCLUDE:
                raise ConfigError(f"qca.solutions lists {sol!r}; use complex, parsimonious, intermediate",
                                  path="config/config.yaml", where="qca.solutions")
            spec = {
                "name": f"{side}_{sol}",
                "description": f"{'~' if side == 'negation' else ''}{outcome_name}, {sol} solution",
                "data": data_path,
                "outcome": outcome_name if side == "outcome" else f"~{outcome_name}",
                "conditions": [c.name for c in conditions],
                "type": "fuzzy",
                "incl_cut": float(qca.get("incl_cut", 0.8) if incl_cut is None else incl_cut),
                "n_cut": int(qca.get("n_cut", 1) if n_cut is None else n_cut),
                "pri_cut": float(qca.get("pri_cut", 0.5)),
                "include": SOLUTION_INCLUDE[sol],
                "row_dom": bool(qca.get("row_dom", False)),
                "all_sol": bool(qca.get("all_sol", False)),
                "time_limit": float(qca.get("time_limit", 30)),
            }
            if sol == "intermediate":
                spec["dir_exp"] = _dir_exp(conditions, side)
            specs[spec["name"]] = spec
    return specs


def _run(spec: Mapping[str, Any], *, data_root: str | Path) -> dict[str, Any]:
    """run_spec, with a QCA error (no positive row, no configuration …) kept as a result."""
    from textqca.qca import run_spec

    try:
        result = run_spec(dict(spec), data_root=data_root)
    except TextQCAError as exc:
        return {"name": spec.get("name"), "spec": dict(spec), "error": str(exc), "warnings": []}
    return result if isinstance(result, dict) else dict(result)


def specs_to_files(*, data: str, conditions: Mapping[str, Any], outcome: Mapping[str, Any], qca: Mapping[str, Any],
                   specs: Sequence[str], codebook: str | None = None) -> None:
    """Workflow step: write one spec JSON per analysis (``data`` relative to the spec's folder)."""
    conds = _conditions(conditions, codebook)
    made = {}
    for out in specs:
        rel = os.path.relpath(Path(data).resolve(), Path(out).resolve().parent)
        made = make_specs(conditions=conds, outcome_name=str(outcome.get("name", "OUT")), qca=qca, data_path=rel)
        name = Path(out).stem
        if name not in made:
            raise ConfigError(f"no analysis named {name}; configured: {', '.join(made)}", where="qca.solutions")
        _write_json(made[name], out)


def run_spec_to_file(*, spec: str, result: str, calibration: str | None = None, data: str | None = None) -> None:
    """Workflow step: run one spec with the QCA core; a skipped or failed analysis says why."""
    sp = _read_json(spec)
    varies = _read_json(calibration).get("outcome_varies", True) if calibration else True
    res = _run(sp, data_root=Path(spec).resolve().parent)
    if "error" in res and not varies:
        res["skipped"] = "no variation in the outcome: " + res["error"]
    _write_json(_clean(res), result)


# ----------------------------------------------------------------------------- terms

def parse_term(term: str) -> list[tuple[str, bool]]:
    """``"ENV_CUL*~MOT"`` -> ``[("ENV_CUL", True), ("MOT", False)]`` (True = present)."""
    out = []
    for lit in str(term).split("*"):
        lit = lit.strip()
        if not lit:
            continue
        if lit.endswith("]") and "[" in lit:
            name, val = lit[:-1].split("[", 1)
            out.append((name, val.strip() != "0"))
        elif lit.startswith("~"):
            out.append((lit[1:], False))
        else:
            out.append((lit, True))
    return out


def term_membership(data: pd.DataFrame, term: str) -> pd.Series:
    """Membership of each case in a conjunction (minimum over its literals)."""
    lits = parse_term(term)
    cols = [data[name] if present else 1 - data[name] for name, present in lits]
    return pd.concat(cols, axis=1).min(axis=1) if cols else pd.Series(1.0, index=data.index)


def _solutions(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    if not result or result.get("error"):
        return []
    return list((result.get("minimize") or {}).get("solutions") or [])


def _terms_of(result: Mapping[str, Any]) -> list[list[str]]:
    return [list(s.get("terms") or []) for s in _solutions(result)]


# ----------------------------------------------------------------------------- two-step

def two_step_to_file(*, data: str, conditions: Mapping[str, Any], outcome: Mapping[str, Any],
                     qca: Mapping[str, Any], result: str, codebook: str | None = None) -> None:
    """Workflow step: two-step QCA, remote contexts then proximate conditions within them.

    Step 1 minimises the outcome on the remote conditions (``group: remote``) with the
    lower ``qca.two_step.incl_cut`` (parsimonious): each term is a remote context.  Step 2,
    for each context, adds the context's membership as a condition ``CTX`` to the
    proximate conditions and keeps the solution terms that contain ``CTX``.
    """
    conds = _conditions(conditions, codebook)
    ts = dict(qca.get("two_step") or {})
    out_name = str(outcome.get("name", "OUT"))
    res: dict[str, Any] = {"enabled": bool(ts.get("enabled", False)), "steps": []}
    if not res["enabled"]:
        _write_json(res, result)
        return
    remote = [c for c in conds if c.group == "remote"]
    proximate = [c for c in conds if c.group == "proximate"]
    if not remote or not proximate:
        res["error"] = "two-step needs conditions of both groups (group: remote / proximate in conditions.define)"
        _write_json(res, result)
        return
    df = pd.read_csv(data, dtype={"case": str})
    step1 = {"name": "two_step_1", "data": df, "outcome": out_name,
             "conditions": [c.name for c in remote], "type": "fuzzy",
             "incl_cut": float(ts.get("incl_cut", 0.75)), "n_cut": int(ts.get("n_cut", 1)),
             "pri_cut": float(qca.get("pri_cut", 0.5)), "include": "?"}
    r1 = _run(step1, data_root=".")
    res["step1"] = _clean(r1)
    res["error"] = r1.get("error")
    contexts = sorted({t for terms in _terms_of(r1) for t in terms})
    res["contexts"] = contexts
    for ctx in contexts:
        d2 = df[["case", out_name] + [c.name for c in proximate]].copy()
        d2.insert(1, "CTX", term_membership(df, ctx).to_numpy())
        spec = {"name": "two_step_2", "data": d2, "outcome": out_name,
                "conditions": ["CTX"] + [c.name for c in proximate], "type": "fuzzy",
                "incl_cut": float(qca.get("incl_cut", 0.8)), "n_cut": int(qca.get("n_cut", 1)),
                "pri_cut": float(qca.get("pri_cut", 0.5)), "include": "?",
                "dir_exp": ["1"] + _dir_exp(proximate, "outcome")}
        r2 = _run(spec, data_root=".")
        y = d2[out_name].to_numpy(dtype=float)
        terms = []
        for t in sorted({t for ts in _terms_of(r2) for t in ts}):
            lits = parse_term(t)
            if ("CTX", False) in lits:
                continue  # a path outside the context is not a step-2 finding
            full = t if ("CTX", True) in lits else f"CTX*{t}"
            x = term_membership(d2, full).to_numpy(dtype=float)
            both = np.minimum(x, y).sum()
            terms.append({"term": full.replace("CTX", f"({ctx})"),
                          "inclS": float(both / x.sum()) if x.sum() else None,
                          "covS": float(both / y.sum()) if y.sum() else None,
                          "cases": [c for c, xi, yi in zip(d2["case"], x, y) if xi > 0.5 and yi > 0.5]})
        res["steps"].append({"context": ctx, "result": _clean(r2), "terms": [t["term"] for t in terms],
                             "term_fit": terms})
    _write_json(_clean(res), result)


# ----------------------------------------------------------------------------- robustness

def _run_all(df: pd.DataFrame, *, conds: Sequence[ConditionDef], out_name: str, qca: Mapping[str, Any],
             solution: str, incl_cut: float | None = None, n_cut: int | None = None) -> dict[str, Any]:
    q = dict(qca)
    q["solutions"] = [solution]
    out: dict[str, Any] = {}
    specs = make_specs(conditions=conds, outcome_name=out_name, qca=q, data_path="", incl_cut=incl_cut, n_cut=n_cut)
    for name, spec in specs.items():
        side = name.split("_", 1)[0]
        r = _run({**spec, "data": df}, data_root=".")
        out[side] = {"models": _terms_of(r), "error": r.get("error")}
    return out


def robustness_run_to_file(*, matrix: str, cases: str, conditions: Mapping[str, Any],
                           calibration: Mapping[str, Any], outcome: Mapping[str, Any], qca: Mapping[str, Any],
                           solution: str, grid: Mapping[str, Any], result: str,
                           overrides: str | Sequence[str] | None = None, codebook: str | None = None,
                           code_counts: str | None = None) -> None:
    """Workflow step: one point of the robustness grid (Paramspace instance).

    ``grid`` holds ``crossover_shift``, ``anchor_scale``, ``incl_cut``, ``n_cut``.
    The researcher's overrides still apply.
    """
    conds, ct, mat, out_name, overrides, ov, outcome_raw = _step_inputs(
        matrix=matrix, cases=cases, conditions=conditions, outcome=outcome, overrides=overrides,
        codebook=codebook, code_counts=code_counts)
    p = {k: (float(v) if k != "n_cut" else int(float(v))) for k, v in dict(grid).items()}
    d, _, _ = calibrate_memberships(mat, conditions=conds, calibration=calibration, outcome=outcome, case_table=ct,
                                    outcome_raw=outcome_raw, overrides=ov,
                                    crossover_shift=p.get("crossover_shift", 0.0),
                                    anchor_scale=p.get("anchor_scale", 1.0))
    r = _run_all(d, conds=conds, out_name=out_name, qca=qca, solution=solution,
                 incl_cut=p.get("incl_cut"), n_cut=p.get("n_cut"))
    _write_json(_clean({"kind": "grid", "params": p, **r}), result)


def _step_inputs(*, matrix: str, cases: str, conditions: Mapping[str, Any], outcome: Mapping[str, Any],
                 overrides: str | Sequence[str] | None, codebook: str | None, code_counts: str | None):
    """What every calibration step reads: conditions, case table, case matrix, outcome name,
    the overrides file and its checked rows, and the raw outcome (when it comes from codings)."""
    conds = _conditions(conditions, codebook)
    ct = read_cases(cases)
    mat = pd.read_csv(matrix, dtype={"case_id": str}).set_index("case_id")
    out_name = str(outcome.get("name", "OUT"))
    if isinstance(overrides, (list, tuple)):
        overrides = overrides[0] if overrides else None
    ov = read_overrides(overrides, cases=list(mat.index), conditions=[c.name for c in conds] + [out_name])
    return conds, ct, mat, out_name, overrides, ov, _outcome_raw(outcome, code_counts, mat.index)


def _outcome_raw(outcome: Mapping[str, Any], code_counts: str | None, index: pd.Index) -> pd.Series | None:
    if outcome.get("source", "cases") != "codings":
        return None
    cc = pd.read_csv(code_counts, dtype={"case_id": str})
    sel = cc[cc["code"] == outcome.get("code", "OUT.EFFECT")].set_index("case_id")
    return sel["balance"] if len(sel) else pd.Series(np.nan, index=index)


def resample_to_file(*, evidence: str, matrix: str, cases: str, conditions: Mapping[str, Any],
                     calibration: Mapping[str, Any], outcome: Mapping[str, Any], qca: Mapping[str, Any],
                     solution: str, resamples: int, seed: int, result: str,
                     overrides: str | Sequence[str] | None = None, codebook: str | None = None,
                     code_counts: str | None = None) -> None:
    """Workflow step: rerun the analysis on codings resampled by their confidence.

    In each draw every auto-coding is kept with probability equal to its confidence and
    then counts as certain; human codings are always kept.  The case matrix is rebuilt,
    calibrated (overrides apply) and minimised.
    """
    conds, ct, mat, out_name, overrides, ov, outcome_raw = _step_inputs(
        matrix=matrix, cases=cases, conditions=conditions, outcome=outcome, overrides=overrides,
        codebook=codebook, code_counts=code_counts)
    ev = pd.read_csv(evidence, dtype={"case_id": str, "passage_id": str}, keep_default_na=False)
    codings = ev.drop_duplicates(["passage_id", "code"])[["passage_id", "code", "polarity", "confidence", "source"]].copy()
    codings["polarity"] = codings["polarity"].astype(int)
    codings["confidence"] = codings["confidence"].astype(float)
    passages = ev[["passage_id", "case_id"]].drop_duplicates("passage_id")
    rng = np.random.default_rng(int(seed))
    runs = []
    done: dict[bytes, dict] = {}  # a draw that keeps the same codings gives the same analysis
    for draw in range(int(resamples)):
        keep = ((codings["source"] != "auto") | (rng.random(len(codings)) < codings["confidence"].to_numpy())).to_numpy()
        key = np.packbits(keep).tobytes()
        if key not in done:
            sample = codings[keep].assign(confidence=1.0)
            cm = build_case_matrix(passages, sample, conditions=conds, cases=list(mat.index))
            d, _, _ = calibrate_memberships(cm.matrix, conditions=conds, calibration=calibration, outcome=outcome,
                                            case_table=ct, outcome_raw=outcome_raw, overrides=ov)
            done[key] = _run_all(d, conds=conds, out_name=out_name, qca=qca, solution=solution)
        runs.append({"draw": draw, **done[key]})
    n_auto = int((codings["source"] == "auto").sum())
    _write_json(_clean({"kind": "resample", "resamples": int(resamples), "seed": int(seed),
                        "n_auto_codings": n_auto, "n_human_codings": int(len(codings) - n_auto), "runs": runs}), result)


def _overlaps(a: str, b: str) -> bool:
    sa, sb = set(parse_term(a)), set(parse_term(b))
    return sa <= sb or sb <= sa


def robustness_to_files(*, base: Sequence[str], grid: Sequence[str], resample: str | None,
                        table: str, summary: str) -> None:
    """Workflow step: share of runs in which each term of the main solutions survives.

    ``exact``: the term itself is in a model of the run; ``related``: a term with a subset
    or superset of its literals is (the path survives, shortened or lengthened).
    """
    base_terms: dict[str, list[str]] = {}
    for path in base:
        r = _read_json(path)
        side = Path(path).stem.split("_", 1)[0]
        base_terms[side] = sorted({t for terms in _terms_of(r) for t in terms})
    families: dict[str, list[dict[str, Any]]] = {"grid": [], "resample": []}
    for path in grid:
        families["grid"].append(_read_json(path))
    coding_counts = {}
    if resample:
        rs = _read_json(resample)
        families["resample"] = rs.get("runs", [])
        coding_counts = {"n_auto_codings": rs.get("n_auto_codings"), "n_human_codings": rs.get("n_human_codings")}
    rows = []
    for side, terms in base_terms.items():
        for term in terms:
            row: dict[str, Any] = {"side": side, "term": term}
            for fam, runs in families.items():
                n = len(runs)
                exact = related = solved = 0
                for run in runs:
                    models = (run.get(side) or {}).get("models") or []
                    all_terms = {t for m in models for t in m}
                    solved += bool(models)
                    exact += term in all_terms
                    related += any(_overlaps(term, t) for t in all_terms)
                row[f"{fam}_runs"] = n
                row[f"{fam}_exact"] = exact / n if n else None
                row[f"{fam}_related"] = related / n if n else None
                row[f"{fam}_solved"] = solved / n if n else None
            rows.append(row)
    df = pd.DataFrame(rows, columns=["side", "term", "grid_runs", "grid_exact", "grid_related", "grid_solved",
                                     "resample_runs", "resample_exact", "resample_related", "resample_solved"])
    write_atomic(df, table, index=False, float_format="%.4g")
    grid_points = [run.get("params", {}) for run in families["grid"]]
    alt: dict[str, dict[str, int]] = {}
    for fam, runs in families.items():
        for run in runs:
            for side in ("outcome", "negation"):
                for m in (run.get(side) or {}).get("models") or []:
                    key = f"{side}|{' + '.join(m)}"
                    alt.setdefault(key, {"grid": 0, "resample": 0})[fam] += 1
    models = [{"side": k.split("|")[0], "model": k.split("|")[1], **v} for k, v in
              sorted(alt.items(), key=lambda kv: -(kv[1]["grid"] + kv[1]["resample"]))]
    grid_runs = [{"params": run.get("params", {}),
                  **{side: [" + ".join(m) for m in (run.get(side) or {}).get("models") or []] or
                     ([f"error: {(run.get(side) or {}).get('error')}"] if (run.get(side) or {}).get("error") else [])
                     for side in ("outcome", "negation")}} for run in families["grid"]]
    _write_json(_clean({"terms": df.to_dict("records"), "grid_points": grid_points, "grid_runs": grid_runs,
                        "n_grid": len(families["grid"]), "n_resample": len(families["resample"]), **coding_counts,
                        "models": models[:40]}), summary)


# ----------------------------------------------------------------------------- findings

def _quote_rank(ev: pd.DataFrame) -> pd.DataFrame:
    ev = ev.copy()
    ev["_human"] = (ev["source"] == "human").astype(int)
    ev["_len"] = ev["text"].astype(str).str.len().clip(upper=200)
    return ev.sort_values(["_human", "confidence", "_len"], ascending=[False, False, False])


def _quotes(ev: pd.DataFrame, *, case_id: str, condition: str, polarity: int, n: int) -> list[dict[str, Any]]:
    sel = ev[(ev["case_id"] == case_id) & (ev["condition"] == condition) & (ev["polarity"] == polarity)]
    if sel.empty:
        return []
    sel = _quote_rank(sel).drop_duplicates("passage_id").head(n)
    cols = ["passage_id", "code", "polarity", "confidence", "source", "evidence", "start", "end", "doc_id",
            "doc_type", "title", "speaker", "role", "section", "turn", "p_start", "p_end", "text"]
    out = sel.reindex(columns=cols).astype(object)
    return out.where(out.notna(), "").to_dict("records")


def _describe_term(term: str, labels: Mapping[str, Mapping[str, str]], out_label: tuple[str, str],
                   negated: bool) -> tuple[str, str]:
    zh, en = [], []
    for name, present in parse_term(term):
        lz = labels.get(name, {}).get("label_zh") or name
        le = labels.get(name, {}).get("label_en") or name
        zh.append(f"{'具备' if present else '缺乏'}{lz}")
        en.append(f"{'presence' if present else 'absence'} of {le.lower() if le else name}")
    oz, oe = out_label
    if negated:
        return ("、".join(zh) + f"的组合导致{oz}未能实现（困境模式）",
                "The combination of " + ", ".join(en) + f" leads to failure ({oe} not achieved): a dilemma pattern")
    return ("、".join(zh) + f"的组合带来{oz}（生成逻辑）",
            "The combination of " + ", ".join(en) + f" leads to {oe}: a generative path")


def findings_to_file(*, data: str, memberships: str, evidence: str, passages: str, cases: str,
                     results: Sequence[str], conditions: Mapping[str, Any], outcome: Mapping[str, Any],
                     report: Mapping[str, Any], result: str, documents: str | None = None,
                     codebook: str | None = None, code_counts: str | None = None) -> None:
    """Workflow step: cases and quotes per solution term; failed cases and optimisation paths."""
    from textqca.casematrix import read_passages

    conds = _conditions(conditions, codebook)
    labels = {c.name: {"label_zh": c.label_zh, "label_en": c.label_en} for c in conds}
    cb = codebook_labels(codebook) if codebook else {}
    out_name = str(outcome.get("name", "OUT"))
    out_label = (str(outcome.get("label_zh") or "协同成效"), str(outcome.get("label_en") or "successful collaboration"))
    df = pd.read_csv(data, dtype={"case": str}).set_index("case")
    ct = read_cases(cases).set_index("case_id")
    ev = pd.read_csv(evidence, dtype=str, keep_default_na=False)
    ev["polarity"] = ev["polarity"].astype(int)
    ev["confidence"] = ev["confidence"].astype(float)
    pas = read_passages(passages)
    keep = [c for c in ["passage_id", "doc_id", "doc_type", "speaker", "role", "section", "turn", "text", "start", "end"]
            if c in pas.columns]
    pas = pas[keep].rename(columns={"start": "p_start", "end": "p_end"})
    ev = ev.merge(pas, on="passage_id", how="left")
    if documents and Path(documents).is_file():
        docs = pd.read_csv(documents, dtype=str, keep_default_na=False)
        if "title" in docs.columns:
            ev = ev.merge(docs[["doc_id", "title"]], on="doc_id", how="left")
    if "title" not in ev.columns:
        ev["title"] = ""
    nq = int(report.get("quotes_per_condition", 2))
    main_type = str(report.get("solution", "intermediate"))

    paths = []
    for path in results:
        r = _read_json(path)
        name = Path(path).stem
        side, sol = name.split("_", 1)
        negated = side == "negation"
        y = 1 - df[out_name] if negated else df[out_name]
        models = []
        for s in _solutions(r):
            terms = []
            fits = {t.get("term"): t for t in s.get("term_fit") or []}
            for term in s.get("terms") or []:
                tm = term_membership(df, term)
                typical = [c for c in df.index if tm[c] > 0.5 and y[c] > 0.5]
                deviant = [c for c in df.index if tm[c] > 0.5 and y[c] < 0.5]
                zh, en = _describe_term(term, labels, out_label, negated)
                entry = {"term": term, "fit": fits.get(term, {}), "description_zh": zh, "description_en": en,
                         "typical": typical, "deviant": deviant, "quotes": {}}
                if sol == main_type:
                    for cid in typical:
                        entry["quotes"][cid] = {
                            lit_name: _quotes(ev, case_id=cid, condition=lit_name, polarity=1 if present else -1, n=nq)
                            for lit_name, present in parse_term(term) if lit_name in labels}
                terms.append(entry)
            models.append({"name": s.get("name"), "expression": s.get("expression"),
                           "inclS": s.get("inclS"), "PRI": s.get("PRI"), "covS": s.get("covS"), "terms": terms})
        mini = (r or {}).get("minimize") or {}
        n_total, n_exact = len(models), True
        if mini.get("solution_type") in ("complex", "parsimonious") and mini.get("n_models_total") is not None:
            # more models than listed (over 10,000), or only a lower bound (charts too entangled to count)
            n_total, n_exact = int(mini["n_models_total"]), bool(mini.get("n_models_exact", True))
        paths.append({"analysis": name, "side": side, "solution": sol, "error": r.get("error"),
                      "skipped": r.get("skipped"), "n_models": n_total, "n_models_exact": n_exact,
                      "models": models})

    # failed cases
    opt_paths = list(report.get("optimisation_paths") or DEFAULT_OPTIMISATION_PATHS)
    code_to_path: dict[str, list[dict[str, Any]]] = {}
    for op in opt_paths:
        for code in op.get("codes", []):
            code_to_path.setdefault(code, []).append(op)
    cc = pd.read_csv(code_counts, dtype={"case_id": str}) if code_counts else None
    failed = []
    for cid in df.index:
        if df.loc[cid, out_name] >= 0.5:
            continue
        conds_out = []
        hit_paths: dict[str, dict[str, Any]] = {}
        for cond in conds:
            if cond.expected != "1":
                continue
            m = float(df.loc[cid, cond.name])
            deficient_codes = []
            for code in cond.codes:
                if cc is not None:
                    r = cc[(cc["case_id"] == cid) & (cc["code"] == code)]
                    bal = float(r["balance"].iloc[0]) if len(r) and not pd.isna(r["balance"].iloc[0]) else None
                    npos = int(r["n_pos"].iloc[0]) if len(r) else 0
                    nneg = int(r["n_neg"].iloc[0]) if len(r) else 0
                else:
                    bal, npos, nneg = None, 0, 0
                if (bal is not None and bal < 0) or (m < 0.5 and (bal is None or bal <= 0)):
                    deficient_codes.append({"code": code, "label_zh": cb.get(code, {}).get("label_zh", ""),
                                            "label_en": cb.get(code, {}).get("label_en", ""),
                                            "n_pos": npos, "n_neg": nneg, "balance": bal,
                                            "paths": [op["id"] for op in code_to_path.get(code, [])]})
            status = "missing" if m < 0.5 else ("deficient" if deficient_codes else "present")
            if status == "present":
                continue
            q = _quotes(ev, case_id=cid, condition=cond.name, polarity=-1, n=nq)
            conds_out.append({"condition": cond.name, "label_zh": cond.label_zh, "label_en": cond.label_en,
                              "membership": m, "status": status, "codes": deficient_codes, "quotes": q})
            for dc in deficient_codes:
                for op in code_to_path.get(dc["code"], []):
                    hp = hit_paths.setdefault(op["id"], {**op, "because": []})
                    hp["because"].append(dc["code"])
        ranked = sorted(hit_paths.values(), key=lambda hp: -len(hp["because"]))
        failed.append({"case_id": cid, "name": str(ct.loc[cid, "name"]) if cid in ct.index else cid,
                       "outcome": float(df.loc[cid, out_name]), "conditions": conds_out, "paths": ranked})

    cases_out = [{"case_id": cid, "name": str(ct.loc[cid, "name"]) if cid in ct.index else cid,
                  "outcome": float(df.loc[cid, out_name]),
                  "outcome_label": str(ct.loc[cid, "outcome_label"]) if cid in ct.index else "",
                  "summary": str(ct.loc[cid, "summary"]) if cid in ct.index else ""} for cid in df.index]
    _write_json(_clean({"outcome": out_name, "outcome_label": out_label, "main_solution": main_type,
                        "conditions": [{"name": c.name, "codes": list(c.codes), "label_zh": c.label_zh,
                                        "label_en": c.label_en, "expected": c.expected, "group": c.group}
                                       for c in conds],
                        "cases": cases_out, "paths": paths, "failed_cases": failed,
                        "optimisation_paths": opt_paths}), result)


def grid_points(robustness: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The Paramspace grid as records (product of the configured value lists)."""
    keys = ["crossover_shift", "anchor_scale", "incl_cut", "n_cut"]
    values = [list(robustness.get(k) or ([0.0] if k == "crossover_shift" else [1.0] if k == "anchor_scale" else []))
              for k in keys]
    return [dict(zip(keys, combo)) for combo in itertools.product(*values)]


def analysis_names(qca: Mapping[str, Any]) -> list[str]:
    """Names of the configured analyses: ``<side>_<solution>`` for the outcome (and its negation)."""
    sides = ["outcome", "negation"] if qca.get("negation", True) else ["outcome"]
    return [f"{side}_{sol}" for side in sides for sol in qca.get("solutions", list(SOLUTION_INCLUDE))]


def check_setup(config: Mapping[str, Any], *, cases: str | Path, codebook: str | Path | None = None,
                source: str = "config/config.yaml") -> list[str]:
    """Check, before any job runs, what a new user most often gets wrong; one-line errors.

    Conditions made from codes the codebook does not define, anchors out of order, a case
    table that is missing or has fewer than 3 cases, an outcome that is not a membership,
    overrides for unknown cases or conditions.  Returns warnings (all cases with the same
    outcome) that the report shows too.
    """
    conds = _conditions(config.get("conditions") or {}, str(codebook) if codebook else None)
    calib = config.get("calibration") or {}
    for cond in conds:
        s = _settings_for(cond.calibration, calib)
        if s["method"] == "fuzzy":
            where = f"conditions.define.{cond.name}.anchors" if "anchors" in cond.calibration else "calibration.anchors"
            _check_anchors(s["anchors"], where=where, source=source)
    sols = list((config.get("qca") or {}).get("solutions") or SOLUTION_INCLUDE)
    for key in ("report", "robustness"):
        want = (config.get(key) or {}).get("solution", "intermediate")
        if want not in sols:
            raise ConfigError(f"{key}.solution is {want!r} but qca.solutions computes only {', '.join(sols)}; "
                              f"add it to qca.solutions or change {key}.solution", path=source, where=f"{key}.solution")
    outcome = config.get("outcome") or {}
    if outcome.get("source", "cases") == "codings":
        _check_anchors(outcome.get("anchors", [-0.5, 0.0, 0.5]), where="outcome.anchors", source=source)
    if not Path(cases).is_file():
        raise ConfigError("case table not found; create it (one row per case, columns in docs/contracts.md) "
                          "or set corpus.cases", path=cases)
    ct = read_cases(cases)
    if len(ct) < 3:
        raise QCAError(f"only {len(ct)} case(s) in the case table; QCA needs at least 3 cases (better 10+)", path=cases)
    warnings = []
    if outcome.get("source", "cases") == "cases":
        ys = []
        for i, (cid, v) in enumerate(zip(ct["case_id"], ct["outcome"]), start=2):
            try:
                y = float(v)
            except ValueError:
                raise CalibrationError(f"outcome of case {cid} is {v!r}; use 1, 0 or a value in (0,1)",
                                       path=cases, where=f"line {i}") from None
            if not 0 <= y <= 1:
                raise CalibrationError(f"outcome of case {cid} is {y:g}; it must lie in [0, 1]", path=cases,
                                       where=f"line {i}")
            ys.append(y)
        if all(y > 0.5 for y in ys) or all(y < 0.5 for y in ys):
            warnings.append("all cases have the same outcome; the report will say so and skip the side with no case")
    ov = calib.get("overrides") or ""
    read_overrides(ov or None, cases=list(ct["case_id"]),
                   conditions=[c.name for c in conds] + [str(outcome.get("name", "OUT"))])
    return warnings


def run_findings(config: Mapping[str, Any], *, results: str | Path, cases: str | Path, codebook: str | Path | None,
                 passages: str | Path, documents: str | Path | None = None, robustness: bool = True) -> dict[str, Path]:
    """Run every step after the case matrix in-process, with the workflow's file layout.

    ``results`` must hold ``casematrix/case_matrix.csv``, ``case_evidence.csv`` and
    ``code_counts.csv``.  Used by ``textqca findings``; the workflow runs the same steps as
    separate jobs (the robustness grid as a Snakemake ``Paramspace``).
    """
    r = Path(results)
    cm = r / "casematrix"
    cb = str(codebook) if codebook else None
    conds, calib, outcome, qca = (dict(config.get(k) or {}) for k in ("conditions", "calibration", "outcome", "qca"))
    ov = calib.get("overrides") or None
    ov = ov if ov and Path(ov).is_file() else None
    check_setup(config, cases=cases, codebook=cb)
    calibrate_to_files(matrix=str(cm / "case_matrix.csv"), code_counts=str(cm / "code_counts.csv"), cases=str(cases),
                       conditions=conds, calibration=calib, outcome=outcome, data=str(r / "qca" / "qca_data.csv"),
                       memberships=str(r / "qca" / "memberships.csv"), report=str(r / "qca" / "calibration.json"),
                       overrides=ov, codebook=cb)
    names = analysis_names(qca)
    specs = [str(r / "qca" / "specs" / f"{n}.json") for n in names]
    specs_to_files(data=str(r / "qca" / "qca_data.csv"), conditions=conds, outcome=outcome, qca=qca, specs=specs,
                   codebook=cb)
    res = [str(r / "qca" / "results" / f"{n}.json") for n in names]
    for spec, out in zip(specs, res):
        run_spec_to_file(spec=spec, result=out, calibration=str(r / "qca" / "calibration.json"))
    two_step_to_file(data=str(r / "qca" / "qca_data.csv"), conditions=conds, outcome=outcome, qca=qca,
                     result=str(r / "qca" / "two_step.json"), codebook=cb)
    out = {"data": r / "qca" / "qca_data.csv", "two_step": r / "qca" / "two_step.json"}
    rob = dict(config.get("robustness") or {})
    if robustness and rob.get("enabled", True):
        sol = str(rob.get("solution", "intermediate"))
        grid = []
        for k, point in enumerate(grid_points(rob)):
            path = r / "robustness" / "grid" / f"run{k:03d}.json"
            robustness_run_to_file(matrix=str(cm / "case_matrix.csv"), code_counts=str(cm / "code_counts.csv"),
                                   cases=str(cases), conditions=conds, calibration=calib, outcome=outcome, qca=qca,
                                   solution=sol, grid=point, result=str(path), overrides=ov, codebook=cb)
            grid.append(str(path))
        resample_to_file(evidence=str(cm / "case_evidence.csv"), matrix=str(cm / "case_matrix.csv"),
                         code_counts=str(cm / "code_counts.csv"), cases=str(cases), conditions=conds,
                         calibration=calib, outcome=outcome, qca=qca, solution=sol,
                         resamples=int(rob.get("resamples", 40)), seed=int(rob.get("seed", 7)),
                         result=str(r / "robustness" / "resample.json"), overrides=ov, codebook=cb)
        base = [str(r / "qca" / "results" / f"{side}_{sol}.json") for side in ("outcome", "negation")
                if f"{side}_{sol}" in names]
        robustness_to_files(base=base, grid=grid, resample=str(r / "robustness" / "resample.json"),
                            table=str(r / "robustness" / "robustness.csv"),
                            summary=str(r / "robustness" / "robustness.json"))
        out["robustness"] = r / "robustness" / "robustness.json"
    findings_to_file(data=str(r / "qca" / "qca_data.csv"), memberships=str(r / "qca" / "memberships.csv"),
                     evidence=str(cm / "case_evidence.csv"), code_counts=str(cm / "code_counts.csv"),
                     passages=str(passages), documents=str(documents) if documents else None, cases=str(cases),
                     codebook=cb, results=res, conditions=conds, outcome=outcome,
                     report=dict(config.get("report") or {}), result=str(r / "findings" / "findings.json"))
    out["findings"] = r / "findings" / "findings.json"
    return out

