"""Properties of exact minimization on random truth tables (hypothesis)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textqca.errors import QCAError
from textqca.qca import minimize, truth_table
from textqca.qca._bnb import minimal_covers_on_demand
from textqca.qca._cover import solve_chart
from textqca.qca._primes import cube_contains, cube_points, primes_avoiding
from textqca.qca.minimize import _chart
from textqca.qca.notation import pi_sort_key

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def crisp_tables(draw, max_k: int = 5, mv: bool = True):
    k = draw(st.integers(2, max_k))
    nofl = [draw(st.sampled_from([2, 2, 3])) if mv else 2 for _ in range(k)]
    space = list(itertools.product(*[range(n) for n in nofl]))
    rows = draw(st.lists(st.sampled_from(space), min_size=2, max_size=min(len(space), 14)))
    ys = draw(st.lists(st.sampled_from([0, 1]), min_size=len(rows), max_size=len(rows)))
    names = [f"X{j}" for j in range(k)]
    df = pd.DataFrame(rows, columns=names, index=[f"c{i}" for i in range(len(rows))])
    # make sure the declared number of levels is visible in the data
    df["Y"] = ys
    return df, names, nofl


def _cover_set(terms, nofl) -> set[tuple[int, ...]]:
    pts: set[tuple[int, ...]] = set()
    for t in terms:
        pts.update(map(tuple, cube_points(np.array(t), nofl).tolist()))
    return pts


def _rows(tt, code):
    return {tuple(int(v) for v in r) for r in tt.rows_with(code)}


@SETTINGS
@given(crisp_tables(), st.sampled_from(["", "?", "?,C"]))
def test_models_cover_positives_and_no_negatives(table, include):
    df, names, _ = table
    try:
        tt = truth_table(df, "Y", names, incl_cut=[1, 0.5] if "C" in include else 1)
        sol = minimize(tt, include=include)
    except QCAError:
        return  # no positive or no negative row
    nofl = tt.noflevels
    pos, neg = _rows(tt, "1"), _rows(tt, "0")
    contr = _rows(tt, "C")
    assert sol.models
    for m in sol.models:
        cov = _cover_set(m.terms, nofl)
        assert pos <= cov
        assert not (neg & cov)
        if "C" not in include:
            assert not (contr & cov)
        if include == "":
            assert cov <= pos  # the complex solution never uses remainders
        sizes = {len(x.terms) for x in sol.models}
        assert len(sizes) == 1  # all models are of minimal, equal size


@SETTINGS
@given(crisp_tables(max_k=5), st.data())
def test_complex_within_intermediate_within_parsimonious(table, data):
    df, names, nofl = table
    try:
        tt = truth_table(df, "Y", names)
        dir_exp = [data.draw(st.sampled_from(["-"] + [str(v) for v in range(n)])) for n in tt.noflevels]
        sol = minimize(tt, include="?", dir_exp=dir_exp)
    except QCAError:
        return
    comp = minimize(tt, include="")
    nofl = tt.noflevels
    for combo in sol.combos:
        c_cov = _cover_set(combo.c_sol, nofl)
        p_cov = _cover_set(combo.p_sol, nofl)
        for m in combo.models:
            i_cov = _cover_set(m.terms, nofl)
            assert c_cov <= i_cov <= p_cov
    assert {frozenset(m.terms) for m in comp.models} == {frozenset(c.c_sol) for c in sol.combos}


@SETTINGS
@given(crisp_tables(mv=False))
def test_negated_outcome_is_consistent_with_the_truth_table(table):
    df, names, _ = table
    tt = truth_table(df, "Y", names)
    ttn = truth_table(df, "~Y", names)
    assert np.allclose(ttn.incl, 1 - tt.incl)
    assert _rows(ttn, "1") == {r for r, inc in zip(map(tuple, tt.configs.tolist()), tt.incl) if inc == 0}
    try:
        soln = minimize(ttn, include="?")
    except QCAError:
        return
    for m in soln.models:
        cov = _cover_set(m.terms, tt.noflevels)
        assert _rows(ttn, "1") <= cov
        assert not (_rows(tt, "1") & cov)  # nothing that leads to Y explains ~Y


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_on_demand_search_equals_full_chart(data):
    """The large-problem search (no full PI list) finds exactly the minimal models of the full chart."""
    k = data.draw(st.integers(2, 6))
    nofl = [data.draw(st.sampled_from([2, 2, 3])) for _ in range(k)]
    space = np.array(list(itertools.product(*[range(n) for n in nofl])))
    perm = data.draw(st.permutations(range(len(space))))
    non = data.draw(st.integers(1, min(10, len(space) - 1)))
    noff = data.draw(st.integers(1, min(12, len(space) - non)))
    on, off = space[list(perm[:non])], space[list(perm[non : non + noff])]
    pis = sorted({tuple(int(v) for v in p) for p in primes_avoiding(on, off, nofl)}, key=pi_sort_key)
    for p in pis:  # every PI avoids the negatives and covers a positive
        assert not cube_contains(np.array(p), off).any() and cube_contains(np.array(p), on).any()
    cs = solve_chart(_chart(np.array(pis), on, nofl))
    full = {frozenset(pis[i] for i in m) for m in cs.models()}
    models, count = minimal_covers_on_demand(on, off, nofl)
    assert {frozenset(m) for m in models} == full
    assert count == cs.count
