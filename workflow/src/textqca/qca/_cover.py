"""Exact solving of a prime implicant chart (internal).

The chart is split into independent blocks (connected components of the
minterm/PI incidence); essential PIs are taken first; each block is solved by
branch and bound on the uncovered minterm with the fewest candidate PIs, with a
lower bound from pairwise incompatible minterms.  Every minimum cover is
enumerated exactly once (a branch forbids the candidates tried before it); the
models of the whole chart are the products of the blocks' models.
"""

from __future__ import annotations

from itertools import product

import numpy as np

__all__ = ["solve_chart", "row_dominance", "TooManyModels"]


class TooManyModels(Exception):
    def __init__(self, count: int):
        super().__init__(count)
        self.count = count


def _bits(x: int):
    while x:
        low = x & -x
        yield low.bit_length() - 1
        x ^= low


def row_dominance(chart: np.ndarray) -> np.ndarray:
    """Indices of PIs kept after removing those whose minterms are a subset of
    another PI's (the first of equal PIs is kept)."""
    n = chart.shape[0]
    keep = np.ones(n, dtype=bool)
    for i in range(n):
        ci = chart[i]
        for j in range(n):
            if i == j or not keep[j]:
                continue
            cj = chart[j]
            if np.all(cj >= ci) and (np.any(cj > ci) or j < i):
                keep[i] = False
                break
    return np.nonzero(keep)[0]


def _block_covers(cov: list[int], nmin: int, all_sol: bool, limit: int) -> list[tuple[int, ...]]:
    """All minimum (or, with all_sol, all irredundant) covers of one block.
    ``cov[i]`` is PI i's minterm bitset over ``nmin`` minterms."""
    full = (1 << nmin) - 1
    col = [[] for _ in range(nmin)]
    for i, c in enumerate(cov):
        for b in _bits(c):
            col[b].append(i)
    reach = []  # minterms coverable together with minterm b
    for b in range(nmin):
        r = 0
        for i in col[b]:
            r |= cov[i]
        reach.append(r)
    best = [len(cov) + 1]
    sols: list[tuple[int, ...]] = []

    def lower_bound(unc: int) -> int:
        n = 0
        while unc:
            b = (unc & -unc).bit_length() - 1
            n += 1
            unc &= ~reach[b]
        return n

    def rec(chosen: list[int], unc: int, forbidden: int):
        if unc == 0:
            if all_sol:
                sols.append(tuple(sorted(chosen)))
            elif len(chosen) < best[0]:
                best[0] = len(chosen)
                sols.clear()
                sols.append(tuple(sorted(chosen)))
            elif len(chosen) == best[0]:
                sols.append(tuple(sorted(chosen)))
            if len(sols) > limit:
                raise TooManyModels(len(sols))
            return
        if not all_sol and len(chosen) + lower_bound(unc) > best[0]:
            return
        # minterm with fewest allowed candidates
        bmin, cmin = -1, None
        for b in _bits(unc):
            cands = [i for i in col[b] if not (forbidden >> i) & 1]
            if cmin is None or len(cands) < len(cmin):
                bmin, cmin = b, cands
                if len(cands) <= 1:
                    break
        if not cmin:
            return
        cmin.sort(key=lambda i: -bin(cov[i] & unc).count("1"))
        for i in cmin:
            rec(chosen + [i], unc & ~cov[i], forbidden)
            forbidden |= 1 << i

    rec([], full, 0)
    if all_sol:
        irr = []
        seen = set()
        for s in sols:
            if s in seen:
                continue
            seen.add(s)
            ok = True
            for i in s:
                others = 0
                for j in s:
                    if j != i:
                        others |= cov[j]
                if others == full:
                    ok = False
                    break
            if ok:
                irr.append(s)
        sols = irr
    return sols


def solve_chart(chart: np.ndarray, *, all_sol: bool = False, limit: int = 100_000) -> list[tuple[int, ...]]:
    """All minimum covers (``all_sol``: all irredundant covers) of a boolean PI chart
    (PIs x minterms), as sorted tuples of PI row numbers, ordered as R orders models
    (lexicographically by PI position; with ``all_sol`` first by size).

    Raises :class:`TooManyModels` when there are more than ``limit`` models."""
    chart = np.asarray(chart, dtype=bool)
    npi, nmin = chart.shape
    if nmin == 0:
        return [()]
    if not chart.any(axis=0).all():
        return []
    essential: set[int] = set()
    if not all_sol:
        ones = chart.sum(axis=0) == 1
        for m in np.nonzero(ones)[0]:
            essential.add(int(np.nonzero(chart[:, m])[0][0]))
    covered = chart[sorted(essential)].any(axis=0) if essential else np.zeros(nmin, dtype=bool)
    rest_m = np.nonzero(~covered)[0]
    rest_p = np.nonzero(chart[:, rest_m].any(axis=1))[0] if len(rest_m) else np.zeros(0, dtype=int)
    rest_p = np.array([p for p in rest_p if p not in essential], dtype=int)
    # connected components over the remaining minterms
    blocks: list[tuple[np.ndarray, np.ndarray]] = []
    if len(rest_m):
        sub = chart[np.ix_(rest_p, rest_m)]
        parent = list(range(len(rest_m)))

        def find(a):
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        for r in range(sub.shape[0]):
            ms = np.nonzero(sub[r])[0]
            for mm in ms[1:]:
                ra, rb = find(ms[0]), find(mm)
                if ra != rb:
                    parent[ra] = rb
        roots = np.array([find(a) for a in range(len(rest_m))])
        for root in np.unique(roots):
            mcols = np.nonzero(roots == root)[0]
            prows = np.nonzero(sub[:, mcols].any(axis=1))[0]
            blocks.append((rest_p[prows], sub[np.ix_(prows, mcols)]))
    parts: list[list[tuple[int, ...]]] = []
    total = 1
    for pis, blk in blocks:
        cov = []
        for r in range(blk.shape[0]):
            bits = 0
            for c in np.nonzero(blk[r])[0]:
                bits |= 1 << int(c)
            cov.append(bits)
        sols = _block_covers(cov, blk.shape[1], all_sol, limit)
        parts.append([tuple(int(pis[i]) for i in s) for s in sols])
        total *= max(1, len(sols))
        if total > limit:
            raise TooManyModels(total)
    models = []
    for combo in product(*parts) if parts else [()]:
        s = set(essential)
        for c in combo:
            s.update(c)
        models.append(tuple(sorted(s)))
    models = sorted(set(models), key=(lambda m: (len(m), m)) if all_sol else None)
    if all_sol:
        # with all_sol the blocks were solved independently: keep irredundant products only
        out = []
        for m in models:
            red = False
            for i in m:
                rest = [j for j in m if j != i]
                if rest and chart[rest].any(axis=0).all():
                    red = True
                    break
            if not red:
                out.append(m)
        models = out
    return models
