"""Measure the auto-coder against human coding: on a coded file, or by cross-validation.

:func:`evaluate_files` compares a codings table (``textqca code`` output) with a gold
annotation set: per-code precision, recall, F1, Cohen's kappa and Krippendorff's alpha
with bootstrap confidence intervals, polarity accuracy and the confusion between codes
(see :mod:`textqca.reliability`).  Gold passages the coder left without a row count as
"no code".

:func:`cross_validate` trains and codes fold by fold (passages grouped by document, so no
document is both trained on and coded), which is how the figures in
``benchmarks/RESULTS-code.md`` are made.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from textqca.codebook import NONE_CODE, Codebook, load_codebook
from textqca.errors import CodingError

__all__ = ["evaluate_files", "read_codings", "cross_validate", "extra_rows_for_fold"]

log = logging.getLogger("textqca.autocode")


def read_codings(path: str | os.PathLike, *, codebook: Codebook) -> pd.DataFrame:
    """Read a codings table (``passage_id, code, polarity, …``); codes checked against the codebook."""
    p = Path(path)
    if not p.is_file():
        raise CodingError("codings file not found", path=p)
    sep = "\t" if p.suffix.lower() in (".tsv", ".tab") else ","
    try:
        df = pd.read_csv(p, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise CodingError(f"cannot read as a table ({' '.join(str(exc).split())})", path=p) from None
    missing = [c for c in ("passage_id", "code", "polarity") if c not in df.columns]
    if missing:
        raise CodingError(f"missing column(s) {', '.join(missing)}; a codings table has passage_id, code, polarity, confidence, method, evidence, start, end", path=p)
    known = set(codebook.code_ids) | {NONE_CODE}
    for i, c in enumerate(df["code"]):
        if c not in known:
            raise CodingError(f"code {c!r} does not exist in codebook {codebook.id} {codebook.version}", path=p, where=f"line {i + 2}")
    pol = {"1": 1, "+1": 1, "1.0": 1, "-1": -1, "-1.0": -1}
    for i, (c, v) in enumerate(zip(df["code"], df["polarity"])):
        if c != NONE_CODE and str(v).strip() not in pol:
            raise CodingError(f"polarity {v!r} must be 1 or -1", path=p, where=f"line {i + 2}")
    df = df[df["code"] != NONE_CODE].copy()
    df["polarity"] = [pol[str(v).strip()] for v in df["polarity"]]
    return df


def evaluate_files(*, gold: str | os.PathLike | Sequence, coded: str | os.PathLike, codebook: str | os.PathLike | None = None,
                   output: str | os.PathLike | None = None, n_boot: int = 1000, seed: int = 0) -> dict:
    """Compare ``coded`` (a codings table) with ``gold`` (annotation files); optionally write JSON."""
    from textqca.autocode.annotations import consensus, read_annotations
    from textqca.reliability import compare, write_json

    cb = load_codebook(codebook or "codebook/framework.yaml")
    g = consensus(read_annotations(gold, codebook=cb))
    c = read_codings(coded, codebook=cb)
    report = compare(g, c, codes=cb.code_ids, universe="a", n_boot=n_boot, seed=seed, label_a="gold", label_b="auto-coder")
    report["codebook"] = {"id": cb.id, "version": cb.version}
    report["gold"] = [str(x) for x in (gold if isinstance(gold, (list, tuple)) else [gold])]
    report["coded"] = str(coded)
    if output:
        write_json(report, output)
    return report


def _doc_of(pid: str) -> str:
    return pid.rsplit(":", 1)[0] if ":" in pid else pid


def extra_rows_for_fold(extra_ids: Sequence[str], test_ids: Sequence[str]) -> list[int]:
    """Indices of the extra training passages that may train a fold testing ``test_ids``:
    not the same passage and not from a document of the test passages."""
    test_docs = {_doc_of(p) for p in test_ids}
    test_set = set(test_ids)
    return [i for i, p in enumerate(extra_ids) if p not in test_set and _doc_of(p) not in test_docs]


def cross_validate(table: pd.DataFrame, *, codebook: Codebook, n_splits: int = 5, seed: int = 0, n_boot: int = 500,
                   extra_train: pd.DataFrame | None = None, rules_only: bool = False, **params) -> tuple[dict, pd.DataFrame]:
    """Grouped k-fold cross-validation of the hybrid coder on a training table.

    ``table`` has passage_id, code, polarity, text (one human coding per passage, ``NONE``
    rows included).  Folds group passages by document (the part of the id before the last
    ``:``).  ``extra_train`` is added to every training fold (e.g. another corpus), except
    its passages from a document of the fold's test passages (more coding of the same
    documents would otherwise leak the test documents into training).
    Returns (the :func:`~textqca.reliability.compare` report, the out-of-fold codings).
    """
    from sklearn.model_selection import GroupKFold

    from textqca.autocode import HybridCoder, _xy
    from textqca.autocode.model import CodeClassifier
    from textqca.reliability import compare

    ids, texts, Y = _xy(table, codebook)
    groups = [_doc_of(p) for p in ids]
    n_groups = len(set(groups))
    k = min(n_splits, n_groups) if n_groups >= 2 else 2
    splitter = GroupKFold(n_splits=k) if n_groups >= 2 else None
    if extra_train is not None and len(extra_train):
        eids, etexts, eY = _xy(extra_train, codebook)
    else:
        eids, etexts, eY = [], [], np.zeros((0, len(codebook.code_ids)), dtype=int)
    rows = []
    split_iter = splitter.split(np.zeros(len(ids)), groups=groups) if splitter else [(np.arange(len(ids)), np.arange(len(ids)))]
    for tr, te in split_iter:
        if rules_only:
            coder = HybridCoder(codebook, None)
        else:
            keep = extra_rows_for_fold(eids, [ids[i] for i in te])
            tr_texts = [texts[i] for i in tr] + [etexts[i] for i in keep]
            tr_Y = np.vstack([Y[tr], eY[keep]]) if len(keep) else Y[tr]
            model = CodeClassifier(codebook.path, **params)
            model._cb = codebook
            model._cb_path = codebook.path or "codebook/framework.yaml"
            tr_groups = [groups[i] for i in tr] + [_doc_of(eids[i]) for i in keep]
            model.fit(tr_texts, tr_Y, groups=tr_groups)
            coder = HybridCoder(codebook, model)
        for c in coder.code([ids[i] for i in te], [texts[i] for i in te]):
            rows.append(c.row())
    from textqca.autocode import CODING_COLUMNS

    oof = pd.DataFrame(rows, columns=list(CODING_COLUMNS))
    report = compare(table, oof, codes=codebook.code_ids, universe="a", n_boot=n_boot, seed=seed,
                     label_a="human", label_b="auto-coder (cross-validated)")
    report["n_folds"] = k
    return report, oof


def cross_validate_files(*, annotations: Sequence[str | os.PathLike] | str | os.PathLike | None, passages, output: str | os.PathLike,
                         codebook: str | os.PathLike | None = None, n_splits: int = 5, n_boot: int = 1000, seed: int = 0,
                         with_bundled: bool = True) -> dict:
    """Cross-validated figures of the hybrid coder on the project's human coding (JSON ``output``).

    Folds group passages by document; the coded sample of real policy documents and the
    codebook examples shipped with textqca are added to every training fold when
    ``with_bundled`` (they are never tested on).  The rule coder alone is measured too
    (``rules_only`` in the report).  With no human coding, the report says so.
    """
    from textqca.autocode import _bundled_training, training_table
    from textqca.autocode.annotations import expand_annotation_paths
    from textqca.reliability import write_json

    cb = load_codebook(codebook or "codebook/framework.yaml")
    files = expand_annotation_paths([annotations] if isinstance(annotations, (str, os.PathLike)) else (annotations or []))
    report: dict = {"codebook": {"id": cb.id, "version": cb.version}, "annotations": [str(f) for f in files]}
    if not files:
        report["status"] = "no human coding yet: nothing to cross-validate"
        write_json(report, output)
        return report
    table = training_table(files, codebook=cb, passages=passages)
    if table["passage_id"].nunique() < 10:
        report["status"] = f"only {table['passage_id'].nunique()} coded passages with text: too few to cross-validate"
        write_json(report, output)
        return report
    extra = _bundled_training(cb) if with_bundled else None
    hybrid, _ = cross_validate(table, codebook=cb, n_splits=n_splits, seed=seed, n_boot=n_boot, extra_train=extra)
    rules, _ = cross_validate(table, codebook=cb, n_splits=n_splits, seed=seed, n_boot=0, rules_only=True)
    report.update({"status": "ok", "hybrid": hybrid, "rules_only": rules})
    write_json(report, output)
    return report
