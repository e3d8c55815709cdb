"""Truth tables as R's QCA builds them (``truthTable()``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from textqca.errors import QCAError
from textqca.qca.data import QCAData, prepare
from textqca.qca.notation import format_term

__all__ = ["TruthTable", "truth_table", "TOL"]

#: admisc's tolerance (sqrt(.Machine$double.eps)) used in the cut-off comparisons
TOL = float(np.sqrt(np.finfo(float).eps))


def _cuts(incl_cut) -> tuple[float, float | None]:
    vals = list(incl_cut) if isinstance(incl_cut, (list, tuple, np.ndarray)) else [incl_cut]
    if not 1 <= len(vals) <= 2:
        raise QCAError("incl_cut takes one value, or two (incl1, incl0) for contradictions")
    try:
        vals = [float(v) for v in vals]
    except (TypeError, ValueError):
        raise QCAError(f"incl_cut must be numbers, got {incl_cut!r}") from None
    for v in vals:
        if not 0 <= v <= 1:
            raise QCAError(f"incl_cut must lie between 0 and 1, got {v:g}")
    if len(vals) == 2:
        if vals[1] > vals[0]:
            raise QCAError("incl_cut: the second value (incl0) must not exceed the first (incl1)")
        return vals[0], vals[1]
    return vals[0], None


@dataclass
class TruthTable:
    """The observed rows of a truth table, with R's OUT coding.

    ``configs`` (rows x conditions, int) are the row values, ``index`` R's 1-based
    row numbers (first condition most significant), ``out`` one of ``"1"``, ``"0"``,
    ``"C"`` or ``"?"`` (a row below ``n_cut``), ``cases`` the case names per row.
    Rows with no case (remainders) are not stored: every configuration whose
    index is not listed (or is ``"?"``) is a remainder.
    """

    data: QCAData
    configs: np.ndarray
    index: np.ndarray
    n: np.ndarray
    incl: np.ndarray
    pri: np.ndarray
    out: np.ndarray
    out_if_n_cut_met: np.ndarray
    cases: list[list[str]]
    incl_cut: tuple[float, float | None]
    n_cut: int
    pri_cut: float
    exclude: tuple[int, ...] = ()
    warnings: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ helpers
    @property
    def conditions(self) -> tuple[str, ...]:
        return self.data.conditions

    @property
    def noflevels(self) -> tuple[int, ...]:
        return self.data.noflevels

    @property
    def multivalue(self) -> bool:
        return self.data.multivalue

    @property
    def n_configurations(self) -> int:
        return int(np.prod(self.noflevels, dtype=object))

    def rows_with(self, code: str) -> np.ndarray:
        """Configurations (rows x k) of the rows coded ``code``."""
        return self.configs[self.out == code]

    def config_string(self, cfg: Sequence[int]) -> str:
        return "".join(str(int(v)) for v in cfg)

    def row_index(self, cfgs: np.ndarray) -> np.ndarray:
        mult = _multipliers(self.noflevels)
        return np.asarray(cfgs, dtype=np.int64) @ mult + 1

    def to_frame(self) -> pd.DataFrame:
        """One row per observed configuration: conditions, OUT, n, incl, PRI, cases."""
        df = pd.DataFrame(self.configs, columns=list(self.conditions))
        df.insert(0, "index", self.index)
        df["OUT"] = self.out
        df["n"] = self.n
        df["incl"] = self.incl
        df["PRI"] = self.pri
        df["cases"] = [",".join(c) for c in self.cases]
        return df

    def to_dict(self) -> dict:
        """The ``truth_table`` part of RESULT.json (see docs/qca-result-format.md)."""
        rows = []
        for i in range(len(self.index)):
            row = {
                "index": int(self.index[i]),
                "config": self.config_string(self.configs[i]),
                "OUT": str(self.out[i]),
                "n": int(self.n[i]),
                "incl": _num(self.incl[i]),
                "PRI": _num(self.pri[i]),
                "cases": list(self.cases[i]),
            }
            if self.out[i] == "?":
                row["below_n_cut"] = True
                row["OUT_if_n_cut_met"] = str(self.out_if_n_cut_met[i])
            rows.append(row)
        return {
            "conditions": list(self.conditions),
            "outcome": self.data.outcome,
            "noflevels": list(self.noflevels),
            "fuzzy_conditions": list(self.data.fuzzy),
            "multivalue": self.multivalue,
            "n_configurations": self.n_configurations,
            "incl_cut": [c for c in self.incl_cut if c is not None],
            "n_cut": self.n_cut,
            "pri_cut": self.pri_cut,
            "exclude": list(self.exclude),
            "rows": rows,
            "counts": {
                "observed_rows": int(len(self.index)),
                "OUT1": int((self.out == "1").sum()),
                "OUT0": int((self.out == "0").sum()),
                "OUTC": int((self.out == "C").sum()),
                "below_n_cut": int((self.out == "?").sum()),
            },
        }

    def case_numbers(self) -> dict[str, int]:
        """Cases in positive, negative and contradictory rows (R's ``numbers``)."""
        res = {}
        for key, code in (("OUT1", "1"), ("OUT0", "0"), ("OUTC", "C")):
            res[key] = int(self.n[self.out == code].sum())
        res["Total"] = res["OUT1"] + res["OUT0"] + res["OUTC"]
        return res

    def term_label(self, term) -> str:
        return format_term(term, self.conditions, multivalue=self.multivalue)


def _num(v: float) -> float | None:
    return None if v is None or np.isnan(v) else float(v)


def _multipliers(noflevels: Sequence[int]) -> np.ndarray:
    k = len(noflevels)
    mult = np.ones(k, dtype=np.int64)
    for j in range(k - 2, -1, -1):
        mult[j] = mult[j + 1] * noflevels[j + 1]
    return mult


def _row_memberships(data: QCAData, configs: np.ndarray) -> np.ndarray:
    """Membership of every case (columns) in every configuration (rows)."""
    nrow, k = configs.shape
    out = np.ones((nrow, len(data.cases)))
    for j in range(k):
        col = data.x[:, j]
        vals = configs[:, j][:, None]
        if data.fuzzy[j]:
            lit = np.where(vals == 1, col[None, :], 1.0 - col[None, :])
        else:
            lit = (col[None, :] == vals).astype(float)
        np.minimum(out, lit, out=out)
    return out


def truth_table(
    data: pd.DataFrame | QCAData,
    outcome: str | None = None,
    conditions: Sequence[str] | None = None,
    *,
    incl_cut: float | Sequence[float] = 1,
    n_cut: int = 1,
    pri_cut: float = 0,
    exclude: Sequence[int] | None = None,
) -> TruthTable:
    """Build the truth table of ``outcome`` (``"~Y"`` for its negation) on ``conditions``.

    A case belongs to the row where its membership is above 0.5 (a fuzzy score of
    exactly 0.5 puts it in no row, with a warning); ``incl`` and ``PRI`` of a row
    use all cases.  A row with ``n < n_cut`` is a remainder (``"?"``); otherwise
    it is ``"1"`` when ``incl`` reaches ``incl_cut`` (and PRI reaches ``pri_cut``),
    ``"C"`` (contradiction) when a second ``incl_cut`` value is given and ``incl``
    lies between the two, else ``"0"``.  ``exclude`` lists row numbers (R's index)
    coded ``"0"`` whatever their cases say.
    """
    if isinstance(data, QCAData):
        qd = data
    else:
        if outcome is None:
            raise QCAError("truth_table needs an outcome")
        qd = prepare(data, outcome, list(conditions or []))
    if not qd.conditions:
        raise QCAError("truth_table needs at least one condition")
    ic1, ic0 = _cuts(incl_cut)
    try:
        n_cut = int(n_cut)
        pri_cut = float(pri_cut)
    except (TypeError, ValueError):
        raise QCAError("n_cut must be a whole number and pri_cut a number") from None
    if n_cut < 1:
        raise QCAError(f"n_cut must be at least 1, got {n_cut}")
    if not 0 <= pri_cut <= 1:
        raise QCAError(f"pri_cut must lie between 0 and 1, got {pri_cut:g}")
    warnings: list[str] = []
    k = len(qd.conditions)
    fuzzy = np.array(qd.fuzzy)
    x = qd.x
    if fuzzy.any():
        fz = x[:, fuzzy]
        if np.any(fz == 0.5):
            warnings.append("Fuzzy causal conditions should not have values of 0.5 in the data.")
    caserow = np.where(fuzzy[None, :], (x > 0.5).astype(np.int64), np.round(x).astype(np.int64))
    in_a_row = ~np.any(fuzzy[None, :] & (x == 0.5), axis=1)
    mult = _multipliers(qd.noflevels)
    codes = caserow @ mult
    valid_codes = codes[in_a_row]
    uniq, inverse, counts = np.unique(valid_codes, return_inverse=True, return_counts=True)
    # configs from codes
    configs = np.zeros((len(uniq), k), dtype=np.int64)
    rem = uniq.copy()
    for j in range(k):
        configs[:, j] = rem // mult[j]
        rem = rem % mult[j]
    y = qd.y
    if fuzzy.any():
        sm = np.zeros(len(uniq))
        sxy = np.zeros(len(uniq))
        sxyny = np.zeros(len(uniq))
        step = max(1, 2_000_000 // max(1, len(qd.cases)))
        for a in range(0, len(uniq), step):
            mem = _row_memberships(qd, configs[a : a + step])
            sm[a : a + step] = mem.sum(axis=1)
            mxy = np.minimum(mem, y[None, :])
            sxy[a : a + step] = mxy.sum(axis=1)
            sxyny[a : a + step] = np.minimum(mxy, 1.0 - y[None, :]).sum(axis=1)
    else:
        yv = y[in_a_row]
        sm = counts.astype(float)
        sxy = np.bincount(inverse, weights=yv, minlength=len(uniq))
        sxyny = np.bincount(inverse, weights=np.minimum(yv, 1.0 - yv), minlength=len(uniq))
    with np.errstate(divide="ignore", invalid="ignore"):
        incl = np.where(sm > 0, sxy / sm, np.nan)
        pri = np.where(sm - sxyny > 0, (sxy - sxyny) / (sm - sxyny), np.nan)
    inclv = np.nan_to_num(incl, nan=0.0)
    priv = np.nan_to_num(pri, nan=0.0)
    out = np.where((inclv + TOL > ic1) & (priv + TOL > pri_cut), "1", "0").astype(object)
    if ic0 is not None:
        contr = (inclv < ic1) & (inclv + TOL > ic0)
        out[contr] = "C"
    index = uniq + 1
    excl = tuple(int(e) for e in (exclude or ()))
    nconf = int(np.prod(qd.noflevels, dtype=object))
    for e in excl:
        if not 1 <= e <= nconf:
            raise QCAError(f"exclude: row {e} does not exist (rows are 1..{nconf})")
    if excl:
        out[np.isin(index, excl)] = "0"
    out_met = out.copy()
    out[counts < n_cut] = "?"
    # case names per row in data order
    names = np.array(qd.cases, dtype=object)[in_a_row]
    order = np.argsort(inverse, kind="stable")
    bounds = np.cumsum(counts)[:-1]
    cases = [list(g) for g in np.split(names[order], bounds)] if len(uniq) else []
    if not np.any(counts >= n_cut):
        raise QCAError("There are no configurations, using these cutoff values (lower n_cut)")
    return TruthTable(
        data=qd,
        configs=configs,
        index=index,
        n=counts,
        incl=incl,
        pri=pri,
        out=np.array(out, dtype=object),
        out_if_n_cut_met=np.array(out_met, dtype=object),
        cases=cases,
        incl_cut=(ic1, ic0),
        n_cut=n_cut,
        pri_cut=pri_cut,
        exclude=excl,
        warnings=warnings,
    )
