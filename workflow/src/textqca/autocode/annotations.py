"""Human coding (annotation) files: read, check against the codebook, turn into labels.

The format is the one of ``docs/contracts.md``: one row per (passage, code) decision with
the columns ``passage_id, code, polarity, coder, round, memo``; ``code`` is a code id of the
codebook or ``NONE`` (passage examined, no code applies).  An optional ``text`` column
carries the passage text, so a coding file can train a model on its own.
"""

from __future__ import annotations

import glob
import logging
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from textqca.codebook import NONE_CODE, Codebook
from textqca.errors import AnnotationError

log = logging.getLogger("textqca.autocode")

__all__ = ["read_annotations", "expand_annotation_paths", "label_matrix", "consensus"]


ADJUDICATION_RECORD = "adjudication.csv"


def expand_annotation_paths(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Files named directly, plus every ``*.csv``/``*.tsv`` under named folders (sorted).

    In a folder, the adjudication record (``adjudication.csv``: the decisions on
    disagreements, see docs/contracts.md) is not a coding file and is skipped; the coding
    it produced is in ``adjudicated/``.
    """
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = glob.glob(str(p / "**" / "*.csv"), recursive=True) + glob.glob(str(p / "**" / "*.tsv"), recursive=True)
            out += sorted(Path(x) for x in found if Path(x).name != ADJUDICATION_RECORD)
        elif any(ch in str(p) for ch in "*?["):
            out += sorted(Path(x) for x in glob.glob(str(p), recursive=True))
        else:
            out.append(p)
    return out


def read_annotations(paths: Iterable[str | os.PathLike] | str | os.PathLike, *, codebook: Codebook | None = None) -> pd.DataFrame:
    """Read and check annotation files; one row per decision.

    Columns of the result: ``passage_id, code, polarity`` (int; 0 for ``NONE``), ``coder``,
    ``round``, ``memo``, ``text`` (empty when the files have none), ``source`` (file) and
    ``line``.  With ``codebook``, a code that is not in it is a one-line
    :class:`~textqca.errors.AnnotationError` naming the file, line and code.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files = expand_annotation_paths(paths)
    if not files:
        raise AnnotationError("no annotation files found; give CSV files or folders of them", path=", ".join(map(str, paths)) or None)
    known = set(codebook.code_ids) if codebook is not None else None
    frames = []
    for f in files:
        if not f.is_file():
            raise AnnotationError("annotation file not found", path=f)
        sep = "\t" if f.suffix.lower() == ".tsv" else ","
        try:
            df = pd.read_csv(f, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise AnnotationError(f"cannot read as a table ({' '.join(str(exc).split())})", path=f) from None
        df.columns = [c.strip() for c in df.columns]
        if "decision" in df.columns and "polarity" not in df.columns:
            # the adjudication log (passage_id, code, coder_A, coder_B, decision, reason):
            # its result is the coding in adjudicated/, so it is not read as a coding
            log.info("%s is an adjudication log, not a coding; skipped", f)
            continue
        missing = [c for c in ("passage_id", "code") if c not in df.columns]
        if missing:
            raise AnnotationError(f"missing column(s) {', '.join(missing)}; an annotation file needs passage_id, code, polarity, coder, round, memo", path=f)
        df["line"] = np.arange(len(df)) + 2
        df["source"] = str(f)
        for col in ("polarity", "coder", "round", "memo", "text"):
            if col not in df.columns:
                df[col] = ""
        df["code"] = df["code"].str.strip()
        df["passage_id"] = df["passage_id"].str.strip()
        pol = []
        for row in df.itertuples(index=False):
            where = f"line {row.line}"
            if not row.passage_id:
                raise AnnotationError("empty passage_id", path=f, where=where)
            if not row.code:
                raise AnnotationError(f"passage {row.passage_id}: empty code; write a code id or NONE", path=f, where=where)
            if row.code == NONE_CODE:
                pol.append(0)
                continue
            if known is not None and row.code not in known:
                raise AnnotationError(
                    f"passage {row.passage_id}: code {row.code!r} does not exist in codebook {codebook.id} {codebook.version}; "
                    f"use one of {', '.join(codebook.code_ids)} or NONE",
                    path=f, where=where,
                )
            v = str(row.polarity).strip()
            if v in ("1", "+1", "1.0"):
                pol.append(1)
            elif v in ("-1", "-1.0"):
                pol.append(-1)
            else:
                raise AnnotationError(f"passage {row.passage_id}, code {row.code}: polarity {v!r} must be 1 or -1", path=f, where=where)
        df["polarity"] = pol
        if not df["coder"].astype(bool).all():
            df.loc[~df["coder"].astype(bool), "coder"] = f.parent.name if f.parent.name else "A"
        frames.append(df[["passage_id", "code", "polarity", "coder", "round", "memo", "text", "source", "line"]])
    if not frames:
        raise AnnotationError("no coding rows in the annotation files given", path=", ".join(map(str, files)))
    return pd.concat(frames, ignore_index=True)


def consensus(ann: pd.DataFrame) -> pd.DataFrame:
    """One coding per passage from several coders: ``adjudicated`` rows where a passage has
    them; otherwise every code that at least half of the passage's coders gave, with the
    polarity most of them gave (ties: -1, the problem is the rarer, more informative side)."""
    if ann.empty:
        return ann.copy()
    adj = ann[ann["coder"].str.lower() == "adjudicated"]
    adj_ids = set(adj["passage_id"])
    rest = ann[~ann["passage_id"].isin(adj_ids)]
    rows = [adj]
    if not rest.empty:
        n_coders = rest.groupby("passage_id")["coder"].nunique()
        coded = rest[rest["code"] != NONE_CODE]
        agg = coded.groupby(["passage_id", "code"]).agg(n=("coder", "nunique"), pol=("polarity", "sum")).reset_index()
        agg = agg[agg["n"] * 2 >= agg["passage_id"].map(n_coders)]
        agg["polarity"] = np.where(agg["pol"] > 0, 1, -1)
        agg["coder"] = "consensus"
        rows.append(agg[["passage_id", "code", "polarity", "coder"]])
        none_ids = set(rest["passage_id"]) - set(agg["passage_id"])
        rows.append(pd.DataFrame({"passage_id": sorted(none_ids), "code": NONE_CODE, "polarity": 0, "coder": "consensus"}))
    out = pd.concat(rows, ignore_index=True)
    texts = dict(zip(ann.loc[ann["text"].astype(bool), "passage_id"], ann.loc[ann["text"].astype(bool), "text"]))
    out["text"] = [texts.get(p, "") for p in out["passage_id"]]
    return out[["passage_id", "code", "polarity", "coder", "text"]]


def label_matrix(ann: pd.DataFrame, code_ids: Sequence[str], *, passage_ids: Sequence[str] | None = None) -> tuple[list[str], np.ndarray]:
    """(passage ids, matrix n × codes of -1/0/1) from one coding per passage."""
    ids = list(passage_ids) if passage_ids is not None else list(dict.fromkeys(ann["passage_id"]))
    index = {p: i for i, p in enumerate(ids)}
    col = {c: j for j, c in enumerate(code_ids)}
    Y = np.zeros((len(ids), len(code_ids)), dtype=int)
    for pid, code, pol in zip(ann["passage_id"], ann["code"], ann["polarity"]):
        if code == NONE_CODE or pid not in index or code not in col:
            continue
        Y[index[pid], col[code]] = int(pol) if int(pol) != 0 else 1
    return ids, Y
