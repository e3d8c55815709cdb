"""Auto-coding of passages with the codebook: rules, a trained model, and their hybrid.

Three coders share one output (the codings table of ``docs/contracts.md``: one row per
assigned code with ``passage_id, code, polarity, confidence, method, evidence, start,
end``):

* the **rule coder** (:class:`~textqca.autocode.rules.RuleCoder`, also as the spaCy
  component ``textqca_coder``) finds the codebook's phrases and patterns and decides polarity
  from negation, remedy, contrast and before/after cues;
* the **trained coder** (:class:`~textqca.autocode.model.CodeClassifier`) learns presence
  and polarity from human coding;
* the **hybrid** (:class:`HybridCoder`) assigns a code when the model's calibrated
  probability passes the code's cross-validated threshold (a lower one where the rule coder
  found the code).  ``method`` says who found it: ``both`` (the rule coder matched and the
  model agrees with probability >= 0.5), ``rule`` (the rule coder matched and the model's
  lower threshold let it through, or the code has too little human coding for a model) or
  ``model`` (no rule match).  ``evidence`` is the clause carrying the deciding cue (rule) or
  the clause that contributes most to the model's score, with its offsets in the passage.

Entry points: :func:`code_passages_file` (the workflow rule and ``textqca code``),
:func:`train_model` (``textqca train``), :func:`default_model` (the model trained from the
bundled human coding, trained on first use and cached by content hash).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from textqca.codebook import NONE_CODE, Codebook, load_codebook
from textqca.errors import AnnotationError, CodingError, TextQCAError

__all__ = [
    "Coding",
    "HybridCoder",
    "CODING_COLUMNS",
    "code_passages",
    "code_passages_file",
    "iter_passages",
    "train_model",
    "training_table",
    "default_model",
]

log = logging.getLogger("textqca.autocode")

CODING_COLUMNS = ("passage_id", "code", "polarity", "confidence", "method", "evidence", "start", "end")
SKIP_ROLES = ("interviewer", "header", "note")  # not what respondents or documents say


@dataclass(frozen=True)
class Coding:
    """One code assigned to one passage (a row of ``codings.csv``)."""

    passage_id: str
    code: str
    polarity: int
    confidence: float
    method: str
    evidence: str
    start: int
    end: int

    def row(self) -> tuple:
        return (self.passage_id, self.code, self.polarity, round(self.confidence, 4), self.method, self.evidence, self.start, self.end)


class HybridCoder:
    """Rule coder plus (optionally) a trained model; codes lists of passage texts."""

    def __init__(self, codebook: Codebook, model=None):
        from textqca.autocode.rules import RuleCoder
        from textqca.codebook import default_userdict_path
        from textqca.nlp import setup_jieba

        setup_jieba(default_userdict_path(codebook.path) if codebook.path else None)
        self.codebook = codebook
        self.model = model
        self.rules = model._rules() if model is not None else RuleCoder(codebook)

    def code(self, passage_ids: Sequence[str], texts: Sequence[str]) -> list[Coding]:
        texts = [t if isinstance(t, str) else "" for t in texts]
        if not texts:
            return []
        if self.model is None:
            return self._rules_only(passage_ids, texts)
        det = self.model.predict_details(texts)
        codes = self.model.classes_
        out: list[Coding] = []
        present = det["present"]
        need = [(texts[i], j) for i, j in zip(*np.nonzero(present)) if codes[j] not in det["decisions"][i]]
        model_ev = iter(self.model.evidence_clauses(need))
        for i, j in zip(*np.nonzero(present)):
            code = codes[j]
            dec = det["decisions"][i].get(code)
            p = float(det["proba"][i, j])
            if not self.model.fitted_codes_[j]:
                method, conf = "rule", dec.confidence if dec else 0.5
            elif dec is not None:
                method, conf = ("both" if p >= 0.5 else "rule"), p
            else:
                method, conf = "model", p
            pol = int(det["polarity"][i, j])
            if dec is not None:
                s, e = dec.start, dec.end
            else:
                s, e = next(model_ev)
            out.append(Coding(passage_ids[i], code, pol, conf, method, texts[i][s:e], s, e))
        return out

    def _rules_only(self, passage_ids, texts) -> list[Coding]:
        out = []
        for pid, t in zip(passage_ids, texts):
            for code, d in self.rules.code(t).items():
                out.append(Coding(pid, code, d.polarity, d.confidence, "rule", d.evidence, d.start, d.end))
        return out


def code_passages(passages: pd.DataFrame, *, codebook: Codebook | str | os.PathLike | None = None, model=None,
                  code_roles: Sequence[str] | None = None) -> pd.DataFrame:
    """Code a passages table in memory; returns the codings table."""
    cb = codebook if isinstance(codebook, Codebook) else load_codebook(codebook or "codebook/framework.yaml")
    coder = HybridCoder(cb, model)
    df = _select(passages, code_roles)
    rows = [c.row() for c in coder.code(df["passage_id"].tolist(), df["text"].tolist())]
    return pd.DataFrame(rows, columns=list(CODING_COLUMNS))


def _select(df: pd.DataFrame, code_roles) -> pd.DataFrame:
    if "role" in df.columns:
        roles = df["role"].fillna("").astype(str).str.strip().str.lower()
        if code_roles is None:
            df = df[~roles.isin(SKIP_ROLES)]
        else:
            df = df[roles.isin([r.lower() for r in code_roles]) | (roles == "")]
    return df


# --------------------------------------------------------------------------- files


def iter_passages(path: str | os.PathLike, *, batch_size: int = 2000, columns: Sequence[str] = ("passage_id", "text", "role")) -> Iterator[pd.DataFrame]:
    """Batches of a passages table (.csv, .tsv or .parquet) with at least passage_id and text.

    Reads in batches, so memory stays flat in the corpus size.  A file without
    ``passage_id`` or ``text`` is a one-line :class:`~textqca.errors.CodingError`.
    """
    p = Path(path)
    if not p.is_file():
        raise CodingError("passages file not found", path=p)
    suffix = p.suffix.lower()
    if suffix in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(p)
        except Exception as exc:  # pyarrow raises several types
            raise CodingError(f"cannot read as Parquet ({exc})", path=p) from None
        names = pf.schema_arrow.names
        _require(names, p)
        cols = [c for c in columns if c in names]
        for batch in pf.iter_batches(batch_size=batch_size, columns=cols):
            yield _clean(batch.to_pandas())
    elif suffix in (".csv", ".tsv", ".tab", ".txt"):
        sep = "," if suffix == ".csv" else "\t"
        try:
            header = pd.read_csv(p, sep=sep, nrows=0, encoding="utf-8-sig").columns.tolist()
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise CodingError(f"cannot read as a table ({' '.join(str(exc).split())})", path=p) from None
        header = [h.strip() for h in header]
        _require(header, p)
        cols = [c for c in columns if c in header]
        try:
            with pd.read_csv(p, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                             usecols=lambda c: c.strip() in cols, chunksize=batch_size) as reader:
                for chunk in reader:
                    chunk.columns = [c.strip() for c in chunk.columns]
                    yield _clean(chunk)
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise CodingError(f"cannot read as a table ({' '.join(str(exc).split())})", path=p) from None
    else:
        raise CodingError(f"unknown passages format {suffix or '(none)'!r}; use .csv, .tsv or .parquet", path=p)


def _require(names, p):
    missing = [c for c in ("passage_id", "text") if c not in names]
    if missing:
        raise CodingError(
            f"missing column(s) {', '.join(missing)}; a passages table needs passage_id and text (found: {', '.join(map(str, names)) or 'no columns'})",
            path=p,
        )


def _clean(df: pd.DataFrame) -> pd.DataFrame:
    df["passage_id"] = df["passage_id"].astype(str)
    df["text"] = df["text"].fillna("").astype(str)
    return df


def code_passages_file(*, passages: str | os.PathLike, output: str | os.PathLike,
                       codebook: str | os.PathLike | None = None, model_dir: str | os.PathLike | None = None,
                       batch_size: int = 2000, code_roles: Sequence[str] | None = None,
                       annotations: str | os.PathLike | Sequence[str | os.PathLike] | None = None,
                       use_model: bool = True) -> Path:
    """Code the passages file ``passages`` and write the codings table ``output`` (CSV).

    ``codebook``: the codebook file (default ``codebook/framework.yaml``).  ``model_dir``: a
    model trained with ``textqca train``; without it, the default model trained from the
    bundled coding and the human coding in ``<codebook folder>/annotations/`` (or
    ``annotations`` if given) is used, trained on first use and cached by content hash.
    ``use_model=False`` codes with the rules alone.  Passages whose ``role`` is
    ``interviewer`` or ``header`` are not coded unless ``code_roles`` lists them.  The file
    is written to a temporary file and renamed, in batches of ``batch_size`` passages.
    """
    from textqca.io import atomic_path

    if Path(output).resolve() == Path(passages).resolve():
        raise CodingError("is also the passages table being coded; write the codings to another file", path=output)
    _check_replaceable_output(Path(output))
    cb_path = Path(codebook) if codebook else Path("codebook") / "framework.yaml"
    cb = load_codebook(cb_path)
    model = None
    if model_dir:
        from textqca.autocode.model import load_model

        model = load_model(model_dir, codebook=cb)
    elif use_model:
        model = default_model(cb, passages=passages, annotations=annotations)
    coder = HybridCoder(cb, model)
    out = Path(output)
    n_in = n_coded = n_rows = 0
    with atomic_path(out) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(CODING_COLUMNS)
            hashes = []  # 8 bytes per passage id, to find a repeated id without keeping the ids
            with contextlib.closing(iter_passages(passages, batch_size=batch_size)) as batches:  # closed on an error too
                for batch in batches:
                    n_in += len(batch)
                    hashes.append(np.fromiter(map(hash, batch["passage_id"]), dtype=np.int64, count=len(batch)))
                    sel = _select(batch, code_roles)
                    n_coded += len(sel)
                    codings = coder.code(sel["passage_id"].tolist(), sel["text"].tolist())
                    w.writerows(c.row() for c in codings)
                    n_rows += len(codings)
            if n_in == 0:
                raise CodingError("no passages: the table has its header but no rows", path=passages)
            pid = _repeated_id(passages, np.concatenate(hashes))
            if pid is not None:
                raise CodingError(f"passage_id {pid!r} appears more than once; passage ids must be unique "
                                  "(each coding names its passage by id)", path=passages)
    log.info("coded %d of %d passages (%s), %d codings -> %s", n_coded, n_in,
             "rules + model" if model is not None else "rules only", n_rows, out)
    return out


def _check_replaceable_output(out: Path) -> None:
    """Replace only an earlier output of this function: any other existing file (human coding
    with or without a ``coder`` column, an adjudication log, another table) is refused."""
    if not out.is_file():
        return
    try:
        with open(out, encoding="utf-8-sig", errors="replace") as fh:
            header = [h.strip() for h in next(csv.reader([fh.readline()]), [])]
    except OSError:
        return
    if header != list(CODING_COLUMNS):
        what = "holds human coding (it has a coder column)" if "coder" in header else "exists and is not a codings table written by textqca code"
        raise CodingError(f"{what}; write the auto-coding to another file", path=out)


def _repeated_id(passages, hashes: np.ndarray) -> str | None:
    """The first passage id that occurs twice, given the hashes of all ids (None if none)."""
    hashes = np.sort(hashes)
    twice = set(hashes[1:][hashes[1:] == hashes[:-1]].tolist())
    if not twice:
        return None
    seen: set[str] = set()  # only ids whose hash repeats: equal ids, or (rarely) a collision
    with contextlib.closing(iter_passages(passages, columns=("passage_id", "text"))) as batches:
        for batch in batches:
            for pid in batch["passage_id"]:
                if hash(pid) in twice:
                    if pid in seen:
                        return pid
                    seen.add(pid)
    return None


# --------------------------------------------------------------------------- training


def _texts_from(passages) -> dict[str, str]:
    texts: dict[str, str] = {}
    if passages is None:
        return texts
    items = passages if isinstance(passages, (list, tuple)) else [passages]
    for item in items:
        if isinstance(item, pd.DataFrame):
            texts.update(zip(item["passage_id"].astype(str), item["text"].astype(str)))
            continue
        for batch in iter_passages(item, columns=("passage_id", "text")):
            texts.update(zip(batch["passage_id"], batch["text"]))
    return texts


def training_table(annotations, *, codebook: Codebook, passages=None, include_bundled: bool = False) -> pd.DataFrame:
    """One human coding per passage with its text: columns passage_id, code, polarity, text.

    ``annotations``: files or folders in the annotation format (several coders are merged
    by :func:`~textqca.autocode.annotations.consensus`).  Texts come from a ``text`` column
    of the annotations or from the passages tables ``passages``.  ``include_bundled`` adds
    the coded sample of real policy documents and the codebook's examples shipped with
    textqca.
    """
    from textqca.autocode.annotations import consensus, read_annotations

    frames = []
    if annotations:
        ann = read_annotations(annotations, codebook=codebook)
        cons = consensus(ann)
        texts = _texts_from(passages)
        cons["text"] = [t if t else texts.get(p, "") for p, t in zip(cons["passage_id"], cons["text"])]
        n_missing = int((cons.drop_duplicates("passage_id")["text"] == "").sum())
        if n_missing:
            log.warning("%d annotated passages have no text (not in the passages table given); they are not used for training", n_missing)
        frames.append(cons[cons["text"] != ""][["passage_id", "code", "polarity", "text"]])
    if include_bundled:
        frames.append(_bundled_training(codebook))
    if not frames:
        raise AnnotationError("no human coding to train on")
    table = pd.concat(frames, ignore_index=True)
    table["polarity"] = table["polarity"].astype(int)
    return table


def _bundled_training(codebook: Codebook) -> pd.DataFrame:
    rows = []
    known = set(codebook.code_ids)
    folder = resources.files("textqca").joinpath("data/training")
    seen: set[str] = set()
    for item in sorted((f for f in folder.iterdir() if f.name.endswith(".csv")), key=lambda f: f.name):
        with item.open("r", encoding="utf-8") as fh:
            df = pd.read_csv(fh, dtype=str, keep_default_na=False)
        df = df[(df["code"].isin(known) | (df["code"] == NONE_CODE)) & ~df["passage_id"].isin(seen)]
        seen.update(df["passage_id"])
        df["polarity"] = [0 if c == NONE_CODE else int(p) for c, p in zip(df["code"], df["polarity"])]
        rows.append(df[["passage_id", "code", "polarity", "text"]])
    ex = []
    for c in codebook.codes:
        for i, e in enumerate(c.examples):
            ex.append({"passage_id": f"codebook:{c.id}:{i}", "code": c.id, "polarity": int(e["polarity"]), "text": e["text"]})
    if ex:
        rows.append(pd.DataFrame(ex))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["passage_id", "code", "polarity", "text"])


def _xy(table: pd.DataFrame, codebook: Codebook):
    from textqca.autocode.annotations import label_matrix

    texts = table.drop_duplicates("passage_id").set_index("passage_id")["text"]
    ids, Y = label_matrix(table, codebook.code_ids, passage_ids=list(texts.index))
    return ids, [texts[i] for i in ids], Y


def _doc_of(passage_id: str) -> str:
    """The document of a passage id (``<doc_id>:<hash>``); codebook examples form one group."""
    return passage_id.rsplit(":", 1)[0] if ":" in passage_id else passage_id


def _table_hash(table: pd.DataFrame) -> str:
    t = table[["passage_id", "code", "polarity", "text"]].astype(str).sort_values(["passage_id", "code"])
    h = hashlib.sha256()
    for row in t.itertuples(index=False):
        h.update("\x1f".join(row).encode("utf-8"))
        h.update(b"\x1e")
    return h.hexdigest()


def train_model(annotations, *, output: str | os.PathLike, codebook: str | os.PathLike | None = None,
                passages=None, include_bundled: bool = False, **params) -> Path:
    """Train a :class:`~textqca.autocode.model.CodeClassifier` on human coding; save it to ``output``."""
    from textqca.autocode.model import CodeClassifier, check_model_folder, save_model

    check_model_folder(output)  # before the training, not after it
    cb_path = Path(codebook) if codebook else Path("codebook") / "framework.yaml"
    cb = load_codebook(cb_path)
    table = training_table(annotations, codebook=cb, passages=passages, include_bundled=include_bundled)
    ids, texts, Y = _xy(table, cb)
    if len(ids) < 10:
        raise AnnotationError(f"only {len(ids)} coded passages with text; need at least 10 to train a model")
    model = CodeClassifier(str(cb_path), **params).fit(texts, Y, groups=[_doc_of(i) for i in ids])
    info = {"n_passages": len(ids), "n_codings": int((Y != 0).sum()), "sha256": _table_hash(table),
            "sources": [str(a) for a in (annotations if isinstance(annotations, (list, tuple)) else [annotations])] if annotations else [],
            "bundled": include_bundled}
    out = save_model(model, output, training=info)
    log.info("trained on %d passages (%d codings); model -> %s", len(ids), info["n_codings"], out)
    return out


def default_model(codebook: Codebook, *, passages=None, annotations=None):
    """The model trained from the bundled coding plus the project's human coding, cached.

    Human coding: ``annotations`` or ``<codebook folder>/annotations/``; passage texts from
    ``passages`` (the table being coded) and from the ``text`` column of the annotations.
    The model is cached under the project cache (``.cache/textqca/models/<hash>``) by the
    hash of the codebook, the training data and the model format, so it is retrained only
    when one of them changes.
    """
    from textqca.autocode.model import MODEL_FORMAT, CodeClassifier, load_model, save_model
    from textqca.nlp import cache_dir

    if annotations is None and codebook.path:
        d = Path(codebook.path).parent / "annotations"
        annotations = d if d.is_dir() and any(d.rglob("*.csv")) else None
    sources = [passages] if passages is not None else []
    if annotations is not None:
        sources += _project_passages(codebook, annotations, passages)
    table = training_table(annotations, codebook=codebook, passages=sources or None, include_bundled=True)
    params = CodeClassifier().get_params()
    params["codebook"] = None
    key = hashlib.sha256(json.dumps([MODEL_FORMAT, codebook.sha256, _table_hash(table), params], sort_keys=True).encode()).hexdigest()[:24]
    mdir = cache_dir() / "models" / key
    if (mdir / "manifest.json").is_file():
        try:
            return load_model(mdir, codebook=codebook)
        except CodingError:
            log.warning("cached model %s is damaged; retraining", mdir)
            shutil.rmtree(mdir, ignore_errors=True)  # textqca's own cache folder
    mdir.parent.mkdir(parents=True, exist_ok=True)
    with _lock(mdir.parent / f"{key}.lock"):
        if (mdir / "manifest.json").is_file():
            with contextlib.suppress(CodingError):
                return load_model(mdir, codebook=codebook)
        ids, texts, Y = _xy(table, codebook)
        log.info("training the default model on %d passages (first use; cached in %s)", len(ids), mdir)
        model = CodeClassifier(codebook.path).fit(texts, Y, groups=[_doc_of(i) for i in ids])
        model._cb = codebook
        save_model(model, mdir, training={"n_passages": len(ids), "n_codings": int((Y != 0).sum()),
                                          "sha256": _table_hash(table), "bundled": True,
                                          "sources": [str(annotations)] if annotations else []})
    return load_model(mdir, codebook=codebook)


def _project_passages(codebook: Codebook, annotations, passages) -> list:
    """Passage texts of the project's own corpus, for human coding whose passages are not
    in the table being coded (e.g. coding another corpus with the bundled model): the
    workflow's ``results/corpus/passages.parquet`` if present, else ``corpus/`` beside the
    codebook folder ingested in memory.  Empty when all annotated passages have texts."""
    from textqca.autocode.annotations import read_annotations

    ann = read_annotations(annotations, codebook=codebook)
    wanted = set(ann.loc[ann["text"] == "", "passage_id"])
    if passages is not None and wanted:
        wanted -= set(_texts_from(passages))
    if not wanted:
        return []
    root = Path(codebook.path).resolve().parent.parent if codebook.path else Path.cwd()
    for cand in (root / "results" / "corpus" / "passages.parquet", root / "results" / "corpus" / "passages.csv"):
        if cand.is_file():
            return [str(cand)]
    corpus = root / "corpus"
    if corpus.is_dir():
        try:
            from textqca.ingest import ingest_corpus

            quiet = logging.getLogger("textqca.ingest")  # one line per document is noise here
            level = quiet.level
            quiet.setLevel(logging.WARNING)
            try:
                res = ingest_corpus(corpus)
            finally:
                quiet.setLevel(level)
            log.info("read the texts of the human-coded passages from %s (%d documents)", corpus, len(res.documents))
            return [res.passages[["passage_id", "text"]]]
        except TextQCAError as exc:
            log.warning("could not read the corpus beside the codebook (%s); human coding without text is skipped", exc)
    return []


@contextlib.contextmanager
def _lock(path: Path):
    import fcntl

    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
