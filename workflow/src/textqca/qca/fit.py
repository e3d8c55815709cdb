"""Parameters of fit, as R's QCA computes them (C function ``C_pof``).

Sufficiency of a term with membership x for outcome y:
``inclS = Σmin(x,y)/Σx``, ``PRI = (Σmin(x,y) − Σmin(x,y,1−y)) / (Σx − Σmin(x,y,1−y))``,
``covS = Σmin(x,y)/Σy`` and ``covU`` = covS minus what the other terms of the
same model also cover.  Necessity: ``inclN = Σmin(x,y)/Σy``,
``RoN = Σ(1−x)/Σ(1−min(x,y))``, ``covN = Σmin(x,y)/Σx``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from textqca.qca.data import QCAData
from textqca.qca.notation import Term

__all__ = ["term_membership", "sufficiency", "necessity_values", "model_fit"]


def term_membership(data: QCAData, term: Term) -> np.ndarray:
    """Membership of every case in a conjunction (minimum over its literals)."""
    m = np.ones(len(data.cases))
    for j, code in enumerate(term):
        if code == 0:
            continue
        col = data.x[:, j]
        if data.fuzzy[j]:
            lit = col if code == 2 else 1.0 - col
        else:
            lit = (col == code - 1).astype(float)
        m = np.minimum(m, lit)
    return m


def _div(a: float, b: float) -> float | None:
    if b == 0:
        return None
    return float(a / b)


def sufficiency(x: np.ndarray, y: np.ndarray) -> dict[str, float | None]:
    """inclS, PRI and covS of one membership vector ``x`` for outcome ``y``."""
    mxy = np.minimum(x, y)
    sxy = mxy.sum()
    sx = x.sum()
    sy = y.sum()
    prod = np.minimum(mxy, 1.0 - y).sum()
    return {
        "inclS": _div(sxy, sx),
        "PRI": _div(sxy - prod, sx - prod),
        "covS": _div(sxy, sy),
    }


def necessity_values(x: np.ndarray, y: np.ndarray) -> dict[str, float | None]:
    """inclN, RoN and covN of a condition (membership ``x``) for outcome ``y``."""
    mxy = np.minimum(x, y)
    return {
        "inclN": _div(mxy.sum(), y.sum()),
        "RoN": _div((1.0 - x).sum(), (1.0 - mxy).sum()),
        "covN": _div(mxy.sum(), x.sum()),
    }


def _zero(v: float | None, cut: float) -> float | None:
    if v is None or np.isnan(v):
        return None
    return 0.0 if v < cut else float(v)


def model_fit(
    data: QCAData,
    terms: Sequence[Term],
    labels: Sequence[str],
    *,
    zero_below: float = 1e-5,
    memberships: dict[Term, np.ndarray] | None = None,
) -> tuple[list[dict], dict]:
    """Per-term fit (inclS, PRI, covS, covU) and the model's inclS, PRI, covS.

    ``covU`` is relative to the other terms given; a one-term model has ``covU``
    ``None`` (R's NA).  Values below ``zero_below`` are set to 0 as the package does
    (1e-5 for a single model / the overall table, 1e-4 for per-model tables).
    """
    y = data.y
    sy = y.sum()
    mems = []
    for t in terms:
        if memberships is not None and t in memberships:
            mems.append(memberships[t])
        else:
            m = term_membership(data, t)
            if memberships is not None:
                memberships[t] = m
            mems.append(m)
    mat = np.vstack(mems) if mems else np.zeros((0, len(y)))
    rows = []
    for i, lab in enumerate(labels):
        fit = sufficiency(mat[i], y)
        if len(terms) > 1:
            others = np.delete(mat, i, axis=0).max(axis=0)
            mxy = np.minimum(mat[i], y)
            cov_u = _div(mxy.sum() - np.minimum(mxy, np.minimum(others, y)).sum(), sy)
        else:
            cov_u = None
        fit["covU"] = cov_u
        rows.append({"term": lab, **{k: _zero(v, zero_below) for k, v in fit.items()}})
    model = mat.max(axis=0) if len(terms) else np.zeros(len(y))
    mfit = {k: _zero(v, zero_below) for k, v in sufficiency(model, y).items()}
    return rows, mfit
