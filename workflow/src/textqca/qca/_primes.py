"""Prime implicant generation (internal).

Configurations are int arrays (rows x k) of condition values; implicants are int
arrays of codes (0 = condition absent, v + 1 = level v).

* :func:`primes_within` — bottom-up (Quine-McCluskey style, vectorised): the
  maximal cubes that lie entirely inside an explicit set of allowed
  configurations.  Used for the complex solution and intermediate solutions,
  where the allowed set is the positive rows (plus easy counterfactuals).
* :func:`primes_avoiding` — top-down (CCubes style): the minimal terms that cover
  at least one positive row and no negative row; every other configuration is a
  don't care.  Used for the parsimonious solution.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

__all__ = ["primes_within", "primes_avoiding", "multipliers", "cube_contains", "cube_points"]


def multipliers(noflevels) -> np.ndarray:
    k = len(noflevels)
    mult = np.ones(k, dtype=np.int64)
    for j in range(k - 2, -1, -1):
        mult[j] = mult[j + 1] * noflevels[j + 1]
    return mult


def _encode(cubes: np.ndarray, base: int) -> np.ndarray:
    k = cubes.shape[1]
    w = base ** np.arange(k - 1, -1, -1, dtype=np.int64)
    return cubes.astype(np.int64) @ w


def _decode(keys: np.ndarray, base: int, k: int) -> np.ndarray:
    out = np.zeros((len(keys), k), dtype=np.int64)
    rem = keys.copy()
    for j in range(k - 1, -1, -1):
        out[:, j] = rem % base
        rem //= base
    return out


def primes_within(allowed: np.ndarray, noflevels, must_cover: np.ndarray | None = None) -> np.ndarray:
    """All maximal cubes inside the set ``allowed`` (configurations); with
    ``must_cover`` only those containing at least one of those configurations."""
    k = len(noflevels)
    base = max(noflevels) + 1
    if len(allowed) == 0:
        return np.zeros((0, k), dtype=np.int64)
    use_keys = k * np.log2(base) < 62
    level = np.unique(np.asarray(allowed, dtype=np.int64) + 1, axis=0)
    primes = []
    nl = np.asarray(noflevels)
    while len(level):
        merged = np.zeros(len(level), dtype=bool)
        new = []
        for j in range(k):
            fixed = np.nonzero(level[:, j] != 0)[0]
            if len(fixed) < nl[j]:
                continue
            sub = level[fixed].copy()
            sub[:, j] = 0
            if use_keys:
                keys = _encode(sub, base)
                uk, inv, cnt = np.unique(keys, return_inverse=True, return_counts=True)
            else:
                uk, inv, cnt = np.unique(sub, axis=0, return_inverse=True, return_counts=True)
                inv = inv.ravel()
            full = cnt == nl[j]
            if not full.any():
                continue
            merged[fixed[full[inv]]] = True
            new.append(_decode(uk[full], base, k) if use_keys else uk[full])
        primes.append(level[~merged])
        level = np.unique(np.vstack(new), axis=0) if new else np.zeros((0, k), dtype=np.int64)
    res = np.vstack(primes) if primes else np.zeros((0, k), dtype=np.int64)
    if must_cover is not None and len(res):
        keep = np.array([cube_contains(c, must_cover).any() for c in res], dtype=bool)
        res = res[keep]
    return res


def cube_contains(cube: np.ndarray, configs: np.ndarray) -> np.ndarray:
    """Boolean mask of the configurations inside one cube."""
    cube = np.asarray(cube)
    fixed = cube != 0
    if len(configs) == 0:
        return np.zeros(0, dtype=bool)
    return np.all(configs[:, fixed] == (cube[fixed] - 1), axis=1)


def cube_points(cube: np.ndarray, noflevels) -> np.ndarray:
    """All configurations inside a cube (rows x k)."""
    axes = [np.arange(noflevels[j]) if c == 0 else np.array([c - 1]) for j, c in enumerate(cube)]
    grid = np.meshgrid(*axes, indexing="ij")
    return np.stack([g.ravel() for g in grid], axis=1).astype(np.int64)


def primes_avoiding(on: np.ndarray, off: np.ndarray, noflevels) -> np.ndarray:
    """Minimal terms covering at least one ``on`` configuration and no ``off`` one
    (all other configurations are don't cares), searched by increasing number of
    literals.  A term is kept when none of its sub-terms is an implicant."""
    k = len(noflevels)
    nl = np.asarray(noflevels, dtype=np.int64)
    mult = multipliers(noflevels)
    on = np.asarray(on, dtype=np.int64)
    off = np.asarray(off, dtype=np.int64).reshape(-1, k)
    primes = []
    prev: dict[tuple, np.ndarray] = {(): np.zeros(0, dtype=np.int64) if len(off) else np.zeros(1, dtype=np.int64)}
    if len(off) == 0:
        return np.zeros((1, k), dtype=np.int64)
    for m in range(1, k + 1):
        cur: dict[tuple, np.ndarray] = {}
        any_open = False
        for S in combinations(range(k), m):
            Sl = list(S)
            ms = mult[Sl]
            on_c = np.unique(on[:, Sl] @ ms)
            off_c = np.unique(off[:, Sl] @ ms)
            isimp = ~np.isin(on_c, off_c, assume_unique=True)
            imp = on_c[isimp]
            if not isimp.all():
                any_open = True
            cur[S] = imp
            if len(imp) == 0:
                continue
            ok = np.ones(len(imp), dtype=bool)
            for pos, j in enumerate(S):
                sub = S[:pos] + S[pos + 1 :]
                subimp = prev.get(sub)
                if subimp is None or len(subimp) == 0:
                    continue
                v = (imp // mult[j]) % nl[j]
                ok &= ~np.isin(imp - v * mult[j], subimp)
            if ok.any():
                codes = imp[ok]
                t = np.zeros((len(codes), k), dtype=np.int64)
                for j in S:
                    t[:, j] = (codes // mult[j]) % nl[j] + 1
                primes.append(t)
        prev = cur
        if not any_open:
            break
    return np.vstack(primes) if primes else np.zeros((0, k), dtype=np.int64)
