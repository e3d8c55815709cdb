"""All minimum covers of a chart block by variable elimination (internal).

The cover problem of one block is a set of binary variables (one per PI) and one
OR-constraint per minterm.  Eliminating the variables one at a time in a
min-degree order (bucket elimination) over the semiring "(size, number of
covers of that size)" gives the minimum size and the exact number of minimum
covers in time exponential only in the *width* of the order, not in the number
of PIs.  Once the LP bound has removed the PIs that cannot be in a minimum cover
(:func:`textqca.qca._cover._lp_reduce`), the blocks of large QCA charts are long
and thin (width 5–11 on blocks of hundreds of minterms), so this is where the
exact enumeration of astronomically many models stays fast.

The buckets are kept, so that the minimum covers can be listed lazily: every
path through the buckets in reverse order that keeps the optimum is one cover.
"""

from __future__ import annotations

import heapq

import numpy as np

__all__ = ["DPBlock", "elimination_order", "solve_block_dp"]

_INF = np.int64(1) << 40


def _columns(cov: list[int], nmin: int) -> list[list[int]]:
    """The PIs covering each minterm, in increasing order."""
    col: list[list[int]] = [[] for _ in range(nmin)]
    for i, c in enumerate(cov):
        b = c
        while b:
            low = b & -b
            col[low.bit_length() - 1].append(i)
            b ^= low
    return col


def elimination_order(col: list[list[int]], npi: int, max_width: int) -> list[int] | None:
    """A min-degree elimination order of the PIs (``col``: the PIs of each minterm), or
    ``None`` if its width exceeds ``max_width``."""
    adj: dict[int, set[int]] = {i: set() for i in range(npi)}
    for lst in col:
        for a in lst:
            adj[a].update(x for x in lst if x != a)
    heap = [(len(nb), u) for u, nb in adj.items()]
    heapq.heapify(heap)
    order = []
    while adj:
        d, v = heapq.heappop(heap)
        if v not in adj or d != len(adj[v]):
            continue  # a stale entry: the degree changed since it was pushed
        nb = adj.pop(v)
        if len(nb) > max_width:
            return None
        order.append(v)
        for a in nb:
            adj[a].discard(v)
            adj[a].update(x for x in nb if x != a)
            heapq.heappush(heap, (len(adj[a]), a))
    return order


class _Factor:
    __slots__ = ("scope", "cost", "count")

    def __init__(self, scope: tuple[int, ...], cost: np.ndarray, count: np.ndarray):
        self.scope, self.cost, self.count = scope, cost, count

    def expand(self, scope: tuple[int, ...]):
        """Cost and count arrays broadcast to ``scope`` (a superset, in its order)."""
        perm = [self.scope.index(v) for v in scope if v in self.scope]
        cost = np.transpose(self.cost, perm) if perm else self.cost
        count = np.transpose(self.count, perm) if perm else self.count
        shape = tuple(2 if v in self.scope else 1 for v in scope)
        return cost.reshape(shape), count.reshape(shape)


class DPBlock:
    """All minimum covers of one block, as eliminated buckets: ``count``, ``size``, ``iter()``."""

    def __init__(self, buckets, order, size: int, count: int, labels: list[int]):
        self._buckets = buckets  # per eliminated variable: (scope, cost array, message cost array)
        self._order = order
        self.size = size
        self.count = count
        self._labels = labels

    def relabel(self, glob: list[int]) -> "DPBlock":
        return DPBlock(self._buckets, self._order, self.size, self.count, [glob[i] for i in self._labels])

    def iter(self):
        """Every minimum cover once, as a sorted tuple of (relabelled) PI ids."""
        n = len(self._order)
        value: dict[int, int] = {}

        def rec(pos: int):
            if pos < 0:
                yield tuple(sorted(self._labels[v] for v, x in value.items() if x))
                return
            v = self._order[pos]
            scope, cost, msg = self._buckets[pos]
            idx = tuple(value[u] for u in scope if u != v)
            target = msg[idx] if msg.ndim else msg
            vi = scope.index(v)
            for x in (0, 1):
                full = list(idx)
                full.insert(vi, x)
                if cost[tuple(full)] == target:
                    value[v] = x
                    yield from rec(pos - 1)
            value.pop(v, None)

        yield from rec(n - 1)


def solve_block_dp(cov: list[int], nmin: int, *, max_width: int = 18) -> DPBlock | None:
    """All minimum covers of minterms ``0..nmin-1`` by PIs with bitsets ``cov``, or
    ``None`` when the elimination width exceeds ``max_width`` (the caller searches instead)."""
    col = _columns(cov, nmin)
    order = elimination_order(col, len(cov), max_width)
    if order is None:
        return None
    factors: list[_Factor] = []
    for lst in col:
        scope = tuple(lst)
        cost = np.zeros((2,) * len(scope), dtype=np.int64)
        cost[(0,) * len(scope)] = _INF  # the minterm is covered by none of its PIs
        factors.append(_Factor(scope, cost, np.ones(cost.shape, dtype=object)))
    by_var: dict[int, set[int]] = {}
    for fi, f in enumerate(factors):
        for v in f.scope:
            by_var.setdefault(v, set()).add(fi)
    alive = [True] * len(factors)
    buckets = []
    const_cost, const_count = 0, 1
    for v in order:
        ids = [fi for fi in by_var.pop(v, ()) if alive[fi]]
        scope = tuple(sorted({u for fi in ids for u in factors[fi].scope} | {v}))
        shape = (2,) * len(scope)
        cost = np.zeros(shape, dtype=np.int64)
        count = np.ones(shape, dtype=object)
        for fi in ids:
            c, n = factors[fi].expand(scope)
            cost = cost + c
            count = count * n
            alive[fi] = False
            for u in factors[fi].scope:
                if u != v and u in by_var:
                    by_var[u].discard(fi)
        vi = scope.index(v)
        own = np.zeros((2,), dtype=np.int64)
        own[1] = 1  # choosing this PI costs one term
        cost = np.minimum(cost + own.reshape([2 if i == vi else 1 for i in range(len(scope))]), _INF)
        c0, c1 = np.take(cost, 0, axis=vi), np.take(cost, 1, axis=vi)
        n0, n1 = np.take(count, 0, axis=vi), np.take(count, 1, axis=vi)
        msg = np.minimum(c0, c1)
        mcount = n0 * (c0 == msg).astype(object) + n1 * (c1 == msg).astype(object)
        mcount = mcount * (msg < _INF).astype(object)
        buckets.append((scope, cost, msg))
        rest = tuple(u for u in scope if u != v)
        if rest:
            fi = len(factors)
            factors.append(_Factor(rest, msg, mcount))
            alive.append(True)
            for u in rest:
                by_var.setdefault(u, set()).add(fi)
        else:
            const_cost += int(msg)
            const_count *= int(mcount)
    if const_cost >= _INF:
        return DPBlock(buckets, order, 0, 0, list(range(len(cov))))
    return DPBlock(buckets, order, const_cost, const_count, list(range(len(cov))))
