"""From coded passages to a plain case x condition table (the seam to the QCA core).

A *condition* is defined in ``config/config.yaml`` (section ``conditions``) from one
code or from several codes of the codebook (a dimension such as ``ENV_CUL`` =
ENV.CUL.TRUST + ENV.CUL.INTEREST).  For each case and code this module counts the
+1 and -1 codings, their share among the case's coded passages and their
confidence-weighted balance, and keeps the passages behind every number, so that
each cell of the matrix can be traced back to quotes.

Raw score of a condition (``score``):

* ``balance`` (default): ``(w+ - w-) / (w+ + w-)`` in [-1, 1], where ``w+`` / ``w-``
  are the summed confidences (human codings weigh 1) of the +1 / -1 codings;
* ``share``: ``w+ / (w+ + w-)`` in [0, 1];
* ``net``: ``(w+ - w-) / n_coded`` where ``n_coded`` is the number of coded passages of
  the case, in [-1, 1].

A dimension of several codes combines them with ``combine``: ``pool`` (default: all
codings of its codes pooled, each passage weighs the same) or ``mean`` (the mean of the
per-code scores of the codes that have evidence: each code weighs the same, so a single
passage on a rarely coded code weighs as much as many on another).  A case
with no coding for any code of a condition gets no raw score (empty cell); the
calibration step decides what that means.

Which codings count (``coding.source``): ``human_then_auto`` uses a passage's human
(gold) coding where it has one and the auto-coding elsewhere; ``human`` or ``auto``
use one source only.  The gold human coding is the adjudicated coding where a passage
was adjudicated, else the first round of coder ``A`` (configurable).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from textqca.autocode import SKIP_ROLES
from textqca.errors import AnnotationError, CodingError, ConfigError, CorpusError
from textqca.io import atomic_path

__all__ = [
    "ConditionDef",
    "CaseMatrix",
    "parse_conditions",
    "read_cases",
    "read_passages",
    "read_codings",
    "read_annotations",
    "gold_codings",
    "select_codings",
    "build_case_matrix",
    "codebook_labels",
    "case_matrix_to_files",
]

log = logging.getLogger("textqca.casematrix")

SCORES = ("balance", "share", "net")
COMBINE = ("mean", "pool")
EVIDENCE_COLUMNS = ["case_id", "condition", "code", "passage_id", "polarity", "confidence", "source",
                    "evidence", "start", "end"]


@dataclass(frozen=True)
class ConditionDef:
    """One condition of the analysis, defined from codebook codes.

    ``expected`` is the directional expectation for the outcome (``"1"`` present,
    ``"0"`` absent, ``"-"`` none); ``group`` is ``remote`` (system environment) or
    ``proximate`` (motivation, process) for the two-step analysis.
    """

    name: str
    codes: tuple[str, ...]
    label_zh: str = ""
    label_en: str = ""
    score: str = "balance"
    combine: str = "pool"
    expected: str = "1"
    group: str = "proximate"
    calibration: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class CaseMatrix:
    """The case x condition table and what lies behind it.

    ``matrix``: one row per case (index ``case_id``), one column of raw scores per
    condition.  ``code_counts``: per case and code the +1 / -1 counts, their shares
    among the case's coded passages and the weighted scores.  ``evidence``: one row
    per coding behind a number (``case_id, condition, code, passage_id, polarity,
    confidence, source, evidence, start, end``).
    """

    matrix: pd.DataFrame
    code_counts: pd.DataFrame
    evidence: pd.DataFrame


# ----------------------------------------------------------------------------- reading

def _read_table(path: str | Path, *, error: type = CorpusError, what: str = "table") -> pd.DataFrame:
    path = Path(path)
    if not path.is_file():
        raise error(f"{what} not found; run the step that makes it first", path=path)
    try:
        if path.suffix == ".parquet":
            return pd.read_parquet(path)
        sep = "\t" if path.suffix in (".tsv", ".tab") else ","
        return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise error(f"cannot read {what}: {exc}", path=path) from None


def _require(df: pd.DataFrame, columns: Iterable[str], *, path: str | Path, error: type, what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise error(f"{what} lacks column(s) {', '.join(missing)} (see docs/contracts.md)", path=path)


def read_cases(path: str | Path) -> pd.DataFrame:
    """Read ``config/cases.tsv``; ``case_id`` must be unique and non-empty."""
    df = _read_table(path, error=CorpusError, what="case table")
    _require(df, ["case_id"], path=path, error=CorpusError, what="case table")
    df["case_id"] = df["case_id"].astype(str).str.strip()
    for i, cid in enumerate(df["case_id"], start=2):
        if not cid:
            raise CorpusError("empty case_id; give every case a short ASCII id", path=path, where=f"line {i}")
    dup = df["case_id"][df["case_id"].duplicated()]
    if len(dup):
        raise CorpusError(f"case_id {dup.iloc[0]!r} appears twice; case ids must be unique", path=path)
    for col in ("name", "outcome", "outcome_label", "summary", "justification"):
        if col not in df.columns:
            df[col] = ""
    return df.reset_index(drop=True)


def read_passages(path: str | Path) -> pd.DataFrame:
    """Read the passages table of ingest (parquet or csv)."""
    df = _read_table(path, error=CorpusError, what="passages table")
    _require(df, ["passage_id", "case_id", "doc_id", "text"], path=path, error=CorpusError, what="passages table")
    for col in ("doc_type", "section", "speaker", "role", "turn", "seq", "start", "end"):
        if col not in df.columns:
            df[col] = ""
    return df


def read_codings(path: str | Path) -> pd.DataFrame:
    """Read ``codings.csv`` of the auto-coder; adds ``source = "auto"``."""
    df = _read_table(path, error=CodingError, what="codings table")
    _require(df, ["passage_id", "code", "polarity"], path=path, error=CodingError, what="codings table")
    if "confidence" not in df.columns:
        df["confidence"] = "1"
    for col in ("evidence", "start", "end", "method"):
        if col not in df.columns:
            df[col] = ""
    df = df.copy()
    try:
        df["polarity"] = pd.to_numeric(df["polarity"]).astype(int)
        df["confidence"] = pd.to_numeric(df["confidence"].replace("", "1")).astype(float)
    except (ValueError, TypeError):
        raise CodingError("polarity must be 1/-1 and confidence a number in [0,1]", path=path) from None
    df["source"] = "auto"
    return df


def read_annotations(root: str | Path | Sequence[str | Path]) -> pd.DataFrame:
    """Read every human coding CSV under ``codebook/annotations`` (or the files given).

    Adds ``file`` and, where the file does not say, ``coder`` / ``round`` from the
    folder layout ``round<r>/<coder>/<case>.csv`` and ``adjudicated/<case>.csv``.
    ``adjudication.csv`` (the decision log) is not a coding file and is skipped.
    """
    if isinstance(root, (str, Path)):
        root = Path(root)
        files = sorted(root.rglob("*.csv")) if root.is_dir() else []
    else:
        files = [Path(p) for p in root]
    frames = []
    for f in files:
        if f.name == "adjudication.csv":
            continue
        df = _read_table(f, error=AnnotationError, what="annotation file")
        if df.empty:
            continue
        _require(df, ["passage_id", "code"], path=f, error=AnnotationError, what="annotation file")
        parts = f.parts
        coder = round_ = ""
        if "adjudicated" in parts:
            coder, round_ = "adjudicated", "0"
        else:
            for i, p in enumerate(parts):
                if p.startswith("round") and p[5:].isdigit():
                    round_ = p[5:]
                    coder = parts[i + 1] if i + 1 < len(parts) - 1 else ""
        if "coder" not in df.columns or (df["coder"] == "").all():
            df["coder"] = coder
        if "round" not in df.columns or (df["round"] == "").all():
            df["round"] = round_
        if "polarity" not in df.columns:
            df["polarity"] = ""
        df["file"] = str(f)
        df["line"] = np.arange(2, len(df) + 2)
        frames.append(df)
    if not frames:
        return pd.DataFrame(columns=["passage_id", "code", "polarity", "coder", "round", "file", "line"])
    return pd.concat(frames, ignore_index=True)


def gold_codings(annotations: pd.DataFrame, *, coder: str = "A", round: str | int = 1) -> pd.DataFrame:
    """The gold human coding: adjudicated rows where a passage was adjudicated, else ``coder`` in ``round``.

    Returns one row per (passage, code) with ``polarity`` (int; 0 for ``NONE``),
    ``confidence = 1`` and ``source = "human"``; a passage examined with no code keeps a
    ``NONE`` row, so that the caller knows a human looked at it.
    """
    if annotations.empty:
        return pd.DataFrame(columns=["passage_id", "code", "polarity", "confidence", "source"])
    ann = annotations.copy()
    ann["coder"] = ann["coder"].astype(str)
    ann["round"] = ann["round"].astype(str)
    adj = ann[ann["coder"] == "adjudicated"]
    adj_ids = set(adj["passage_id"])
    first = ann[(ann["coder"] == str(coder)) & (ann["round"] == str(round)) & ~ann["passage_id"].isin(adj_ids)]
    gold = pd.concat([adj, first], ignore_index=True)
    out = []
    for row in gold.itertuples(index=False):
        code = str(row.code).strip()
        pol = str(row.polarity).strip()
        if code.upper() == "NONE":
            out.append((row.passage_id, "NONE", 0))
            continue
        if pol not in ("1", "-1", "+1", "1.0", "-1.0"):
            raise AnnotationError(f"polarity {pol!r} for code {code}; use 1 or -1",
                                  path=row.file, where=f"line {row.line}")
        out.append((row.passage_id, code, int(float(pol))))
    df = pd.DataFrame(out, columns=["passage_id", "code", "polarity"]).drop_duplicates(["passage_id", "code"], keep="first")
    df["confidence"] = 1.0
    df["source"] = "human"
    return df


def select_codings(*, auto: pd.DataFrame | None, human: pd.DataFrame | None,
                   source: str = "human_then_auto") -> pd.DataFrame:
    """Codings that feed the matrix: human where a passage has human coding, else auto.

    ``source`` is ``human_then_auto``, ``human`` or ``auto``.  ``NONE`` rows are dropped
    after they have done their job (marking a passage as human-examined).
    """
    if source not in ("human_then_auto", "human", "auto"):
        raise ConfigError(f"coding.source is {source!r}; use human_then_auto, human or auto")
    cols = ["passage_id", "code", "polarity", "confidence", "source", "evidence", "start", "end"]
    empty = pd.DataFrame(columns=cols)
    auto = empty if auto is None else auto
    human = empty if human is None else human
    if source == "auto":
        chosen = auto
    elif source == "human":
        chosen = human
    else:
        human_ids = set(human["passage_id"])
        chosen = pd.concat([human, auto[~auto["passage_id"].isin(human_ids)]], ignore_index=True)
    chosen = chosen.reindex(columns=cols)
    chosen = chosen[chosen["code"].astype(str).str.upper() != "NONE"].copy()
    chosen["polarity"] = pd.to_numeric(chosen["polarity"]).astype(int)
    chosen["confidence"] = pd.to_numeric(chosen["confidence"]).astype(float).clip(0, 1)
    for c in ("evidence", "start", "end"):
        chosen[c] = chosen[c].fillna("").astype(str)
    return chosen.reset_index(drop=True)


# ----------------------------------------------------------------------------- config

def codebook_labels(path: str | Path | None) -> dict[str, dict[str, str]]:
    """``{id: {"label_zh", "label_en", "kind"}}`` for the codes and groups of a codebook YAML (kind ``code`` / ``group``)."""
    if not path or not Path(path).is_file():
        return {}
    from textqca.config import load_yaml  # leaf module

    data = load_yaml(path) or {}
    out: dict[str, dict[str, str]] = {}
    for key in ("groups", "codes"):
        for item in data.get(key) or []:
            if isinstance(item, Mapping) and item.get("id"):
                out[str(item["id"])] = {"label_zh": str(item.get("label_zh", "")),
                                        "label_en": str(item.get("label_en", "")),
                                        "kind": key[:-1]}
    return out


def parse_conditions(section: Mapping[str, Any], *, known_codes: Iterable[str] | None = None,
                     labels: Mapping[str, Mapping[str, str]] | None = None,
                     source: str = "config/config.yaml") -> list[ConditionDef]:
    """Turn the config's ``conditions.define`` mapping into :class:`ConditionDef` records.

    A code that the codebook does not know is a one-line :class:`ConfigError` naming the
    condition, so a typo never silently yields an empty condition.
    """
    define = section.get("define", section) if isinstance(section, Mapping) else {}
    if not define:
        raise ConfigError("no conditions defined; add conditions.define with at least one condition",
                          path=source, where="conditions.define")
    known = set(known_codes) if known_codes is not None else None
    labels = labels or {}
    out = []
    for name, spec in define.items():
        where = f"conditions.define.{name}"
        if not str(name).replace("_", "").isalnum() or not str(name)[0].isalpha():
            raise ConfigError(f"condition name {name!r} must start with a letter and use only letters, digits and _",
                              path=source, where=where)
        spec = dict(spec or {})
        codes = spec.get("codes") or []
        if isinstance(codes, str):
            codes = [codes]
        if not codes:
            raise ConfigError("no codes given; list the codebook code(s) this condition is made from",
                              path=source, where=where + ".codes")
        if known is not None:
            for code in codes:
                if code not in known:
                    near = sorted(k for k in known if k.split(".")[0] == str(code).split(".")[0])
                    hint = f" (codes of that group: {', '.join(near)})" if near else ""
                    raise ConfigError(f"condition {name} uses code {code!r}, which the codebook does not define{hint}",
                                      path=source, where=where + ".codes")
        score = spec.get("score", section.get("score", "balance") if isinstance(section, Mapping) else "balance")
        combine = spec.get("combine", section.get("combine", "pool") if isinstance(section, Mapping) else "pool")
        if score not in SCORES:
            raise ConfigError(f"score {score!r}; use one of {', '.join(SCORES)}", path=source, where=where + ".score")
        if combine not in COMBINE:
            raise ConfigError(f"combine {combine!r}; use one of {', '.join(COMBINE)}", path=source, where=where + ".combine")
        expected = str(spec.get("expected", "1"))
        if expected not in ("1", "0", "-"):
            raise ConfigError(f"expected {expected!r}; use 1 (present), 0 (absent) or - (no expectation)",
                              path=source, where=where + ".expected")
        group = str(spec.get("group", "proximate"))
        if group not in ("remote", "proximate"):
            raise ConfigError(f"group {group!r}; use remote or proximate", path=source, where=where + ".group")
        first = labels.get(codes[0], {}) if len(codes) == 1 else {}
        calib = {k: spec[k] for k in ("anchors", "threshold", "method") if k in spec}
        out.append(ConditionDef(
            name=str(name), codes=tuple(str(c) for c in codes),
            label_zh=str(spec.get("label_zh") or first.get("label_zh", "")),
            label_en=str(spec.get("label_en") or first.get("label_en", "")),
            score=score, combine=combine, expected=expected, group=group, calibration=calib,
        ))
    return out


# ----------------------------------------------------------------------------- matrix

def _score(pos: float, neg: float, n_coded: int, how: str) -> float:
    if pos + neg <= 0:
        return float("nan")
    if how == "balance":
        return (pos - neg) / (pos + neg)
    if how == "share":
        return pos / (pos + neg)
    return (pos - neg) / max(n_coded, 1)


def build_case_matrix(passages: pd.DataFrame, codings: pd.DataFrame, *,
                      conditions: Sequence[ConditionDef], cases: Sequence[str] | None = None,
                      min_confidence: float = 0.0) -> CaseMatrix:
    """Aggregate coded passages into the case x condition table.

    ``codings`` are the selected codings (:func:`select_codings`); ``cases`` fixes the
    row order (the case table's order) and includes cases without any passage.
    Codings below ``min_confidence`` are ignored.
    """
    p = passages[["passage_id", "case_id"]].drop_duplicates("passage_id")
    c = codings.merge(p, on="passage_id", how="left")
    orphan = c[c["case_id"].isna()]
    if len(orphan):
        log.warning("%d coding(s) point at passages not in the passages table (first: %s); ignored",
                    len(orphan), orphan["passage_id"].iloc[0])
    c = c[c["case_id"].notna() & (c["confidence"] >= min_confidence)].copy()
    case_ids = list(cases) if cases is not None else sorted(p["case_id"].unique())
    unknown = sorted(set(c["case_id"]) - set(case_ids))
    if unknown:
        log.warning("passages of case(s) %s are not in the case table; they are left out", ", ".join(unknown))
        c = c[c["case_id"].isin(case_ids)]
    n_coded = c.groupby("case_id")["passage_id"].nunique().reindex(case_ids).fillna(0).astype(int)
    # passages that can carry a code: not interviewer turns, transcript headers or transcriber's notes
    codable = passages[~passages["role"].isin(SKIP_ROLES)] if "role" in passages.columns else passages
    n_passages = (codable.drop_duplicates("passage_id").groupby("case_id")["passage_id"].nunique()
                  .reindex(case_ids).fillna(0).astype(int))

    # per case x code
    all_codes = sorted({code for cond in conditions for code in cond.codes} | set(c["code"]))
    rows = []
    for cid in case_ids:
        cc = c[c["case_id"] == cid]
        for code in all_codes:
            k = cc[cc["code"] == code]
            pos, neg = k[k["polarity"] > 0], k[k["polarity"] < 0]
            wpos, wneg = float(pos["confidence"].sum()), float(neg["confidence"].sum())
            nc = int(n_coded[cid])
            rows.append({
                "case_id": cid, "code": code, "n_pos": len(pos), "n_neg": len(neg),
                "share_pos": len(pos) / nc if nc else 0.0, "share_neg": len(neg) / nc if nc else 0.0,
                "w_pos": wpos, "w_neg": wneg, "weighted": wpos - wneg,
                "balance": _score(wpos, wneg, nc, "balance"),
                "n_coded_passages": nc, "n_passages": int(n_passages[cid]),
            })
    code_counts = pd.DataFrame(rows)

    # per case x condition
    matrix = pd.DataFrame(index=pd.Index(case_ids, name="case_id"))
    evidence = []
    for cond in conditions:
        values = []
        for cid in case_ids:
            cc = c[(c["case_id"] == cid) & (c["code"].isin(cond.codes))]
            nc = int(n_coded[cid])
            if cond.combine == "pool" or len(cond.codes) == 1:
                v = _score(float(cc.loc[cc["polarity"] > 0, "confidence"].sum()),
                           float(cc.loc[cc["polarity"] < 0, "confidence"].sum()), nc, cond.score)
            else:
                per = [_score(float(cc.loc[(cc["code"] == code) & (cc["polarity"] > 0), "confidence"].sum()),
                              float(cc.loc[(cc["code"] == code) & (cc["polarity"] < 0), "confidence"].sum()),
                              nc, cond.score) for code in cond.codes]
                per = [x for x in per if not np.isnan(x)]
                v = float(np.mean(per)) if per else float("nan")
            values.append(v)
            if len(cc):
                e = cc.assign(condition=cond.name)
                evidence.append(e)
        matrix[cond.name] = values
    ev = (pd.concat(evidence, ignore_index=True) if evidence else pd.DataFrame(columns=EVIDENCE_COLUMNS))
    ev = ev.reindex(columns=EVIDENCE_COLUMNS)
    return CaseMatrix(matrix=matrix, code_counts=code_counts, evidence=ev)


# ----------------------------------------------------------------------------- files

def write_atomic(df: pd.DataFrame, path: str | Path, **kwargs: Any) -> None:
    """Write a CSV through a temp file in the same folder and rename it (never half-written)."""
    with atomic_path(path) as tmp:
        df.to_csv(tmp, **kwargs)


def case_matrix_to_files(*, passages: str, cases: str, codebook: str | None = None,
                         codings: str | None = None, annotations: str | Sequence[str] | None = None,
                         matrix: str, evidence: str, code_counts: str,
                         conditions: Mapping[str, Any], coding_source: str = "human_then_auto",
                         gold_coder: str | None = None, gold_round: int | None = None,
                         min_confidence: float | None = None) -> CaseMatrix:
    """Workflow step: passages + codings (+ human coding) -> ``case_matrix.csv``, ``case_evidence.csv``, ``code_counts.csv``.

    ``gold_coder``, ``gold_round`` and ``min_confidence`` default to the keys of the same
    name in the ``conditions`` config section.
    """
    gold_coder = str(conditions.get("gold_coder", "A")) if gold_coder is None else gold_coder
    gold_round = int(conditions.get("gold_round", 1)) if gold_round is None else gold_round
    min_confidence = float(conditions.get("min_confidence", 0.0)) if min_confidence is None else min_confidence
    labels = codebook_labels(codebook)
    known = [k for k, v in labels.items() if v.get("kind") == "code"] if labels else None
    conds = parse_conditions(conditions, known_codes=known, labels=labels)
    case_table = read_cases(cases)
    pas = read_passages(passages)
    auto = read_codings(codings) if codings else None
    if isinstance(annotations, (list, tuple)) or (annotations is not None and not isinstance(annotations, (str, Path))):
        annotations = [str(a) for a in annotations]
    human = gold_codings(read_annotations(annotations), coder=gold_coder, round=gold_round) if annotations else None
    if coding_source != "auto" and human is not None and len(human):
        known = set(pas["passage_id"])
        stray = human[~human["passage_id"].isin(known)]
        if len(stray):
            log.warning("%d human coding row(s) refer to passages not in the passages table "
                        "(first: %s): the text changed since coding?", len(stray), stray["passage_id"].iloc[0])
    chosen = select_codings(auto=auto, human=human, source=coding_source)
    cm = build_case_matrix(pas, chosen, conditions=conds, cases=list(case_table["case_id"]),
                           min_confidence=min_confidence)
    write_atomic(cm.matrix.reset_index(), matrix, index=False, float_format="%.6g")
    write_atomic(cm.evidence, evidence, index=False)
    write_atomic(cm.code_counts, code_counts, index=False, float_format="%.6g")
    log.info("case matrix: %d cases x %d conditions from %d codings", len(cm.matrix), len(conds), len(chosen))
    return cm
