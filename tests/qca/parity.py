"""Comparison of a textqca RESULT.json with an R QCA 3.25.1 reference (used by the tests)."""

from __future__ import annotations

import math

TOL = 1e-6


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) and math.isnan(a):
        return b is None
    return abs(float(a) - float(b)) <= TOL


def _cmp_fit(where: str, got: dict, ref: dict, keys, problems: list[str]) -> None:
    for k in keys:
        if k in ref and not _close(got.get(k), ref[k]):
            problems.append(f"{where}.{k}: got {got.get(k)!r}, R {ref[k]!r}")


def _models(sols: list[dict]) -> dict[frozenset, dict]:
    return {frozenset(s["terms"]): s for s in sols or []}


def _cmp_solutions(where: str, got: list[dict], ref: list[dict], problems: list[str], *, cases: bool = True) -> None:
    g, r = _models(got), _models(ref)
    if set(g) != set(r):
        problems.append(f"{where}: models differ: got {sorted(map(sorted, g))}, R {sorted(map(sorted, r))}")
        return
    for key, rs in r.items():
        gs = g[key]
        _cmp_fit(f"{where}[{rs['name']}]", gs, rs, ("inclS", "PRI", "covS"), problems)
        gt = {t["term"]: t for t in gs["term_fit"]}
        for rt in rs["term_fit"]:
            gtt = gt.get(rt["term"])
            if gtt is None:
                problems.append(f"{where}[{rs['name']}]: term {rt['term']} missing")
                continue
            _cmp_fit(f"{where}[{rs['name']}].{rt['term']}", gtt, rt, ("inclS", "PRI", "covS", "covU"), problems)
            if cases and "cases" in rt and gtt.get("cases") != rt["cases"]:
                problems.append(f"{where}[{rs['name']}].{rt['term']}.cases: got {gtt.get('cases')!r}, R {rt['cases']!r}")


def compare(got: dict, ref: dict) -> tuple[list[str], list[str]]:
    """Return (problems, notes): problems break parity, notes are print-order differences."""
    problems: list[str] = []
    notes: list[str] = []
    rt, gt = ref["truth_table"], got["truth_table"]
    rrows = {r["index"]: r for r in rt["rows"]}
    grows = {r["index"]: r for r in gt["rows"]}
    if set(rrows) != set(grows):
        problems.append(f"truth table rows differ: got {sorted(grows)}, R {sorted(rrows)}")
    for i, r in rrows.items():
        g = grows.get(i)
        if g is None:
            continue
        for k in ("config", "OUT", "n", "cases"):
            if g.get(k) != r.get(k):
                problems.append(f"row {i}.{k}: got {g.get(k)!r}, R {r.get(k)!r}")
        _cmp_fit(f"row {i}", g, r, ("incl", "PRI"), problems)
        if r.get("below_n_cut") and g.get("OUT_if_n_cut_met") != r.get("OUT_if_n_cut_met"):
            problems.append(f"row {i}.OUT_if_n_cut_met differs")
    rm, gm = ref["minimize"], got["minimize"]
    if set(rm["prime_implicants"]) != set(gm["prime_implicants"]):
        problems.append(f"prime implicants differ: got {gm['prime_implicants']}, R {rm['prime_implicants']}")
    elif rm["prime_implicants"] != gm["prime_implicants"]:
        notes.append("PI order differs")
    if set(rm["essential"]) != set(gm["essential"]):
        problems.append(f"essential differ: got {gm['essential']}, R {rm['essential']}")
    if set(rm["pi_chart"]["prime_implicants"]) != set(gm["pi_chart"]["prime_implicants"]):
        notes.append("PI chart rows differ")
    if rm.get("numbers") != gm.get("numbers"):
        problems.append(f"numbers differ: got {gm.get('numbers')}, R {rm.get('numbers')}")
    _cmp_solutions("solutions", gm["solutions"], rm["solutions"], problems)
    if rm.get("overall_term_fit"):
        gof = {t["term"]: t for t in gm.get("overall_term_fit") or []}
        for t in rm["overall_term_fit"]:
            if t["term"] not in gof:
                problems.append(f"overall_term_fit: {t['term']} missing")
            else:
                _cmp_fit(f"overall.{t['term']}", gof[t["term"]], t, ("inclS", "PRI", "covS", "covU"), problems)
        _cmp_fit("overall_solution_fit", gm.get("overall_solution_fit") or {}, rm["overall_solution_fit"], ("inclS", "PRI", "covS"), problems)
    # simplifying assumptions by model content
    if rm.get("simplifying_assumptions"):
        base_r = rm.get("parsimonious") or rm["solutions"]
        base_g = gm.get("parsimonious") or gm["solutions"]
        rsa = {frozenset(s["terms"]): rm["simplifying_assumptions"][s["name"]] for s in base_r}
        gsa = {frozenset(s["terms"]): (gm.get("simplifying_assumptions") or {}).get(s["name"]) for s in base_g}
        for key, v in rsa.items():
            if gsa.get(key) != v:
                problems.append(f"simplifying assumptions of {sorted(key)}: got {gsa.get(key)}, R {v}")
    # print order of expressions
    rex = {frozenset(s["terms"]): s["expression"] for s in rm["solutions"]}
    gex = {frozenset(s["terms"]): s["expression"] for s in gm["solutions"]}
    for key, e in rex.items():
        if key in gex and gex[key] != e:
            notes.append(f"expression print order: got {gex[key]!r}, R {e!r}")
    if rm.get("solution_type") == "intermediate":
        _cmp_solutions("parsimonious", gm.get("parsimonious"), rm.get("parsimonious"), problems)
        gi = {(frozenset(c["c_sol"]), frozenset(c["p_sol"])): c for c in gm.get("intermediate") or []}
        for c in rm["intermediate"]:
            key = (frozenset(c["c_sol"]), frozenset(c["p_sol"]))
            g = gi.get(key)
            if g is None:
                problems.append(f"intermediate {c['name']} ({sorted(key[0])} x {sorted(key[1])}) missing")
                continue
            if set(g["prime_implicants"]) != set(c["prime_implicants"]):
                problems.append(f"intermediate {c['name']} PIs: got {g['prime_implicants']}, R {c['prime_implicants']}")
            for k in ("easy_counterfactuals", "difficult_counterfactuals"):
                if sorted(x["index"] for x in g[k]) != sorted(x["index"] for x in c[k]):
                    problems.append(f"intermediate {c['name']} {k}: got {g[k]}, R {c[k]}")
            _cmp_solutions(f"intermediate {c['name']}", g["solutions"], c["solutions"], problems)
        risol = {frozenset(s["terms"]): sorted(s.get("isol", [])) for s in rm["solutions"]}
        gisol = {frozenset(s["terms"]): sorted(s.get("isol", [])) for s in gm["solutions"]}
        if len(rm["intermediate"]) == len(gm.get("intermediate") or []) and risol != gisol:
            notes.append(f"isol differ: got {gisol}, R {risol}")
    rn = {n["condition"]: n for n in ref.get("necessity") or []}
    gn = {n["condition"]: n for n in got.get("necessity") or []}
    for c, r in rn.items():
        if c not in gn:
            problems.append(f"necessity {c} missing")
        else:
            _cmp_fit(f"necessity {c}", gn[c], r, ("inclN", "RoN", "covN"), problems)
    return problems, notes
