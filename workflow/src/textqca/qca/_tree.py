"""Exact enumeration of all minimum covers of one chart block as an AND/OR tree (internal).

At each node: take forced PIs (a minterm with a single candidate), split the
remaining minterms into independent components (solved separately, their
models multiply), otherwise branch on the minterm with the fewest candidates
(earlier candidates are forbidden in later branches, so each cover appears
once) and keep the branches of minimal size.  The result is a tree whose models
are enumerated lazily and counted exactly, however many there are.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from math import ceil, prod

from textqca.qca._dp import _columns

__all__ = ["And", "Or", "solve_block", "SearchBudgetExceeded"]


@dataclass
class And:
    fixed: tuple[int, ...]
    children: list["Or"]

    @property
    def size(self) -> int:
        return len(self.fixed) + sum(c.size for c in self.children)

    @property
    def count(self) -> int:
        return prod(c.count for c in self.children) if self.children else 1

    def iter(self):
        def rec(i, acc):
            if i == len(self.children):
                yield acc
                return
            for part in self.children[i].iter():
                yield from rec(i + 1, acc + part)

        yield from rec(0, self.fixed)

    def used(self) -> set[int]:
        s = set(self.fixed)
        for c in self.children:
            s |= c.used()
        return s

    def common(self) -> set[int]:
        s = set(self.fixed)
        for c in self.children:
            s |= c.common()
        return s


@dataclass
class Or:
    options: list[And]

    @property
    def size(self) -> int:
        return self.options[0].size if self.options else 0

    @property
    def count(self) -> int:
        return sum(o.count for o in self.options)

    def iter(self):
        for o in self.options:
            yield from o.iter()

    def used(self) -> set[int]:
        s: set[int] = set()
        for o in self.options:
            s |= o.used()
        return s

    def common(self) -> set[int]:
        if not self.options:
            return set()
        s = self.options[0].common()
        for o in self.options[1:]:
            s &= o.common()
        return s


def _expand(node, classes: dict[int, list[int]]):
    """Replace each representative PI by the choice among its interchangeable class."""
    if isinstance(node, Or):
        return Or([_expand(o, classes) for o in node.options])
    fixed = tuple(f for f in node.fixed if f not in classes)
    extra = [Or([And((c,), []) for c in classes[f]]) for f in node.fixed if f in classes]
    return And(fixed, [_expand(c, classes) for c in node.children] + extra)


def _bits(x: int):
    while x:
        low = x & -x
        yield low.bit_length() - 1
        x ^= low


class SearchBudgetExceeded(Exception):
    """The exact enumeration needed more search nodes than allowed."""


def solve_block(cov: list[int], nmin: int, *, max_nodes: int = 50_000, ub: int | None = None,
                weights=None) -> Or:
    """All minimum covers of the minterms ``0..nmin-1`` by PIs with bitsets ``cov``.

    Raises :class:`SearchBudgetExceeded` after ``max_nodes`` search nodes rather
    than running for hours on charts with astronomically many minimal models.
    ``ub``: the size of a minimum cover when known (branches above it are pruned).
    ``weights``: a feasible solution of the dual of the cover LP (one value per minterm,
    every PI's minterms summing to at most 1); the weights of the uncovered minterms then
    bound the PIs still needed from below."""
    nodes = [0]
    col = _columns(cov, nmin)
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 20000))

    by_degree = sorted(range(nmin), key=lambda b: len(col[b]))

    wts = [float(w) for w in weights] if weights is not None else None

    def lower_bound(unc: int, avail: frozenset) -> int:
        """The larger of the dual bound and a packing: minterms picked so that no PI
        covers two of them (fewest candidates first)."""
        dual = 0
        if wts is not None:
            tot = 0.0
            for b in _bits(unc):
                tot += wts[b]
            dual = int(ceil(tot - 1e-6))
        return max(dual, _packing(unc, avail))

    def _packing(unc: int, avail: frozenset) -> int:
        n = 0
        for b in by_degree:
            if not (unc >> b) & 1:
                continue
            r = 0
            for i in col[b]:
                if i in avail:
                    r |= cov[i]
            n += 1
            unc &= ~r
            if not r:
                return 10**9
            if not unc:
                break
        return n

    def components(unc: int, avail: frozenset) -> list[int]:
        comps = []
        rem = unc
        av = [i for i in avail if cov[i] & unc]
        while rem:
            comp = rem & -rem
            frontier = comp
            while frontier:
                new = 0
                for i in av:
                    if cov[i] & frontier:
                        new |= cov[i]
                new &= unc & ~comp
                comp |= new
                frontier = new
            comps.append(comp)
            rem &= ~comp
        return comps

    memo: dict = {}
    failed: dict = {}

    def solve(unc: int, avail: frozenset, ub: int) -> Or | None:
        """Minimum covers of ``unc`` using PIs in ``avail`` with at most ``ub`` PIs."""
        avail = frozenset(i for i in avail if cov[i] & unc)
        key = (unc, avail)
        got = memo.get(key)
        if got is not None:
            return got if got.size <= ub else None
        if failed.get(key, -1) >= ub:
            return None
        res = _solve(unc, avail, ub)
        if res is None:
            failed[key] = max(ub, failed.get(key, -1))
        else:
            memo[key] = res
        return res

    def _solve(unc: int, avail: frozenset, ub: int) -> Or | None:
        nodes[0] += 1
        if nodes[0] > max_nodes:
            raise SearchBudgetExceeded(max_nodes)
        fixed: list[int] = []
        # forced PIs
        changed = True
        while changed and unc:
            changed = False
            for b in _bits(unc):
                cands = [i for i in col[b] if i in avail]
                if not cands:
                    return None
                if len(cands) == 1:
                    fixed.append(cands[0])
                    unc &= ~cov[cands[0]]
                    changed = True
                    break
        if len(fixed) > ub:
            return None
        if not unc:
            return Or([And(tuple(sorted(fixed)), [])])
        # column dominance: a minterm whose candidates include all candidates of
        # another minterm is covered whenever that one is; drop it
        cand = {}
        for b in _bits(unc):
            m = 0
            for i in col[b]:
                if i in avail:
                    m |= 1 << i
            cand[b] = m
        order = sorted(cand, key=lambda b: (bin(cand[b]).count("1"), b))
        kept: list[int] = []
        # a dominating minterm shares a candidate with the dominated one: only
        # compare minterms that share a PI
        by_pi: dict[int, list[int]] = {}
        for b in order:
            cb = cand[b]
            seen = set()
            dominated = False
            for i in _bits(cb):
                for a in by_pi.get(i, ()):
                    if a in seen:
                        continue
                    seen.add(a)
                    if (cand[a] & ~cb) == 0:
                        dominated = True
                        break
                if dominated:
                    break
            if dominated:
                unc &= ~(1 << b)
                continue
            kept.append(b)
            for i in _bits(cb):
                by_pi.setdefault(i, []).append(b)
        if fixed or len(kept) < len(cand):
            # PIs that now cover nothing are never part of a minimum cover
            sub = solve(unc, avail, ub - len(fixed))
            if sub is None:
                return None
            return Or([And(tuple(sorted(fixed)), [sub])])
        avail = frozenset(i for i in avail if cov[i] & unc)
        # PIs that cover the same remaining minterms are interchangeable: solve with
        # one representative each and expand afterwards (their models multiply)
        groups: dict[int, list[int]] = {}
        for i in sorted(avail):
            groups.setdefault(cov[i] & unc, []).append(i)
        if len(groups) < len(avail):
            reps = frozenset(g[0] for g in groups.values())
            sub = solve(unc, reps, ub - len(fixed))
            if sub is None:
                return None
            classes = {g[0]: g for g in groups.values() if len(g) > 1}
            return _expand(Or([And(tuple(sorted(fixed)), [sub])]), classes)
        budget = ub - len(fixed)
        comps = components(unc, avail)
        if len(comps) > 1:
            lbs = [lower_bound(c, avail) for c in comps]
            if sum(lbs) > budget:
                return None
            children = []
            total_lb = sum(lbs)
            for c, lb in zip(comps, lbs):
                sub_av = frozenset(i for i in avail if cov[i] & c)
                res = solve(c, sub_av, budget - (total_lb - lb))
                if res is None:
                    return None
                children.append(res)
                total_lb += res.size - lb
            if total_lb > budget:
                return None
            return Or([And(tuple(sorted(fixed)), children)])
        if lower_bound(unc, avail) > budget:
            return None
        # a PI covering many minterms: include it or exclude it (splits the block fastest)
        hub = max(avail, key=lambda i: (bin(cov[i] & unc).count("1"), -i))
        if bin(cov[hub] & unc).count("1") >= 3:
            rest_av = avail - {hub}
            res_in = solve(unc & ~cov[hub], rest_av, budget - 1)
            lim = res_in.size + 1 if res_in is not None else budget
            res_out = solve(unc, rest_av, lim)
            options = []
            if res_in is not None:
                options.append((res_in.size + 1, And((hub,), [res_in])))
            if res_out is not None:
                options.append((res_out.size, And((), [res_out])))
            if not options:
                return None
            m = min(sz for sz, _ in options)
            return Or([And(tuple(sorted(fixed)), [Or([o for sz, o in options if sz == m])])])
        # branch on the minterm with the fewest candidates
        best_b, best_c = -1, None
        for b in _bits(unc):
            cands = [i for i in col[b] if i in avail]
            if best_c is None or len(cands) < len(best_c):
                best_b, best_c = b, cands
        best_c.sort(key=lambda i: -bin(cov[i] & unc).count("1"))
        options: list[And] = []
        best_size = budget
        forbidden: set[int] = set()
        for i in best_c:
            sub_av = frozenset(j for j in avail if j not in forbidden and j != i)
            res = solve(unc & ~cov[i], sub_av, best_size - 1)
            forbidden.add(i)
            if res is None:
                continue
            size = res.size + 1
            if size < best_size or not options:
                if options and size < best_size:
                    options = []
                best_size = size
            if size == best_size:
                options.append(And((i,), [res]))
        options = [o for o in options if o.size == best_size]
        if not options:
            return None
        return Or([And(tuple(sorted(fixed)), [Or(options)])])

    try:
        res = solve((1 << nmin) - 1, frozenset(range(len(cov))), len(cov) if ub is None else ub)
    finally:
        sys.setrecursionlimit(old)
    return res if res is not None else Or([])
