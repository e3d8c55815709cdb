"""Exact solving of a prime implicant chart (internal).

Essential PIs are taken first; the rest of the chart is split into independent
blocks (connected components of the PI/minterm incidence); each block is solved
exactly as an AND/OR tree (:mod:`textqca.qca._tree`), or, for ``all_sol``, by
enumerating every irredundant cover (branch on the uncovered minterm with the
fewest candidate PIs; a branch forbids the candidates tried before it, so each
cover is found once).  The models of the whole chart are the product of the blocks' models, kept
in that factored form (:class:`CoverSet`) so that an astronomically large number
of equally minimal models is still represented exactly.  Large blocks first go through
the LP relaxation (reduced-cost fixing, cuts) and variable elimination
(:mod:`textqca.qca._dp`); a block that still cannot be counted becomes a
:class:`HardBlock`: proven minimum size and exact, lazily listed covers, but only a
lower bound on their number.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice, product
from math import prod

import os
import sys

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from textqca.qca._dp import DPBlock, _columns, solve_block_dp
from textqca.qca._tree import And, Or, SearchBudgetExceeded, solve_block

_DEBUG = bool(os.environ.get("TEXTQCA_DEBUG_CHART"))

__all__ = ["CoverSet", "solve_chart", "row_dominance", "TooManyModels"]


def _bits(x: int):
    while x:
        low = x & -x
        yield low.bit_length() - 1
        x ^= low


def _to_sparse(chart) -> sparse.csr_matrix:
    if sparse.issparse(chart):
        return sparse.csr_matrix(chart, dtype=bool)
    return sparse.csr_matrix(np.asarray(chart, dtype=bool))


def row_dominance(chart) -> np.ndarray:
    """Indices of PIs kept after removing those whose minterms are a subset of
    another PI's (of PIs with equal minterms the first is kept)."""
    m = _to_sparse(chart).astype(np.int32)
    n = m.shape[0]
    sizes = np.asarray(m.sum(axis=1)).ravel()
    inter = (m @ m.T).toarray()
    keep = np.ones(n, dtype=bool)
    for i in range(n):
        for j in range(n):
            if i != j and keep[j] and inter[i, j] == sizes[i] and (sizes[j] > sizes[i] or j < i):
                keep[i] = False
                break
    return np.nonzero(keep)[0]


@dataclass
class CoverSet:
    """All minimal (or irredundant) covers, factored: every model is
    ``essential`` plus one alternative from each block (a block is a list of
    alternatives or an :class:`~textqca.qca._tree.Or` tree)."""

    essential: tuple[int, ...]
    blocks: list
    all_sol: bool

    @staticmethod
    def _count(b) -> int:
        return len(b) if isinstance(b, list) else b.count

    @staticmethod
    def _iter(b):
        return iter(b) if isinstance(b, list) else b.iter()

    @property
    def count(self) -> int:
        """The number of models; a lower bound when :attr:`exact` is false."""
        return prod(self._count(b) for b in self.blocks) if self.blocks else 1

    @property
    def exact(self) -> bool:
        return all(is_exact(b) for b in self.blocks)

    def _lazy_product(self, i: int):
        """The blocks' alternatives combined, each block iterated afresh per prefix."""
        if i == len(self.blocks):
            yield ()
            return
        for alt in self._iter(self.blocks[i]):
            for rest in self._lazy_product(i + 1):
                yield (alt, *rest)

    def models(self, limit: int | None = None) -> list[tuple[int, ...]]:
        """Models as sorted tuples of PI ids in R's order (lexicographic; with
        ``all_sol`` first by size); at most ``limit`` of them."""
        if limit is not None and (self.count > limit or not self.exact):
            # itertools.product would first expand every block (astronomically many)
            it = islice(self._lazy_product(0), limit)
        else:
            it = product(*[list(self._iter(b)) for b in self.blocks]) if self.blocks else iter([()])
        out = []
        for combo in it:
            s = set(self.essential)
            for c in combo:
                s.update(c)
            out.append(tuple(sorted(s)))
        if self.all_sol:
            return sorted(set(out), key=lambda m: (len(m), m))
        return sorted(set(out))


class TooManyModels(Exception):
    """More equally good models than the limit (or the search budget ran out)."""

    def __init__(self, count: int, size: int | None = None):
        super().__init__(count)
        self.count = count
        self.size = size  # terms in a minimum model, when known


def _fewest_candidates(unc: int, col: list[list[int]], forbidden: int) -> list[int]:
    """The PIs not forbidden that cover the uncovered minterm with the fewest of them
    (branching there gives the smallest search tree; each cover is found once when every
    branch forbids the candidates tried before it)."""
    best: list[int] | None = None
    for b in _bits(unc):
        cands = [i for i in col[b] if not (forbidden >> i) & 1]
        if best is None or len(cands) < len(best):
            best = cands
            if len(cands) <= 1:
                break
    return best or []


def _block_covers(cov: list[int], nmin: int, all_sol: bool, limit: int = 10_000) -> list[tuple[int, ...]]:
    """All minimum (with all_sol: all irredundant) covers of one block;
    ``cov[i]`` is PI i's minterm bitset."""
    full = (1 << nmin) - 1
    col = _columns(cov, nmin)
    reach = []
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

    def rec(chosen: list[int], unc: int, forbidden: int) -> None:
        if unc == 0:
            s = tuple(sorted(chosen))
            if all_sol or len(chosen) == best[0]:
                sols.append(s)
            elif len(chosen) < best[0]:
                best[0] = len(chosen)
                sols.clear()
                sols.append(s)
            if len(sols) > limit * 4:
                raise TooManyModels(len(sols))
            return
        if not all_sol and len(chosen) + lower_bound(unc) > best[0]:
            return
        cmin = _fewest_candidates(unc, col, forbidden)
        if not cmin:
            return
        cmin.sort(key=lambda i: -bin(cov[i] & unc).count("1"))
        for i in cmin:
            rec(chosen + [i], unc & ~cov[i], forbidden)
            forbidden |= 1 << i

    rec([], full, 0)
    if all_sol:
        irr = []
        for s in sorted(set(sols)):
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
        return irr
    return sorted(set(sols))


class HardBlock:
    """A block whose minimum covers are too many and too entangled to count exactly
    (its elimination width is in the tens and the LP cannot split it).

    Still exact in what it states: ``size`` is the minimum number of PIs (MILP), every
    cover listed by :meth:`iter` is a minimum cover, and :meth:`iter` would list all of
    them (one optimal cover first, then a depth-first search bounded by ``size``).
    ``count`` is only a lower bound (``exact`` is ``False``): the covers reached from the
    optimal cover by exchanging PIs (see :meth:`_swap_count`)."""

    exact = False

    def __init__(self, cov: list[int], nmin: int, first: tuple[int, ...], labels: list[int] | None = None):
        self._cov = cov
        self._nmin = nmin
        self._first = tuple(sorted(first))
        self.size = len(first)
        self._labels = labels if labels is not None else list(range(len(cov)))
        self.count = self._swap_count()

    def relabel(self, glob: list[int]) -> "HardBlock":
        out = HardBlock.__new__(HardBlock)
        out.__dict__.update(self.__dict__)
        out._labels = [glob[i] for i in self._labels]
        return out

    def _swap_count(self) -> int:
        """A lower bound on the number of minimum covers, from the known cover C.

        R_i: the PIs outside C that cover every minterm only PI i of C covers; C - i + j
        (j in R_i) is again a minimum cover.  Exchanges in PIs of C that share no minterm
        combine freely (a shared minterm of such a PI is covered by a PI of C that is kept),
        so the count is at least the product of (1 + |R_i|) over such a set of PIs (chosen
        greedily), and at least 1 + the sum of all |R_i|."""
        cov, first = self._cov, set(self._first)
        times: dict[int, int] = {}
        for i in first:
            for b in _bits(cov[i]):
                times[b] = times.get(b, 0) + 1
        col: dict[int, list[int]] = {}
        for j, c in enumerate(cov):
            if j not in first:
                for b in _bits(c):
                    col.setdefault(b, []).append(j)
        swaps: dict[int, int] = {}
        for i in first:
            private = 0
            for b in _bits(cov[i]):
                if times[b] == 1:
                    private |= 1 << b
            if private:  # PIs that cover all of i's private minterms can replace it
                low = (private & -private).bit_length() - 1
                swaps[i] = sum(1 for j in col.get(low, ()) if cov[j] & private == private)
        single = 1 + sum(swaps.values())
        used, product = 0, 1
        for i in sorted(swaps, key=lambda i: (-swaps[i], i)):
            if swaps[i] and not cov[i] & used:
                used |= cov[i]
                product *= 1 + swaps[i]
        return max(single, product)

    def iter(self):
        """Every minimum cover once, as a sorted tuple of (relabelled) PI ids."""
        lab = self._labels
        yield tuple(sorted(lab[i] for i in self._first))
        cov, nmin, size = self._cov, self._nmin, self.size
        col = _columns(cov, nmin)
        order = sorted(range(nmin), key=lambda b: len(col[b]))

        def bound(unc: int, forbidden: int) -> int:
            n = 0
            for b in order:
                if (unc >> b) & 1:
                    r = 0
                    for i in col[b]:
                        if not (forbidden >> i) & 1:
                            r |= cov[i]
                    if not r:
                        return size + 1
                    n += 1
                    unc &= ~r
            return n

        def rec(chosen: list[int], unc: int, forbidden: int):
            if not unc:
                cover = tuple(sorted(chosen))
                if cover != self._first:
                    yield tuple(sorted(lab[i] for i in cover))
                return
            if len(chosen) + bound(unc, forbidden) > size:
                return
            for i in _fewest_candidates(unc, col, forbidden):
                yield from rec(chosen + [i], unc & ~cov[i], forbidden)
                forbidden |= 1 << i

        old = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old, 4 * size + 1000))
        try:
            yield from rec([], (1 << nmin) - 1, 0)
        finally:
            sys.setrecursionlimit(old)


def is_exact(node) -> bool:
    """Whether the number of models of a block (tree, DP block or list) is exact."""
    if isinstance(node, HardBlock):
        return False
    if isinstance(node, Or):
        return all(is_exact(o) for o in node.options)
    if isinstance(node, And):
        return all(is_exact(c) for c in node.children)
    return True


def _relabel(node, glob):
    if isinstance(node, (DPBlock, HardBlock)):
        return node.relabel(glob)
    if isinstance(node, Or):
        return Or([_relabel(o, glob) for o in node.options])
    return And(tuple(sorted(glob[i] for i in node.fixed)), [_relabel(c, glob) for c in node.children])


_LP_MIN_BLOCK = 12  # blocks with fewer minterms go straight to the tree search
_MAX_SEARCH_BLOCK = 300  # wider blocks than elimination handles, and larger: not counted (HardBlock)


#: default seconds HiGHS may spend proving the minimum size of one block; beyond it the
#: chart is reported as too hard (with the bounds found) instead of running for hours
MILP_SECONDS = 30.0
#: seconds spent tightening one block's LP with cuts (fewer cuts only mean less fixing)
_CUT_SECONDS = 10.0


class MinimumUnproven(Exception):
    """HiGHS did not prove the minimum cover size of a block within the time limit."""

    def __init__(self, lower: int, upper: int | None):
        super().__init__(lower, upper)
        self.lower, self.upper = lower, upper


def _cover_milp(sub, time_limit: float | None = None) -> np.ndarray | None:
    """One minimum cover of the columns of ``sub`` by its rows, as row indices (MILP,
    HiGHS); ``None`` if there is none.  Raises :class:`MinimumUnproven` when the time
    limit ran out before the minimum was proven."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    npi = sub.shape[0]
    # HiGHS stops at a relative gap of 1e-4 by default: above ~10,000 terms that could
    # accept a cover one PI larger than the minimum, so ask for a proven optimum
    options = {"mip_rel_gap": 0.0}
    if time_limit:
        options["time_limit"] = float(time_limit)
    ip = milp(np.ones(npi), constraints=LinearConstraint(sub.T.astype(np.float64).tocsr(), lb=1, ub=np.inf),
              integrality=np.ones(npi), bounds=Bounds(0, 1), options=options)
    if ip.status == 0:
        return np.nonzero(ip.x > 0.5)[0]
    if ip.status == 1:  # time limit
        lower = int(np.ceil(getattr(ip, "mip_dual_bound", 0) - 1e-6))
        upper = int(round(ip.fun)) if ip.x is not None else None
        raise MinimumUnproven(lower, upper)
    return None


def _cover_ip(sub, time_limit: float | None = None) -> int | None:
    """Size of a minimum cover of the columns of ``sub`` by its rows."""
    sol = _cover_milp(sub, time_limit)
    return None if sol is None else len(sol)


def _local_cuts(sub: sparse.csr_matrix, x: np.ndarray, milp_seconds: float = MILP_SECONDS) -> list[tuple[np.ndarray, int]]:
    """Valid inequalities violated by the fractional LP solution ``x``.

    For a set S of minterms, every cover uses at least IP(S) of the PIs that touch S,
    IP(S) being the minimum cover of S alone.  S is taken as each connected group of
    minterms covered only fractionally; the cut is kept when the PIs touching S sum to
    less than IP(S) in ``x``."""
    frac = (x > 1e-7) & (x < 1 - 1e-7)
    if not frac.any():
        return []
    mc = sub.tocsc()
    whole = x >= 1 - 1e-7
    cand = []
    for i in range(sub.shape[1]):
        js = mc.indices[mc.indptr[i] : mc.indptr[i + 1]]
        if frac[js].any() and not whole[js].any():
            cand.append(i)
    if not cand:
        return []
    fidx = np.nonzero(frac)[0]
    part = sub[fidx][:, cand]
    graph = sparse.bmat([[None, part], [part.T, None]], format="csr")
    _, labels = connected_components(graph, directed=False)
    mlab = labels[len(fidx):]
    cuts = []
    for lab in np.unique(mlab):
        cols = [cand[i] for i in np.nonzero(mlab == lab)[0]]
        touch = np.asarray(sub[:, cols].sum(axis=1)).ravel() > 0
        rows = np.nonzero(touch)[0]
        try:
            need = _cover_ip(sub[rows][:, cols], milp_seconds)
        except MinimumUnproven:
            continue
        if need is not None and x[rows].sum() < need - 1e-6:
            cuts.append((touch, need))
    return cuts


def _lp_reduce(sub: sparse.csr_matrix, *, max_rounds: int = 12, milp_seconds: float = MILP_SECONDS):
    """LP facts about one block (rows of ``sub`` = PIs, columns = minterms).

    Returns ``(keep, opt, duals, first)``: the PIs that can belong to a minimum cover, the
    size of a minimum cover, dual values of the minterms usable as a lower bound (``None``
    when cuts were needed) and one minimum cover (row indices).  The LP relaxation (HiGHS) gives a lower bound ``z`` and
    reduced costs ``d``; the integer optimum ``opt`` comes from the MILP when the LP
    solution is fractional.  A PI with ``z + d > opt`` cannot be in any cover of size
    ``opt`` (reduced-cost fixing), so it is dropped before the exact enumeration.  Where
    ``z < opt`` (an integrality gap) nothing could be dropped, so the LP is first
    tightened with :func:`_local_cuts` until ``z = opt``; that is what keeps the search
    small on charts with thousands of minterms.  Raises :class:`MinimumUnproven` when
    the MILP cannot prove the minimum within ``milp_seconds``."""
    import time

    from scipy.optimize import linprog

    start = time.perf_counter()

    npi, nmin = sub.shape
    a = sub.T.astype(np.float64).tocsr()
    rows, rhs = [a], [np.ones(nmin)]
    opt = first = None
    for _ in range(max_rounds):
        A = sparse.vstack(rows).tocsr() if len(rows) > 1 else a
        b = np.concatenate(rhs)
        lp = linprog(np.ones(npi), A_ub=-A, b_ub=-b, bounds=(0, None), method="highs")
        if lp.status != 0:  # pragma: no cover - the LP of a coverable block is always solvable
            return np.ones(npi, dtype=bool), None, None, None
        z = float(lp.fun)
        if opt is None:
            if np.abs(lp.x - np.round(lp.x)).max() <= 1e-7:
                first = np.nonzero(lp.x > 0.5)[0]
            else:
                first = _cover_milp(sub, milp_seconds)
            if first is None:  # pragma: no cover
                return np.ones(npi, dtype=bool), None, None, None
            opt = len(first)
        if opt - z <= 1e-6 or time.perf_counter() - start > _CUT_SECONDS:
            break
        cuts = _local_cuts(sub, lp.x, milp_seconds)
        if not cuts:
            break
        for touch, need in cuts:
            rows.append(sparse.csr_matrix(touch.astype(np.float64).reshape(1, -1)))
            rhs.append(np.array([float(need)]))
    y = np.maximum(-lp.ineqlin.marginals, 0.0)
    reduced = 1.0 - A.T @ y  # >= 0: x <= 1 is not a constraint of this LP
    duals = y[:nmin] if len(rows) == 1 and opt - z <= 1e-6 else None
    return z + reduced <= opt + 1e-6, opt, duals, first


def _node(cs: "CoverSet | None", labels: list[int], fixed: tuple[int, ...] = ()):
    """A :func:`solve_chart` result as a tree node in the caller's PI ids."""
    if cs is None:
        return None
    return Or([And(tuple(sorted(set(fixed) | {labels[e] for e in cs.essential})),
                   _hard_first([_relabel(b, labels) for b in cs.blocks]))])


def _hard_first(blocks: list) -> list:
    """Blocks with an inexact count first: the lazy listing of models varies the first
    block slowest, so a block listed by search is asked for few covers."""
    return sorted(blocks, key=is_exact)


def _exact_block(local_m: sparse.csr_matrix, cov: list[int], limit: int, milp_seconds: float = MILP_SECONDS):
    """All minimum covers of one connected block, as a tree node in local PI ids.

    1. LP reduced-cost fixing (:func:`_lp_reduce`); if it drops PIs, the rest falls
       apart into smaller blocks (:func:`solve_chart` again).  2. Variable elimination
       (:mod:`textqca.qca._dp`) when the block is thin enough, else 3. the AND/OR
       search of :mod:`textqca.qca._tree`."""
    nmin = local_m.shape[1]
    keep, opt, duals, first = _lp_reduce(local_m, milp_seconds=milp_seconds)
    if _DEBUG:
        print("block", nmin, len(cov), "lp keeps", int(keep.sum()), "opt", opt, file=sys.stderr)
    if not keep.all():
        kept = [int(i) for i in np.nonzero(keep)[0]]
        return _node(solve_chart(local_m[kept], limit=limit, milp_seconds=milp_seconds), kept)
    dp = solve_block_dp(cov, nmin)
    if dp is not None:
        return dp
    if nmin <= _MAX_SEARCH_BLOCK:
        try:
            return solve_block(cov, nmin, ub=opt, weights=duals)
        except SearchBudgetExceeded:
            pass
    # too wide to count: keep the exact minimum size and one minimum cover, list lazily
    if first is None:  # pragma: no cover - HiGHS failed on a coverable block
        raise TooManyModels(-1, size=opt)
    return HardBlock(cov, nmin, tuple(int(i) for i in first))


def solve_chart(chart, *, all_sol: bool = False, limit: int = 10_000,
                milp_seconds: float = MILP_SECONDS) -> CoverSet | None:
    """All minimum covers (``all_sol``: all irredundant covers) of a PI chart
    (PIs x minterms, dense bool array or scipy sparse).  ``None`` if some
    minterm cannot be covered.  ``milp_seconds``: time HiGHS may spend proving the
    minimum size of one block (:class:`MinimumUnproven` beyond it)."""
    m = _to_sparse(chart)
    npi, nmin = m.shape
    if nmin == 0:
        return CoverSet((), [], all_sol)
    colsum = np.asarray(m.sum(axis=0)).ravel()
    if (colsum == 0).any():
        return None
    mc = m.tocsc()
    essential: set[int] = set()
    if not all_sol:
        for j in np.nonzero(colsum == 1)[0]:
            essential.add(int(mc.indices[mc.indptr[j]]))
    if essential:
        covered = np.asarray(m[sorted(essential)].sum(axis=0)).ravel() > 0
    else:
        covered = np.zeros(nmin, dtype=bool)
    rest_m = np.nonzero(~covered)[0]
    blocks: list[list[tuple[int, ...]]] = []
    if len(rest_m):
        sub = m[:, rest_m]
        rows = np.nonzero(np.asarray(sub.sum(axis=1)).ravel() > 0)[0]
        rows = np.array([r for r in rows if int(r) not in essential], dtype=np.int64)
        sub = sub[rows]
        nr, nc = sub.shape
        graph = sparse.bmat([[None, sub], [sub.T, None]], format="csr")
        _, labels = connected_components(graph, directed=False)
        plab, mlab = labels[:nr], labels[nr:]
        order_m = np.argsort(mlab, kind="stable")
        order_p = np.argsort(plab, kind="stable")
        ulab, mstart = np.unique(mlab[order_m], return_index=True)
        mbounds = list(mstart[1:]) + [nc]
        pl_sorted = plab[order_p]
        subr = sub.tocsr()
        for li, lab in enumerate(ulab):
            mcols = order_m[mstart[li] : mbounds[li]]
            a = np.searchsorted(pl_sorted, lab, side="left")
            b = np.searchsorted(pl_sorted, lab, side="right")
            prows = order_p[a:b]
            local = {int(c): n for n, c in enumerate(mcols)}
            cov = []
            for r in prows:
                bits = 0
                for c in subr.indices[subr.indptr[r] : subr.indptr[r + 1]]:
                    bits |= 1 << local[int(c)]
                cov.append(bits)
            glob = [int(rows[prows[i]]) for i in range(len(prows))]
            if all_sol:
                alts = _block_covers(cov, len(mcols), all_sol, limit)
                if len(alts) > limit:
                    raise TooManyModels(len(alts))
                blocks.append([tuple(sorted(glob[i] for i in alt)) for alt in alts])
            else:
                if len(mcols) >= _LP_MIN_BLOCK:
                    blocks.append(_relabel(_exact_block(subr[prows][:, mcols], cov, limit, milp_seconds), glob))
                    continue
                if _DEBUG:
                    print("block", len(mcols), len(cov), file=sys.stderr)
                try:
                    tree = solve_block(cov, len(mcols))
                except SearchBudgetExceeded:
                    raise TooManyModels(-1) from None
                blocks.append(_relabel(tree, glob))
    return CoverSet(tuple(sorted(essential)), _hard_first(blocks), all_sol)
