"""The exact chart solver: LP reduction, cuts and variable elimination against brute force.

Large complex solutions go through :func:`textqca.qca._cover._lp_reduce` (reduced-cost
fixing, local cuts for integrality gaps) and :mod:`textqca.qca._dp` (bucket elimination);
small blocks through the AND/OR search.  Every path must give exactly the same set of
minimum covers as enumerating all subsets of PIs.
"""

from __future__ import annotations

import random
from itertools import combinations

import numpy as np
import pytest

from textqca.qca import _cover
from textqca.qca._dp import solve_block_dp
from textqca.qca._tree import solve_block


def brute_force(chart: np.ndarray) -> set[tuple[int, ...]]:
    npi, nmin = chart.shape
    for size in range(1, npi + 1):
        found = {c for c in combinations(range(npi), size) if chart[list(c)].any(axis=0).all()}
        if found:
            return found
    return set()


def random_chart(rng: random.Random, nmin: int, npi: int) -> np.ndarray:
    chart = np.zeros((npi, nmin), dtype=bool)
    for i in range(npi):
        for j in rng.sample(range(nmin), rng.choice([1, 2, 2, 2, 3, 4])):
            chart[i, j] = True
    for j in range(nmin):  # every minterm coverable
        if not chart[:, j].any():
            chart[rng.randrange(npi), j] = True
    return chart


def bitsets(chart: np.ndarray) -> list[int]:
    return [sum(1 << int(j) for j in np.nonzero(row)[0]) for row in chart]


@pytest.mark.parametrize("seed", range(40))
def test_every_path_gives_the_brute_force_covers(seed, monkeypatch):
    rng = random.Random(seed)
    chart = random_chart(rng, rng.randint(6, 13), rng.randint(6, 15))
    expected = brute_force(chart)
    # DP and search directly on the block
    dp = solve_block_dp(bitsets(chart), chart.shape[1])
    assert dp is not None and set(dp.iter()) == expected and dp.count == len(expected)
    tree = solve_block(bitsets(chart), chart.shape[1])
    assert {tuple(sorted(m)) for m in tree.iter()} == expected
    # the whole chart solver with the LP reduction and DP forced on every block
    monkeypatch.setattr(_cover, "_LP_MIN_BLOCK", 1)
    cs = _cover.solve_chart(chart)
    assert set(cs.models()) == expected and cs.count == len(expected)


def test_lp_cuts_close_an_integrality_gap():
    # three minterms, three PIs covering two each (an odd cycle): LP 1.5, minimum cover 2;
    # a fourth PI covering one minterm can only be in a cover of size 2 with another
    chart = np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1], [1, 0, 0]], dtype=bool)
    from scipy import sparse

    keep, opt, duals, first = _cover._lp_reduce(sparse.csr_matrix(chart))
    assert opt == 2 and duals is None  # cuts were needed
    assert len(first) == 2 and chart[first].any(axis=0).all()
    expected = brute_force(chart)
    used = {i for m in expected for i in m}
    assert set(np.nonzero(keep)[0]) >= used


@pytest.mark.parametrize("seed", range(40))
def test_blocks_too_wide_to_count_still_list_exactly_the_minimum_covers(seed, monkeypatch):
    """When neither elimination nor search can count a block, its minimum size is still
    exact, its listing yields exactly the minimum covers, and the count is a lower bound."""
    rng = random.Random(100 + seed)
    chart = random_chart(rng, rng.randint(8, 13), rng.randint(8, 15))
    expected = brute_force(chart)
    monkeypatch.setattr(_cover, "_LP_MIN_BLOCK", 1)
    monkeypatch.setattr(_cover, "_MAX_SEARCH_BLOCK", 0)
    monkeypatch.setattr(_cover, "solve_block_dp", lambda cov, n, **kw: None)
    cs = _cover.solve_chart(chart)
    models = cs.models()
    assert set(models) == expected and len(models) == len(expected)
    if cs.exact:
        assert cs.count == len(expected)
    else:
        assert 1 <= cs.count <= len(expected)
        assert not _cover.is_exact(cs.blocks[0])  # listed first, so it is asked for few covers


def test_the_forced_hard_path_is_really_taken(monkeypatch):
    monkeypatch.setattr(_cover, "_LP_MIN_BLOCK", 1)
    monkeypatch.setattr(_cover, "_MAX_SEARCH_BLOCK", 0)
    monkeypatch.setattr(_cover, "solve_block_dp", lambda cov, n, **kw: None)
    inexact = 0
    for seed in range(40):
        rng = random.Random(100 + seed)
        chart = random_chart(rng, rng.randint(8, 13), rng.randint(8, 15))
        inexact += not _cover.solve_chart(chart).exact
    assert inexact >= 20  # most random charts keep a block the forced path cannot count


def test_an_unprovable_minimum_stops_with_its_bounds(monkeypatch):
    def give_up(sub, time_limit=None):
        raise _cover.MinimumUnproven(4, 6)

    chart = np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1], [1, 0, 0]], dtype=bool)  # fractional LP
    monkeypatch.setattr(_cover, "_LP_MIN_BLOCK", 1)
    monkeypatch.setattr(_cover, "_cover_milp", give_up)
    with pytest.raises(_cover.MinimumUnproven) as exc:
        _cover.solve_chart(chart)
    assert (exc.value.lower, exc.value.upper) == (4, 6)


def test_benchmark_design_dp_path_equals_search_path(monkeypatch):
    """On the benchmark's k = 10 design the LP + DP path and the plain search agree exactly."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bench_qca import design

    from textqca.qca import minimize, truth_table

    df, _ = design(10)
    tt = truth_table(df, "Y", [c for c in df.columns if c != "Y"], incl_cut=1)
    fast = minimize(tt, include="")
    monkeypatch.setattr(_cover, "_LP_MIN_BLOCK", 10**9)
    slow = minimize(tt, include="")
    assert fast.n_models == slow.n_models == len(fast.models) > 1  # few enough to list all
    assert {tuple(sorted(m.terms)) for m in fast.models} == {tuple(sorted(m.terms)) for m in slow.models}
