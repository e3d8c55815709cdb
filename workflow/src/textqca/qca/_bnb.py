"""Exact minimal covers without listing every prime implicant (internal).

For large parsimonious problems (many conditions, many remainders) the full list
of prime implicants can run into millions although the minimal models use a
handful.  This search never builds the full chart:

* the prime implicants *containing one positive row p* are the minimal hitting
  sets of the "difference masks" between p and every negative row (a term that
  keeps the literals S of p avoids negative row q iff S meets the conditions
  where p and q differ); they are generated on demand, per row, and cached;
* branch and bound on rows: pick the uncovered positive row with the most
  negative neighbours (fewest prime implicants), branch on every prime
  implicant containing it (earlier siblings are forbidden in later branches, so
  each cover is found once), and prune with a lower bound: rows picked so that
  no prime implicant contains two of them need one term each.

Every minimal cover is found (exact); the result is the same as solving the full
chart, which the tests check on random tables.
"""

from __future__ import annotations

import numpy as np

__all__ = ["minimal_covers_on_demand"]


def _popcount(a: np.ndarray) -> np.ndarray:
    a = a.astype(np.uint64)
    c = np.zeros(a.shape, dtype=np.int64)
    for s in range(0, 64, 8):
        c += _POP8[((a >> np.uint64(s)) & np.uint64(255)).astype(np.int64)]
    return c


_POP8 = np.array([bin(i).count("1") for i in range(256)], dtype=np.int64)


class _Oracle:
    def __init__(self, on: np.ndarray, off: np.ndarray, noflevels):
        self.on = np.asarray(on, dtype=np.int64)
        self.off = np.asarray(off, dtype=np.int64)
        self.k = self.on.shape[1]
        self.binary = all(n == 2 for n in noflevels)
        self.weights = np.int64(1) << np.arange(self.k, dtype=np.int64)
        if self.binary:
            self.on_codes = self.on @ self.weights
            self.off_codes = self.off @ self.weights
        self.pis_cache: dict[int, list[tuple[int, int]]] = {}
        self.cov_cache: dict[tuple[int, int], np.ndarray] = {}
        self._term_of: dict[tuple[int, int], tuple[int, int]] = {}
        self.noflevels = list(noflevels)

    # difference masks of row p against a set of rows
    def _diff(self, p: int, which: str) -> np.ndarray:
        if self.binary:
            codes = self.on_codes if which == "on" else self.off_codes
            pc = self.on_codes[p]
            return codes ^ pc
        arr = self.on if which == "on" else self.off
        return (arr != self.on[p]) @ self.weights

    def key(self, p: int, s: int) -> tuple[int, int]:
        """A term is identified by its literal set S and the values of p on S."""
        if self.binary:
            return (s, int(self.on_codes[p]) & s)
        vals = 0
        for j in range(self.k):
            if (s >> j) & 1:
                vals = vals * 64 + int(self.on[p, j]) + 1
            else:
                vals = vals * 64
        return (s, vals)

    def term(self, p: int, s: int) -> tuple[int, ...]:
        return tuple(int(self.on[p, j]) + 1 if (s >> j) & 1 else 0 for j in range(self.k))

    def pis(self, p: int) -> list[tuple[int, int]]:
        """Literal sets S of the prime implicants containing positive row p."""
        got = self.pis_cache.get(p)
        if got is not None:
            return got
        d = np.unique(self._diff(p, "off"))
        results: list[int] = []
        # minimal hitting sets by branching on the smallest unhit mask
        stack = [(0, d, 0)]  # (chosen S, unhit masks, excluded elements)
        while stack:
            s, masks, excl = stack.pop()
            if len(masks) == 0:
                results.append(s)
                continue
            pc = _popcount(masks)
            i = int(np.argmin(pc))
            m = int(masks[i])
            if m == 0:
                continue
            elems = [j for j in range(self.k) if (m >> j) & 1]
            # branch: take elems[t], exclude elems[:t]
            excluded_here = 0
            for b in elems:
                bit = 1 << b
                rest = masks[(masks & bit) == 0]
                newex = excl | excluded_here
                if newex and len(rest):
                    red = rest & ~np.int64(newex)
                    if (red == 0).any():
                        excluded_here |= bit
                        continue
                    rest_use = red
                else:
                    rest_use = rest
                stack.append((s | bit, rest_use, newex))
                excluded_here |= bit
        # keep minimal hitting sets only (each literal has a private mask)
        res = sorted(set(results), key=lambda v: bin(v).count("1"))
        minimal = []
        for s in res:
            if any((t & s) == t for t in minimal):
                continue
            minimal.append(s)
        out = [self.key(p, s) for s in minimal]
        for key, sm in zip(out, minimal):
            self._term_of[key] = (p, sm)
        self.pis_cache[p] = out
        return out

    def cover(self, key: tuple[int, int]) -> np.ndarray:
        got = self.cov_cache.get(key)
        if got is not None:
            return got
        p, s = self._term_of[key]
        cov = (self._diff(p, "on") & np.int64(s)) == 0
        self.cov_cache[key] = cov
        return cov

    def term_of(self, key) -> tuple[int, ...]:
        p, s = self._term_of[key]
        return self.term(p, s)


def _priority(orc: _Oracle, noflevels) -> np.ndarray:
    """Positive rows ordered by their number of negative neighbours (desc)."""
    n = len(orc.on)
    count = np.zeros(n, dtype=np.int64)
    mult = np.ones(orc.k, dtype=np.int64)
    for j in range(orc.k - 2, -1, -1):
        mult[j] = mult[j + 1] * noflevels[j + 1]
    on_c = orc.on @ mult
    off_c = np.sort(orc.off @ mult)
    for j in range(orc.k):
        for v in range(noflevels[j]):
            nb = on_c + (v - orc.on[:, j]) * mult[j]
            pos = np.searchsorted(off_c, nb)
            pos[pos >= len(off_c)] = 0
            hit = (off_c[pos] == nb) & (orc.on[:, j] != v)
            count += hit
    return np.argsort(-count, kind="stable")


def minimal_covers_on_demand(on: np.ndarray, off: np.ndarray, noflevels, *, limit: int = 100_000):
    """All minimum covers of the positive rows ``on`` by prime implicants that
    avoid the negative rows ``off`` (everything else a don't care).

    Returns ``(models, n_models)``: models as lists of terms (code tuples), at
    most ``limit`` of them, and the exact number of minimum models found."""
    orc = _Oracle(on, off, noflevels)
    n = len(orc.on)
    order = _priority(orc, noflevels)

    def first_uncovered(unc: np.ndarray) -> int:
        sel = unc[order]
        i = int(np.argmax(sel))
        return int(order[i]) if sel[i] else -1

    def reach(p: int) -> np.ndarray:
        r = np.zeros(n, dtype=bool)
        for key in orc.pis(p):
            r |= orc.cover(key)
        return r

    reach_cache: dict[int, np.ndarray] = {}

    def lower_bound(unc: np.ndarray, cap: int) -> int:
        rem = unc.copy()
        cnt = 0
        while True:
            p = first_uncovered(rem)
            if p < 0:
                return cnt
            cnt += 1
            if cnt > cap:
                return cnt
            r = reach_cache.get(p)
            if r is None:
                r = reach_cache[p] = reach(p)
            rem &= ~r

    # greedy upper bound
    unc = np.ones(n, dtype=bool)
    ub = 0
    while unc.any():
        p = first_uncovered(unc)
        best_key = max(orc.pis(p), key=lambda k: int((orc.cover(k) & unc).sum()))
        unc &= ~orc.cover(best_key)
        ub += 1
    best = [ub]
    found: list[tuple] = []
    count = [0]

    def search(chosen: list, unc: np.ndarray, forbidden: frozenset) -> None:
        if not unc.any():
            if len(chosen) < best[0]:
                best[0] = len(chosen)
                found.clear()
                count[0] = 0
            count[0] += 1
            if len(found) < limit:
                found.append(tuple(chosen))
            return
        if len(chosen) >= best[0]:
            return
        lb = lower_bound(unc, best[0] - len(chosen))
        if len(chosen) + lb > best[0]:
            return
        p = first_uncovered(unc)
        cands = [k for k in orc.pis(p) if k not in forbidden]
        cands.sort(key=lambda k: -int((orc.cover(k) & unc).sum()))
        forb = set(forbidden)
        for key in cands:
            search(chosen + [key], unc & ~orc.cover(key), frozenset(forb))
            forb.add(key)

    search([], np.ones(n, dtype=bool), frozenset())
    models = [[orc.term_of(k) for k in m] for m in found]
    return models, count[0]
