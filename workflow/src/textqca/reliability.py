"""Agreement between two codings of the same passages: coders, or a coder and the auto-coder.

:func:`compare` takes two codings (annotation tables or codings tables, see
``docs/contracts.md``) and reports, per code and overall:

* counts, precision / recall / F1 of B against A (A is the reference: the gold coding,
  or coder A), percent agreement;
* Cohen's kappa (scikit-learn) and Krippendorff's alpha (the ``krippendorff`` package,
  nominal) on code presence, and on presence with polarity (three values -1 / 0 / 1);
* bootstrap confidence intervals (resampling passages) for F1, kappa and alpha;
* polarity accuracy where both coded the code;
* the confusion between codes (which code B used in a passage where it missed A's code).

The passages compared are those both codings examined (``universe="both"``, for two coders
who list every passage they examined, with ``NONE`` rows) or all of A's passages
(``universe="a"``, for the auto-coder's table, which has no rows for uncoded passages).
Per code figures use the passages of the universe; a code that neither side used has
undefined kappa and alpha (reported as ``null``).
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from textqca.codebook import Codebook, load_codebook
from textqca.errors import AnnotationError

__all__ = ["compare", "agreement_files", "agreement_rounds", "cohen_kappa", "krippendorff_alpha", "format_report"]


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float | None:
    """Cohen's kappa of two label vectors (scikit-learn); None when undefined."""
    from sklearn.metrics import cohen_kappa_score

    a, b = np.asarray(a), np.asarray(b)
    if len(a) == 0:
        return None
    labels = np.union1d(a, b)
    if len(labels) < 2:
        return None  # both gave one and the same value everywhere: chance agreement is 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        k = cohen_kappa_score(a, b, labels=labels)
    return None if not np.isfinite(k) else float(k)


def krippendorff_alpha(a: np.ndarray, b: np.ndarray) -> float | None:
    """Krippendorff's alpha (nominal) of two coders (``krippendorff`` package); None when undefined."""
    import krippendorff

    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) == 0 or len(np.union1d(a, b)) < 2:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        v = krippendorff.alpha(reliability_data=np.vstack([a, b]), level_of_measurement="nominal")
    return None if not np.isfinite(v) else float(v)


def _prf(a: np.ndarray, b: np.ndarray) -> tuple[float | None, float | None, float | None]:
    tp = int(np.sum((a != 0) & (b != 0)))
    na, nb = int(np.sum(a != 0)), int(np.sum(b != 0))
    p = tp / nb if nb else None
    r = tp / na if na else None
    f = 2 * tp / (na + nb) if (na + nb) else None
    return p, r, f


def _matrix(df: pd.DataFrame, ids: list[str], codes: Sequence[str]) -> np.ndarray:
    index = {p: i for i, p in enumerate(ids)}
    col = {c: j for j, c in enumerate(codes)}
    M = np.zeros((len(ids), len(codes)), dtype=int)
    for pid, code, pol in zip(df["passage_id"], df["code"], df["polarity"]):
        i, j = index.get(pid), col.get(code)
        if i is None or j is None:
            continue
        pol = int(pol) if str(pol).strip() not in ("", "0") else 1
        M[i, j] = -1 if pol < 0 else 1
    return M


def _fast_stats(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """F1, Cohen's kappa and Krippendorff's alpha (nominal, two coders, no missing values)
    for label arrays of shape (n_boot, n_units[, n_codes]), vectorised for the bootstrap.

    Same formulas as scikit-learn's ``cohen_kappa_score`` and ``krippendorff.alpha``
    (tests check that they agree); NaN where undefined.
    """
    a = a.reshape(a.shape[0], -1)
    b = b.reshape(b.shape[0], -1)
    n = a.shape[1]
    pa, pb = a != 0, b != 0
    tp = np.sum(pa & pb, axis=1)
    denom = pa.sum(1) + pb.sum(1)
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(denom > 0, 2 * tp / np.maximum(denom, 1), np.nan)
        labels = np.union1d(np.unique(a), np.unique(b))
        po = np.mean(a == b, axis=1)
        pe = np.zeros(a.shape[0])
        n_c = []
        for c in labels:
            ca, cb = np.mean(a == c, axis=1), np.mean(b == c, axis=1)
            pe += ca * cb
            n_c.append((ca + cb) * n)  # count of value c among the 2n values
        kappa = np.where(pe < 1, (po - pe) / (1 - pe), np.nan)
        n_c = np.vstack(n_c)
        disagree = np.sum(a != b, axis=1)  # each disagreeing unit adds 2 off-diagonal coincidences
        expected = (np.sum(n_c, axis=0) ** 2 - np.sum(n_c ** 2, axis=0))  # sum over c != k of n_c n_k
        alpha = np.where(expected > 0, 1 - (2 * n - 1) * 2 * disagree / np.where(expected > 0, expected, 1), np.nan)
    return f1, kappa, alpha


def _boot_cis(a: np.ndarray, b: np.ndarray, boots: list[np.ndarray], level: float):
    idx = np.vstack(boots)
    f1, kappa, alpha = _fast_stats(a[idx], b[idx])
    return _ci(list(f1), level), _ci(list(kappa), level), _ci(list(alpha), level)


def _ci(values: list[float], level: float) -> list[float] | None:
    v = np.asarray([x for x in values if x is not None and np.isfinite(x)])
    if len(v) < 10:
        return None
    lo, hi = np.quantile(v, [(1 - level) / 2, 1 - (1 - level) / 2])
    return [round(float(lo), 4), round(float(hi), 4)]


def _r(x):
    return None if x is None else round(float(x), 4)


def compare(a: pd.DataFrame, b: pd.DataFrame, *, codes: Sequence[str], universe: str = "both",
            n_boot: int = 1000, level: float = 0.95, seed: int = 0, label_a: str = "A", label_b: str = "B") -> dict:
    """Agreement of coding ``b`` with reference ``a`` (tables with passage_id, code, polarity).

    Returns a JSON-ready dict: ``overall`` (micro precision/recall/F1, macro F1, pooled kappa
    and alpha with bootstrap CIs, polarity accuracy), ``per_code`` (one record per code),
    ``confusion`` (pairs missed-code -> used-code with counts).
    """
    ids_a = list(dict.fromkeys(a["passage_id"].astype(str)))
    ids_b = set(b["passage_id"].astype(str))
    if universe == "both":
        ids = [p for p in ids_a if p in ids_b]
    elif universe == "a":
        ids = ids_a
    else:
        raise ValueError("universe must be 'both' or 'a'")
    if not ids:
        raise AnnotationError(f"the two codings ({label_a}, {label_b}) have no passage in common; check that they use the same passage ids")
    a = a.assign(passage_id=a["passage_id"].astype(str))
    b = b.assign(passage_id=b["passage_id"].astype(str))
    A = _matrix(a, ids, codes)
    B = _matrix(b, ids, codes)
    n, k = A.shape
    rng = np.random.default_rng(seed)
    boots = [rng.integers(0, n, n) for _ in range(n_boot)] if n_boot else []

    per_code = []
    for j, code in enumerate(codes):
        pa, pb = A[:, j] != 0, B[:, j] != 0
        p, r, f = _prf(A[:, j], B[:, j])
        rec = {
            "code": code, "n_a": int(pa.sum()), "n_b": int(pb.sum()), "n_both": int((pa & pb).sum()),
            "precision": _r(p), "recall": _r(r), "f1": _r(f),
            "percent_agreement": _r(np.mean(pa == pb)),
            "kappa": _r(cohen_kappa(pa.astype(int), pb.astype(int))),
            "alpha": _r(krippendorff_alpha(pa.astype(int), pb.astype(int))),
            "kappa_polarity": _r(cohen_kappa(A[:, j], B[:, j])),
            "alpha_polarity": _r(krippendorff_alpha(A[:, j], B[:, j])),
        }
        both = pa & pb
        rec["polarity_accuracy"] = _r(np.mean(A[both, j] == B[both, j])) if both.any() else None
        if boots and (pa.any() or pb.any()):
            rec["f1_ci"], rec["kappa_ci"], rec["alpha_ci"] = _boot_cis(pa.astype(int), pb.astype(int), boots, level)
        else:
            rec["f1_ci"] = rec["kappa_ci"] = rec["alpha_ci"] = None
        per_code.append(rec)

    p, r, f = _prf(A.ravel(), B.ravel())
    both = (A != 0) & (B != 0)
    fs_macro = [c["f1"] for c in per_code if c["f1"] is not None]
    overall = {
        "n_passages": n, "n_codings_a": int((A != 0).sum()), "n_codings_b": int((B != 0).sum()),
        "precision": _r(p), "recall": _r(r), "f1": _r(f),
        "macro_f1": _r(np.mean(fs_macro)) if fs_macro else None,
        "kappa": _r(cohen_kappa((A != 0).ravel().astype(int), (B != 0).ravel().astype(int))),
        "alpha": _r(krippendorff_alpha((A != 0).ravel().astype(int), (B != 0).ravel().astype(int))),
        "kappa_polarity": _r(cohen_kappa(A.ravel(), B.ravel())),
        "alpha_polarity": _r(krippendorff_alpha(A.ravel(), B.ravel())),
        "polarity_accuracy": _r(np.mean(A[both] == B[both])) if both.any() else None,
        "n_polarity_compared": int(both.sum()),
        "passage_exact_match": _r(np.mean(np.all((A != 0) == (B != 0), axis=1))),
    }
    if boots:
        flat_a, flat_b = (A != 0).astype(int), (B != 0).astype(int)
        overall["f1_ci"], overall["kappa_ci"], overall["alpha_ci"] = _boot_cis(flat_a, flat_b, boots, level)
        pols = []
        for idx in boots:
            x, y = A[idx], B[idx]
            bb = (x != 0) & (y != 0)
            pols.append(float(np.mean(x[bb] == y[bb])) if bb.any() else None)
        overall["polarity_accuracy_ci"] = _ci(pols, level)
    # confusion: in a passage, A's code missed by B x B's code not in A
    conf: dict[tuple[str, str], int] = {}
    for i in range(n):
        missed = [codes[j] for j in range(k) if A[i, j] != 0 and B[i, j] == 0]
        extra = [codes[j] for j in range(k) if B[i, j] != 0 and A[i, j] == 0]
        for m in missed:
            for e in extra:
                conf[(m, e)] = conf.get((m, e), 0) + 1
        pol_diff = [codes[j] for j in range(k) if A[i, j] != 0 and B[i, j] != 0 and A[i, j] != B[i, j]]
        for c in pol_diff:
            conf[(c + " (polarity)", c + " (other polarity)")] = conf.get((c + " (polarity)", c + " (other polarity)"), 0) + 1
    confusion = [{"code_a": x, "code_b": y, "n": v} for (x, y), v in sorted(conf.items(), key=lambda kv: (-kv[1], kv[0]))]
    return {
        "a": label_a, "b": label_b, "universe": universe, "n_boot": n_boot, "ci_level": level, "seed": seed,
        "overall": overall, "per_code": per_code, "confusion": confusion,
    }


def _read_coding(path: str | os.PathLike | Sequence, codebook: Codebook) -> pd.DataFrame:
    from textqca.autocode.annotations import read_annotations

    return read_annotations(path, codebook=codebook)


def agreement_files(a: str | os.PathLike | Sequence, b: str | os.PathLike | Sequence, *, codebook: str | os.PathLike | Codebook | None = None,
                    universe: str = "both", n_boot: int = 1000, seed: int = 0, output: str | os.PathLike | None = None,
                    coder_a: str | None = None, coder_b: str | None = None) -> dict:
    """Agreement between two annotation sets (files or folders); optionally write JSON ``output``.

    ``coder_a`` / ``coder_b`` select one coder's rows when a set holds several coders.
    """
    cb = codebook if isinstance(codebook, Codebook) else load_codebook(codebook or "codebook/framework.yaml")
    da, db = _read_coding(a, cb), _read_coding(b, cb)
    if coder_a:
        da = da[da["coder"] == coder_a]
    if coder_b:
        db = db[db["coder"] == coder_b]
    for d, name in ((da, a), (db, b)):
        if d.empty:
            raise AnnotationError("no coding rows (after selecting the coder)", path=str(name))
    report = compare(da, db, codes=cb.code_ids, universe=universe, n_boot=n_boot, seed=seed,
                     label_a=str(coder_a or _label(a)), label_b=str(coder_b or _label(b)))
    report["codebook"] = {"id": cb.id, "version": cb.version}
    if output:
        write_json(report, output)
    return report


def _label(x) -> str:
    if isinstance(x, (list, tuple)):
        return ",".join(map(str, x))
    return str(x)


def write_json(obj: dict, output: str | os.PathLike) -> Path:
    from textqca.io import write_text_atomic

    write_text_atomic(json.dumps(obj, ensure_ascii=False, indent=2), output)
    return Path(output)


def format_report(report: dict) -> str:
    """A plain-text table of a :func:`compare` report (what the CLIs print)."""
    def f(x):
        return "  n/a" if x is None else f"{x:5.2f}"

    def ci(x):
        return "" if not x else f" [{x[0]:.2f},{x[1]:.2f}]"

    o = report["overall"]
    lines = [
        f"{report['b']} against {report['a']}: {o['n_passages']} passages, {o['n_codings_a']} vs {o['n_codings_b']} codings",
        f"overall: P {f(o['precision'])}  R {f(o['recall'])}  F1 {f(o['f1'])}{ci(o.get('f1_ci'))}  macro-F1 {f(o['macro_f1'])}",
        f"         kappa {f(o['kappa'])}{ci(o.get('kappa_ci'))}  alpha {f(o['alpha'])}{ci(o.get('alpha_ci'))}"
        f"  polarity accuracy {f(o['polarity_accuracy'])} (n={o['n_polarity_compared']})",
        "",
        f"{'code':<18} {'nA':>4} {'nB':>4} {'P':>5} {'R':>5} {'F1':>5} {'kappa':>5} {'alpha':>5} {'pol':>5}  F1 CI",
    ]
    for c in report["per_code"]:
        lines.append(
            f"{c['code']:<18} {c['n_a']:>4} {c['n_b']:>4} {f(c['precision'])} {f(c['recall'])} {f(c['f1'])} "
            f"{f(c['kappa'])} {f(c['alpha'])} {f(c['polarity_accuracy'])} {ci(c.get('f1_ci'))}"
        )
    if report["confusion"]:
        lines.append("")
        lines.append("most frequent confusions (A's code missed -> B's code used instead):")
        for x in report["confusion"][:8]:
            lines.append(f"  {x['code_a']} -> {x['code_b']}: {x['n']}")
    return "\n".join(lines)


def agreement_rounds(*, annotations: str | os.PathLike | None, output: str | os.PathLike, codebook: str | os.PathLike | None = None,
                     n_boot: int = 1000, seed: int = 0) -> dict:
    """Inter-coder agreement for every coding round of an annotation folder (JSON ``output``).

    The layout is ``<annotations>/round<r>/<coder>/<case_id>.csv``: in every round each pair
    of coders is compared on the passages both examined.  Rounds with fewer than two coders
    are listed without figures.
    """
    from textqca.autocode.annotations import read_annotations

    cb = load_codebook(codebook or "codebook/framework.yaml")
    root = Path(annotations) if annotations else None
    result: dict = {"codebook": {"id": cb.id, "version": cb.version}, "rounds": []}
    rounds = sorted(p for p in root.glob("round*") if p.is_dir()) if root and root.is_dir() else []
    for rd in rounds:
        coders = sorted(p for p in rd.iterdir() if p.is_dir() and any(p.rglob("*.csv")))
        entry: dict = {"round": rd.name, "coders": [c.name for c in coders], "pairs": []}
        for i in range(len(coders)):
            for j in range(i + 1, len(coders)):
                da = read_annotations(coders[i], codebook=cb)
                db = read_annotations(coders[j], codebook=cb)
                try:
                    rep = compare(da, db, codes=cb.code_ids, universe="both", n_boot=n_boot, seed=seed,
                                  label_a=coders[i].name, label_b=coders[j].name)
                except AnnotationError as exc:
                    rep = {"a": coders[i].name, "b": coders[j].name, "error": str(exc)}
                entry["pairs"].append(rep)
        result["rounds"].append(entry)
    write_json(result, output)
    return result
