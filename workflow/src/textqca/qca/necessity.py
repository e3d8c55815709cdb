"""Necessity analysis: ``pof(..., relation = "necessity")`` and ``superSubset``."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations, product

import numpy as np
import pandas as pd

from textqca.errors import QCAError
from textqca.qca.data import QCAData, prepare
from textqca.qca.fit import necessity_values, sufficiency, term_membership
from textqca.qca.notation import format_term, parse_term

__all__ = ["necessity", "pof", "super_subset"]


def _data(data, outcome, conditions) -> QCAData:
    if isinstance(data, QCAData):
        return data
    return prepare(data, outcome, list(conditions or []))


def _literal_membership(qd: QCAData, j: int, code: int, negate: bool) -> np.ndarray:
    t = tuple(code if i == j else 0 for i in range(len(qd.conditions)))
    m = term_membership(qd, t)
    return 1.0 - m if negate else m


def necessity(data: pd.DataFrame | QCAData, outcome: str, conditions: Sequence[str] | None = None) -> list[dict]:
    """inclN, RoN and covN of every condition and its negation for ``outcome``.

    Binary and fuzzy conditions give ``X`` and ``~X``; a multi-value condition gives
    ``X[v]`` and ``~X[v]`` for every level v (as R's ``pof("X[v]")``)."""
    qd = _data(data, outcome, conditions)
    out = []
    for j, name in enumerate(qd.conditions):
        if qd.multivalue:
            for v in range(qd.noflevels[j]):
                for neg in (False, True):
                    x = _literal_membership(qd, j, v + 1, neg)
                    out.append({"condition": ("~" if neg else "") + f"{name}[{v}]", **necessity_values(x, qd.y)})
        else:
            for neg in (False, True):
                x = _literal_membership(qd, j, 2, neg)
                out.append({"condition": ("~" if neg else "") + name, **necessity_values(x, qd.y)})
    return out


def pof(
    expression: str | Sequence[str],
    data: pd.DataFrame | QCAData,
    outcome: str,
    conditions: Sequence[str] | None = None,
    *,
    relation: str = "necessity",
) -> list[dict]:
    """Parameters of fit of one or more conjunctions (``"DEV*~IND"``) for ``outcome``.

    ``relation="necessity"`` gives inclN, RoN, covN; ``"sufficiency"`` gives
    inclS, PRI, covS."""
    qd = _data(data, outcome, conditions)
    if relation not in ("necessity", "sufficiency"):
        raise QCAError(f"relation must be 'necessity' or 'sufficiency', got {relation!r}")
    exprs = [expression] if isinstance(expression, str) else list(expression)
    out = []
    for e in exprs:
        x = np.zeros(len(qd.cases))
        for disj in str(e).split("+"):
            s = disj.strip()
            x = np.maximum(x, term_membership(qd, parse_term(s, qd.conditions, qd.noflevels)))
        vals = necessity_values(x, qd.y) if relation == "necessity" else sufficiency(x, qd.y)
        out.append({"expression": str(e).strip(), **vals})
    return out


def super_subset(
    data: pd.DataFrame | QCAData,
    outcome: str,
    conditions: Sequence[str] | None = None,
    *,
    relation: str = "necessity",
    incl_cut: float = 1,
    cov_cut: float = 0,
    ron_cut: float = 0,
    depth: int | None = None,
) -> list[dict]:
    """Conjunctions (sufficiency) or disjunctions (necessity) of literals whose
    inclusion reaches ``incl_cut`` and coverage ``cov_cut``, keeping only the
    simplest ones (no listed expression contains a simpler listed one), as R's
    ``superSubset``.  ``depth`` limits the number of literals."""
    qd = _data(data, outcome, conditions)
    if relation not in ("necessity", "sufficiency"):
        raise QCAError(f"relation must be 'necessity' or 'sufficiency', got {relation!r}")
    if not 0 <= incl_cut <= 1:
        raise QCAError(f"incl_cut must lie between 0 and 1, got {incl_cut}")
    k = len(qd.conditions)
    depth = k if depth is None else int(depth)
    tol = 1.4901161193847656e-08
    found: list[tuple[tuple[int, int], ...]] = []
    out = []
    for m in range(1, depth + 1):
        for S in combinations(range(k), m):
            for codes in product(*[range(1, qd.noflevels[j] + 1) for j in S]):
                lits = tuple(zip(S, codes))
                if any(set(f) <= set(lits) for f in found):
                    continue
                mems = [term_membership(qd, tuple(c if i == j else 0 for i in range(k))) for j, c in lits]
                if relation == "necessity":
                    x = np.max(mems, axis=0)
                    v = necessity_values(x, qd.y)
                    ok = (v["inclN"] or 0) + tol >= incl_cut and (v["covN"] or 0) + tol >= cov_cut and (v["RoN"] or 0) + tol >= ron_cut
                    sep = " + "
                else:
                    x = np.min(mems, axis=0)
                    v = sufficiency(x, qd.y)
                    ok = (v["inclS"] or 0) + tol >= incl_cut and (v["covS"] or 0) + tol >= cov_cut
                    sep = "*"
                if ok:
                    found.append(lits)
                    labels = [format_term(tuple(c if i == j else 0 for i in range(k)), qd.conditions, multivalue=qd.multivalue) for j, c in lits]
                    out.append({"expression": sep.join(labels), **v})
    return out
