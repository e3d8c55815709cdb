"""Boolean minimization of a truth table, with R's QCA semantics (``minimize()``).

* complex (conservative) solution, ``include=""``: only the positive rows are
  minimized; remainders are never used;
* parsimonious, ``include="?"`` (or ``"?,C"``): remainders (and with ``C`` the
  contradictions) may be used as simplifying assumptions;
* intermediate, ``include="?"`` with ``dir_exp``: per pair of complex model and
  parsimonious model, the easy counterfactuals (remainders that agree with the
  directional expectations) are added to the positive rows and minimized again.

Prime implicants are exact; every model of minimal size is returned (all
irredundant models with ``all_sol=True``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from textqca.errors import QCAError
from textqca.qca._bnb import minimal_covers_on_demand
from textqca.qca._cover import MILP_SECONDS, MinimumUnproven, TooManyModels, row_dominance, solve_chart
from textqca.qca._primes import cube_contains, cube_points, multipliers, primes_avoiding, primes_within
from textqca.qca.fit import model_fit
from textqca.qca.notation import Term, format_term, parse_literal, pi_sort_key, qmc_sort_terms
from textqca.qca.truthtable import TruthTable

__all__ = ["Model", "Solution", "IntermediateCombo", "minimize", "parse_include", "parse_dir_exp"]

#: models listed (see ``Solution.n_models`` and ``Solution.n_models_exact`` for how many there are)
MAX_MODELS = 10_000
#: above this many conditions the parsimonious solution is found without listing all PIs
FULL_CHART_MAX_K = 12
FULL_CHART_MAX_COST = 2_000_000


@dataclass
class Model:
    """One model (a disjunction of prime implicants)."""

    name: str
    terms: list[Term]


@dataclass
class IntermediateCombo:
    """The intermediate solution of complex model ``c`` x parsimonious model ``p``."""

    name: str
    c_sol: list[Term]
    p_sol: list[Term]
    prime_implicants: list[Term]
    models: list[Model]
    easy: list[int]
    difficult: list[int]


@dataclass
class Solution:
    """Result of :func:`minimize`: prime implicants, models and their fit."""

    tt: TruthTable
    solution_type: str
    include: tuple[str, ...]
    prime_implicants: list[Term]  # the full PI list (chart rows)
    chart: np.ndarray
    minterms: np.ndarray  # row indices of the positive rows
    models: list[Model]
    row_dom: bool = False
    all_sol: bool = False
    dir_exp: list[str] | None = None
    parsimonious: "Solution | None" = None
    combos: list[IntermediateCombo] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    n_models: int | None = None
    #: False when a part of the PI chart has too many entangled minimal models to count
    #: (then ``n_models`` is a lower bound; the minimum size and the listed models are exact)
    n_models_exact: bool = True
    chart_complete: bool = True

    # -------------------------------------------------------------- derived
    def label(self, term: Term) -> str:
        return self.tt.term_label(term)

    @property
    def solution_terms(self) -> list[Term]:
        """PIs used by at least one model, in PI-list order."""
        used = {t for m in self.models for t in m.terms}
        return [t for t in self.prime_implicants if t in used]

    @property
    def essential(self) -> list[Term]:
        if not self.models:
            return []
        common = set(self.models[0].terms)
        for m in self.models[1:]:
            common &= set(m.terms)
        return [t for t in self.prime_implicants if t in common]

    def expressions(self) -> list[str]:
        return _expressions(self.models, self.label)

    def simplifying_assumptions(self) -> dict[str, list[int]] | None:
        if self.solution_type == "complex":
            return {m.name: [] for m in self.models}
        if 3 ** len(self.tt.conditions) >= 2**31:
            return None
        return {m.name: _remainders_in(self.tt, m.terms, self.include) for m in self.models}

    def to_dict(self) -> dict:
        """The ``minimize`` part of RESULT.json (see docs/qca-result-format.md)."""
        tt = self.tt
        base = self.parsimonious if self.solution_type == "intermediate" else self
        mems: dict = {}
        d = {
            "solution_type": self.solution_type,
            "n_models_total": base.n_models if base.n_models is not None else len(base.models),
            "n_models_exact": base.n_models_exact,
            "models_listed": len(base.models),
            "pi_chart_complete": base.chart_complete,
            "include": ",".join(self.include),
            "row_dom": self.row_dom,
            "all_sol": self.all_sol,
            "prime_implicants": [base.label(t) for t in base.solution_terms],
            "essential": [base.label(t) for t in base.essential],
            "pi_chart": {
                "prime_implicants": [base.label(t) for t in base.prime_implicants],
                "minterms": [int(v) for v in base.minterms],
                "matrix": base.chart.toarray().astype(int).tolist() if base.chart.shape[0] * base.chart.shape[1] <= 1_000_000 else None,
            },
            "initials": [base.label(tuple(int(v) + 1 for v in c)) for c in tt.rows_with("1")],
            "numbers": tt.case_numbers(),
            "complex_flag": False,
        }
        pars_models = _models_dict(base, base.models, base.prime_implicants, mems)
        d.update(pars_models)
        d["simplifying_assumptions"] = base.simplifying_assumptions()
        if self.solution_type == "intermediate":
            d["dir_exp"] = list(self.dir_exp or [])
            d["parsimonious"] = d.pop("solutions")
            d.pop("overall_term_fit", None)
            d.pop("overall_solution_fit", None)
            d["intermediate"] = []
            groups: dict[tuple, list[str]] = {}
            distinct: list[tuple] = []
            isol: dict[tuple, list[str]] = {}
            for combo in self.combos:
                cd = _models_dict(self, combo.models, combo.prime_implicants, mems)
                entry = {
                    "name": combo.name,
                    "c_sol": [self.label(t) for t in combo.c_sol],
                    "p_sol": [self.label(t) for t in combo.p_sol],
                    "prime_implicants": [self.label(t) for t in combo.prime_implicants],
                    "essential": [self.label(t) for t in _essential(combo.models, combo.prime_implicants)],
                    "easy_counterfactuals": [{"index": int(i), "config": _cfg(tt, i)} for i in combo.easy],
                    "difficult_counterfactuals": [{"index": int(i), "config": _cfg(tt, i)} for i in combo.difficult],
                    "solutions": cd["solutions"],
                    "overall_term_fit": cd.get("overall_term_fit"),
                }
                d["intermediate"].append(entry)
                key = tuple(tuple(sorted(m.terms)) for m in combo.models)
                groups.setdefault(key, []).append(combo.name)
                for m in combo.models:
                    mk = tuple(sorted(m.terms))
                    if mk not in isol:
                        distinct.append((mk, m, combo))
                        isol[mk] = []
                    isol[mk].append(combo.name)
            d["intermediate_groups"] = list(groups.values())
            models = [Model(name=_model_name(i, len(distinct)), terms=m.terms) for i, (mk, m, c) in enumerate(distinct)]
            pis = qmc_sort_terms({t for m in models for t in m.terms})
            md = _models_dict(self, models, pis, mems)
            for sol, (mk, m, c) in zip(md["solutions"], distinct):
                sol["isol"] = isol[mk]
            d["solutions"] = md["solutions"]
            if "overall_term_fit" in md:
                d["overall_term_fit"] = md["overall_term_fit"]
                d["overall_solution_fit"] = md["overall_solution_fit"]
            d["n_solutions"] = len(models)
        else:
            d["n_solutions"] = len(self.models)
        return d


def _cfg(tt: TruthTable, index: int) -> str:
    mult = multipliers(tt.noflevels)
    rem = int(index) - 1
    out = []
    for m in mult:
        out.append(str(rem // int(m)))
        rem %= int(m)
    return "".join(out)


def _essential(models: list[Model], pis: list[Term]) -> list[Term]:
    if not models:
        return []
    common = set(models[0].terms)
    for m in models[1:]:
        common &= set(m.terms)
    return [t for t in pis if t in common]


def _model_name(i: int, n: int) -> str:
    width = len(str(n)) if n >= 10 else 1
    return f"M{i + 1:0{width}d}"


def _expressions(models: list[Model], label) -> list[str]:
    if not models:
        return []
    common = set(models[0].terms)
    for m in models[1:]:
        common &= set(m.terms)
    out = []
    for m in models:
        first = [label(t) for t in m.terms if t in common]
        rest = [label(t) for t in m.terms if t not in common]
        if len(models) > 1 and rest:
            text = " + ".join(first + ["(" + " + ".join(rest) + ")"]) if first else "(" + " + ".join(rest) + ")"
            if not first:
                text = " + ".join(rest)
        else:
            text = " + ".join(first + rest)
        out.append(text)
    return out


def _covered_cases(tt: TruthTable, term: Term) -> str:
    pos = tt.out == "1"
    idx = np.nonzero(pos)[0]
    inside = cube_contains(np.array(term), tt.configs[idx])
    return "; ".join(",".join(tt.cases[i]) for i in idx[inside])


def _models_dict(sol: Solution, models: list[Model], pis: list[Term], mems: dict) -> dict:
    tt = sol.tt
    exprs = _expressions(models, sol.label)
    multi = len(models) > 1
    zero = 1e-4 if multi else 1e-5
    out = []
    for m, expr in zip(models, exprs):
        rows, mfit = model_fit(tt.data, m.terms, [sol.label(t) for t in m.terms], zero_below=zero, memberships=mems)
        for r, t in zip(rows, m.terms):
            r["cases"] = _covered_cases(tt, t)
        out.append({"name": m.name, "terms": [sol.label(t) for t in m.terms], "expression": expr, "term_fit": rows, **mfit})
    d: dict = {"solutions": out}
    if multi:
        used = [t for t in pis if any(t in m.terms for m in models)]
        rows, mfit = model_fit(tt.data, used, [sol.label(t) for t in used], zero_below=1e-5, memberships=mems)
        for r, t in zip(rows, used):
            r["cases"] = _covered_cases(tt, t)
        _, ufit = model_fit(tt.data, list(dict.fromkeys(used)), [""] * len(used), zero_below=1e-5, memberships=mems)
        d["overall_term_fit"] = rows
        d["overall_solution_fit"] = ufit
    return d


# ----------------------------------------------------------------- options
def parse_include(include) -> tuple[str, ...]:
    """``""``, ``"?"``, ``"?,C"``, ``"C"`` or a list of those symbols."""
    if include is None:
        return ()
    items = include if isinstance(include, (list, tuple)) else str(include).split(",")
    out = []
    for it in items:
        it = str(it).strip()
        if not it:
            continue
        if it not in ("?", "C"):
            raise QCAError(f"include takes '?' (remainders) and/or 'C' (contradictions), got {it!r}")
        if it not in out:
            out.append(it)
    return tuple(out)


def parse_dir_exp(dir_exp, conditions: Sequence[str], noflevels: Sequence[int]) -> dict[int, set[int]]:
    """Directional expectations -> {condition position: expected codes}.

    Accepts R's literal form (``["DEV", "~URB", "LIT[2]"]``) or one entry per
    condition (``["1", "0", "-"]``; a multi-value level such as ``"2"``, several
    levels as ``"1;2"``).  Conditions left out (or ``"-"``) are don't cares."""
    if dir_exp is None:
        return {}
    if isinstance(dir_exp, str):
        dir_exp = [d for d in dir_exp.split(",")]
    items = [str(d).strip() for d in dir_exp]
    res: dict[int, set[int]] = {}
    positional = len(items) == len(conditions) and all(
        it == "-" or it == "" or all(p.strip().isdigit() for p in it.replace(";", " ").split()) for it in items
    )
    if positional:
        for j, it in enumerate(items):
            if it in ("-", ""):
                continue
            for p in it.replace(";", " ").split():
                v = int(p)
                if v >= noflevels[j]:
                    raise QCAError(f"dir_exp: {conditions[j]} has levels 0..{noflevels[j] - 1}, got {v}")
                res.setdefault(j, set()).add(v + 1)
        return res
    for it in items:
        if it in ("-", ""):
            continue
        if all(p.strip().isdigit() for p in it.replace(";", " ").split()):
            raise QCAError(
                f"dir_exp has {len(items)} entries for {len(conditions)} conditions; give one per condition "
                f"(\"1\", \"0\", \"-\" or a level) or R literals such as {conditions[0]} or ~{conditions[0]}"
            )
        j, code = parse_literal(it, conditions, noflevels)
        res.setdefault(j, set()).add(code)
    return res


def _dir_exp_labels(dx: dict[int, set[int]], conditions, multivalue: bool) -> list[str]:
    out = []
    for j in sorted(dx):
        for code in sorted(dx[j]):
            out.append(format_term(tuple(code if i == j else 0 for i in range(len(conditions))), conditions, multivalue=multivalue))
    return out


# --------------------------------------------------------------- helpers
def _off_rows(tt: TruthTable, include: tuple[str, ...]) -> np.ndarray:
    codes = ["0"] if "C" in include else ["0", "C"]
    off = tt.configs[np.isin(tt.out, codes)]
    if tt.exclude:
        extra = _configs_of(tt, [i for i in tt.exclude if i not in set(tt.index[np.isin(tt.out, ["0"])])])
        if len(extra):
            off = np.unique(np.vstack([off, extra]), axis=0)
    return off


def _configs_of(tt: TruthTable, indices) -> np.ndarray:
    mult = multipliers(tt.noflevels)
    out = np.zeros((len(indices), len(mult)), dtype=np.int64)
    rem = np.asarray(indices, dtype=np.int64) - 1
    for j, m in enumerate(mult):
        out[:, j] = rem // m
        rem = rem % m
    return out


def _remainders_in(tt: TruthTable, terms: Sequence[Term], include: tuple[str, ...]) -> list[int]:
    """Row indices of the don't-care rows (remainders; contradictions with C) that the terms cover."""
    mult = multipliers(tt.noflevels)
    pts = set()
    for t in terms:
        p = cube_points(np.array(t), tt.noflevels)
        pts.update((p @ mult + 1).tolist())
    dc_codes = ["?"] + (["C"] if "C" in include else [])
    blocked = set(int(i) for i in tt.index[~np.isin(tt.out, dc_codes)]) | set(tt.exclude)
    return sorted(p for p in pts if p not in blocked)


def _chart(pis: np.ndarray, on: np.ndarray, noflevels=None):
    """PI chart (PIs x positive rows) as a scipy sparse boolean matrix."""
    from scipy import sparse

    pis = np.asarray(pis, dtype=np.int64).reshape(len(pis), -1)
    on = np.asarray(on, dtype=np.int64)
    npi, non = len(pis), len(on)
    if npi == 0 or non == 0:
        return sparse.csr_matrix((npi, non), dtype=bool)
    if npi * non <= 20_000_000 or noflevels is None:
        dense = np.zeros((npi, non), dtype=bool)
        for i, c in enumerate(pis):
            dense[i] = cube_contains(c, on)
        return sparse.csr_matrix(dense)
    # enumerate the points of each (small) cube and look them up among the positive rows
    mult = multipliers(noflevels)
    fixed = np.where(pis > 0, pis - 1, 0)
    codes = fixed @ mult
    ids = np.arange(npi)
    for j in range(pis.shape[1]):
        free = pis[ids, j] == 0
        if not free.any():
            continue
        add_ids = [ids]
        add_codes = [codes]
        for v in range(1, int(noflevels[j])):
            add_ids.append(ids[free])
            add_codes.append(codes[free] + v * mult[j])
        ids = np.concatenate(add_ids)
        codes = np.concatenate(add_codes)
    on_codes = on @ mult
    order = np.argsort(on_codes)
    sorted_codes = on_codes[order]
    pos = np.searchsorted(sorted_codes, codes)
    pos[pos >= non] = 0
    hit = sorted_codes[pos] == codes
    return sparse.csr_matrix(
        (np.ones(int(hit.sum()), dtype=bool), (ids[hit], order[pos[hit]])), shape=(npi, non)
    )


def check_time_limit(value, name: str = "time_limit") -> float | None:
    """``None`` (the default limit) or a positive number of seconds; else a one-line
    :class:`~textqca.errors.QCAError` naming ``name`` (the argument, spec key or CLI flag)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise QCAError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


def _solve(pis_sorted: list[Term], on: np.ndarray, *, row_dom: bool, all_sol: bool, noflevels=None,
           time_limit: float | None = None):
    """Chart, models (as term lists, at most MAX_MODELS), the number of models and whether
    that number is exact (else a lower bound, see :class:`textqca.qca._cover.HardBlock`)."""
    chart = _chart(np.array(pis_sorted, dtype=np.int64).reshape(len(pis_sorted), -1), on, noflevels)
    rows = np.arange(len(pis_sorted))
    if row_dom:
        rows = row_dominance(chart)
        chart = chart[rows]
        pis_sorted = [pis_sorted[i] for i in rows]
    try:
        seconds = MILP_SECONDS if time_limit is None else time_limit
        cs = solve_chart(chart, all_sol=all_sol, limit=MAX_MODELS, milp_seconds=seconds)
    except MinimumUnproven as exc:
        between = f"between {exc.lower} and {exc.upper}" if exc.upper is not None else f"at least {exc.lower}"
        raise QCAError(
            f"the PI chart ({chart.shape[0]} prime implicants x {chart.shape[1]} positive rows) is too large to prove "
            f"the minimum number of terms within {seconds:g} s (one part of it needs {between}); allow more time "
            "(time_limit, textqca qca --time-limit), use row_dom=True or reduce the number of conditions"
        ) from None
    except TooManyModels as exc:
        if exc.count < 0:
            part = f" (one part of it alone needs {exc.size} terms)" if exc.size else ""
            raise QCAError(
                f"the PI chart ({chart.shape[0]} prime implicants x {chart.shape[1]} positive rows) has too many "
                f"equally minimal models to enumerate exactly within the search budget{part}; use row_dom=True or "
                "reduce the number of conditions"
            ) from None
        kind = "irredundant models (all_sol)" if all_sol else "equally minimal models"
        raise QCAError(
            f"more than {MAX_MODELS} {kind} in one part of the PI chart ({exc.count} found so far); "
            "narrow the analysis (row_dom=True, fewer remainders, a stricter incl_cut"
            + (", or without all_sol" if all_sol else "") + ")"
        ) from None
    if cs is None:
        return chart, pis_sorted, [], 0, True
    covers = cs.models(limit=MAX_MODELS)
    return chart, pis_sorted, [[pis_sorted[i] for i in cover] for cover in covers], cs.count, cs.exact


def _name_models(model_terms: list[list[Term]]) -> list[Model]:
    n = len(model_terms)
    return [Model(name=_model_name(i, n), terms=t) for i, t in enumerate(model_terms)]


# ------------------------------------------------------------------ public
def minimize(
    tt: TruthTable,
    *,
    include: str | Sequence[str] = "",
    dir_exp: Sequence[str] | None = None,
    row_dom: bool = False,
    all_sol: bool = False,
    method: str | None = None,
    time_limit: float | None = None,
) -> Solution:
    """Minimize a truth table (see module docstring).

    ``include``: ``""`` complex, ``"?"`` parsimonious (``"?,C"`` also uses
    contradictions); with ``dir_exp`` (and ``"?"``) the intermediate solution.
    ``row_dom`` drops dominated prime implicants before solving the chart;
    ``all_sol`` returns all irredundant models, not only the minimal ones.
    ``method`` is accepted for compatibility with R (CCubes / QMC / eQMC give the
    same exact result here).  ``time_limit``: seconds the MILP solver may spend proving the
    minimum number of terms of one part of the PI chart (default 30; only very large charts
    need it, e.g. complex solutions with 17 or more conditions on sparse data)."""
    if not isinstance(tt, TruthTable):
        raise QCAError("minimize needs a truth table made by truth_table()")
    time_limit = check_time_limit(time_limit)
    inc = parse_include(include)
    if method is not None and str(method) not in ("CCubes", "QMC", "eQMC", "exact"):
        raise QCAError(f"method must be CCubes, QMC or eQMC, got {method!r}")
    on = tt.rows_with("1")
    if len(on) == 0:
        raise QCAError("None of the values in OUT is explained: the truth table has no positive row (check incl_cut, n_cut and the outcome)")
    dx = parse_dir_exp(dir_exp, tt.conditions, tt.noflevels) if dir_exp is not None else None
    if dx is not None and "?" not in inc:
        raise QCAError("dir_exp needs include='?' (intermediate solutions use remainders)")
    if dx is not None:
        return _intermediate(tt, inc, dx, row_dom=row_dom, all_sol=all_sol, time_limit=time_limit)
    if "?" in inc:
        return _parsimonious(tt, inc, row_dom=row_dom, all_sol=all_sol, time_limit=time_limit)
    return _complex(tt, inc, row_dom=row_dom, all_sol=all_sol, time_limit=time_limit)


def _parsimonious(tt, inc, *, row_dom, all_sol, time_limit=None) -> Solution:
    on = tt.rows_with("1")
    off = _off_rows(tt, inc)
    if len(off) == 0:
        raise QCAError("All truth table configurations are used, all conditions are minimized (no negative row to contrast with)")
    full_cost = (2 ** len(tt.conditions)) * (len(on) + len(off))
    if (len(tt.conditions) > FULL_CHART_MAX_K or full_cost > FULL_CHART_MAX_COST) and not row_dom and not all_sol:
        covers, count = minimal_covers_on_demand(on, off, tt.noflevels, limit=MAX_MODELS)
        pis_sorted = sorted({t for m in covers for t in m}, key=pi_sort_key)
        covers = sorted(
            [sorted(m, key=pis_sorted.index) for m in covers], key=lambda m: [pis_sorted.index(t) for t in m]
        )
        chart = _chart(np.array(pis_sorted, dtype=np.int64).reshape(len(pis_sorted), -1), on, tt.noflevels)
        return Solution(
            tt=tt, solution_type="parsimonious", include=inc, prime_implicants=pis_sorted, chart=chart,
            minterms=tt.row_index(on), models=_name_models(covers), row_dom=row_dom, all_sol=all_sol,
            n_models=count, chart_complete=False,
        )
    pis = primes_avoiding(on, off, tt.noflevels)
    pis_sorted = sorted({tuple(int(v) for v in p) for p in pis}, key=pi_sort_key)
    chart, pis_sorted, covers, count, exact = _solve(pis_sorted, on, row_dom=row_dom, all_sol=all_sol, time_limit=time_limit, noflevels=tt.noflevels)
    return Solution(
        tt=tt, solution_type="parsimonious", include=inc, prime_implicants=pis_sorted, chart=chart,
        minterms=tt.row_index(on), models=_name_models(covers), row_dom=row_dom, all_sol=all_sol, n_models=count,
        n_models_exact=exact,
    )


def _complex(tt, inc, *, row_dom, all_sol, time_limit=None) -> Solution:
    on = tt.rows_with("1")
    allowed = on
    if "C" in inc:
        allowed = np.vstack([on, tt.rows_with("C")])
    pis = primes_within(allowed, tt.noflevels, must_cover=on if "C" in inc else None)
    pis_sorted = qmc_sort_terms(tuple(int(v) for v in p) for p in pis)
    chart, pis_sorted, covers, count, exact = _solve(pis_sorted, on, row_dom=row_dom, all_sol=all_sol, time_limit=time_limit, noflevels=tt.noflevels)
    return Solution(
        tt=tt, solution_type="complex", include=inc, prime_implicants=pis_sorted, chart=chart,
        minterms=tt.row_index(on), models=_name_models(covers), row_dom=row_dom, all_sol=all_sol, n_models=count,
        n_models_exact=exact,
    )


def _easy_cubes(c_terms: list[Term], p_terms: list[Term], dx: dict[int, set[int]]) -> list[Term]:
    cubes = []
    for c in c_terms:
        for p in p_terms:
            if not all(pv == 0 or pv == cv for pv, cv in zip(p, c)):
                continue
            new = list(c)
            for j, (cv, pv) in enumerate(zip(c, p)):
                if cv != 0 and pv == 0 and j in dx and cv not in dx[j]:
                    new[j] = 0
            cubes.append(tuple(new))
    return cubes


def _intermediate(tt, inc, dx, *, row_dom, all_sol, time_limit=None) -> Solution:
    comp = _complex(tt, tuple(i for i in inc if i == "C"), row_dom=row_dom, all_sol=all_sol, time_limit=time_limit)
    pars = _parsimonious(tt, inc, row_dom=row_dom, all_sol=all_sol, time_limit=time_limit)
    on = tt.rows_with("1")
    on_idx = set(tt.row_index(on).tolist())
    mult = multipliers(tt.noflevels)
    combos = []
    for ci, cm in enumerate(comp.models):
        for pj, pm in enumerate(pars.models):
            sa = pars_sa = _remainders_in(tt, pm.terms, inc)
            sa_set = set(sa)
            easy = set()
            for cube in _easy_cubes(cm.terms, pm.terms, dx):
                pts = cube_points(np.array(cube), tt.noflevels) @ mult + 1
                easy.update(int(p) for p in pts if int(p) in sa_set and int(p) not in on_idx)
            easy_l = sorted(easy)
            allowed = np.vstack([on, _configs_of(tt, easy_l)]) if easy_l else on
            pis = primes_within(allowed, tt.noflevels, must_cover=on if easy_l else None)
            pis_sorted = qmc_sort_terms(tuple(int(v) for v in p) for p in pis)
            _, pis_sorted, covers, _n, _exact = _solve(pis_sorted, on, row_dom=row_dom, all_sol=all_sol, time_limit=time_limit, noflevels=tt.noflevels)
            combos.append(
                IntermediateCombo(
                    name=f"C{ci + 1}P{pj + 1}", c_sol=list(cm.terms), p_sol=list(pm.terms),
                    prime_implicants=pis_sorted, models=_name_models(covers), easy=easy_l,
                    difficult=[i for i in pars_sa if i not in easy],
                )
            )
    models = []
    seen = set()
    for combo in combos:
        for m in combo.models:
            key = tuple(sorted(m.terms))
            if key not in seen:
                seen.add(key)
                models.append(m.terms)
    pis_all = qmc_sort_terms({t for m in models for t in m})
    return Solution(
        tt=tt, solution_type="intermediate", include=inc, prime_implicants=pis_all,
        chart=_chart(np.array(pis_all, dtype=np.int64).reshape(len(pis_all), -1), on, tt.noflevels), minterms=tt.row_index(on),
        models=_name_models(models), row_dom=row_dom, all_sol=all_sol,
        dir_exp=_dir_exp_labels(dx, tt.conditions, tt.multivalue), parsimonious=pars, combos=combos,
    )
