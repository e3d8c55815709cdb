"""Ingest a corpus: read every document faithfully, normalise it, cut it into passages.

Public entry points:

:func:`ingest_to_files`
    what ``textqca ingest`` and the workflow's ``ingest`` rule call: processes one
    document at a time and writes the passages table, the documents table, the canonical
    text of each document and (optionally) the re-ingestion report, each atomically;
    nothing is written unless every document ingests.
:func:`ingest_corpus`
    the same in memory: documents table, passages table and canonical texts.
:func:`ingest_document` / :func:`iter_ingest`
    one document, or a stream of them.

Each document goes through :func:`~textqca.ingest.readers.read_document` (format and
encoding), optional :func:`~textqca.ingest.deidentify.deidentify_text`,
:func:`~textqca.ingest.normalize.normalize_text` (the canonical text every offset refers
to), :func:`textqca.segment.segment_document` and
:func:`~textqca.segment.assign_passage_ids`.  Policy documents also get their title,
issuing body, 文号 and date (:func:`~textqca.ingest.metadata.extract_metadata`).

See ``docs/contracts.md`` for the tables and :mod:`textqca.segment` for passages.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from textqca.errors import ConfigError, CorpusError
from textqca.ingest.corpus import DOC_TYPES, DocumentSource, discover_corpus, read_cases
from textqca.ingest.deidentify import deidentify_text, read_pseudonyms
from textqca.ingest.metadata import extract_metadata
from textqca.ingest.normalize import normalize_text
from textqca.ingest.readers import DEFAULT_MAX_BYTES, read_document
from textqca.segment import DEFAULT_MAX_CHARS, HEADER_SECTION, SIGNATURE_SECTION, assign_passage_ids, segment_document

__all__ = [
    "DEFAULT_MAX_CHARS",
    "DOC_TYPES",
    "DocumentSource",
    "IngestResult",
    "IngestSummary",
    "iter_ingest",
    "PASSAGE_COLUMNS",
    "DOCUMENT_COLUMNS",
    "discover_corpus",
    "ingest_document",
    "ingest_corpus",
    "ingest_to_files",
    "normalize_text",
    "read_document",
]

log = logging.getLogger("textqca.ingest")

PASSAGE_COLUMNS = ["doc_id", "case_id", "doc_type", "passage_id", "seq", "section", "speaker", "role", "turn", "start", "end", "text"]
DOCUMENT_COLUMNS = [
    "doc_id", "case_id", "doc_type", "path", "encoding", "sha256", "n_chars", "n_passages", "speakers", "title",
    "issuer", "doc_number", "date", "source", "normalisation",
]


@dataclass
class IngestResult:
    """Documents table, passages table and canonical text per ``doc_id``."""

    documents: pd.DataFrame
    passages: pd.DataFrame
    canonical: dict[str, str]


def ingest_document(
    source: DocumentSource,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    deidentify: bool = False,
    pseudonyms: Mapping[str, str] | None = None,
    to_simplified: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[dict[str, object], list[dict[str, object]], str]:
    """Read, normalise and segment one document; return ``(document_row, passage_rows, canonical)``."""
    raw, encoding = read_document(source.path, encoding=source.encoding or None, max_bytes=max_bytes)
    steps: list[str] = []
    if deidentify:
        raw, counts = deidentify_text(raw, pseudonyms=pseudonyms)
        steps.append("deidentify(" + ",".join(f"{k}={v}" for k, v in sorted(counts.items())) + ")")
    canonical, norm_steps = normalize_text(raw, to_simplified_chinese=to_simplified)
    steps = norm_steps + steps
    if not canonical.strip():
        raise CorpusError("file has no text after normalisation", path=source.path)
    passages = assign_passage_ids(source.doc_id, segment_document(canonical, source.doc_type, max_chars=max_chars))
    if source.doc_type == "interview" and not any(p.speaker for p in passages):
        log.warning("%s: no speaker turns recognised (问：/答：, 访谈者：, 王某（…）： …); cut into paragraphs", source.path)
    rows = [
        {
            "doc_id": source.doc_id, "case_id": source.case_id, "doc_type": source.doc_type,
            "passage_id": p.passage_id, "seq": i, "section": p.section, "speaker": p.speaker, "role": p.role,
            "turn": p.turn, "start": p.start, "end": p.end, "text": p.text,
        }
        for i, p in enumerate(passages)
    ]
    meta = {"title": "", "issuer": "", "doc_number": "", "date": ""}
    if source.doc_type != "interview":
        header = next((p.text for p in passages if p.section == HEADER_SECTION), "")
        sigs = [p.text for p in passages if p.section == SIGNATURE_SECTION]
        # the signature block, not a closing field line (出席：…, 分送：…) of minutes
        blocks = [t for t in sigs if not re.match(r"[^：:\n]{1,8}[：:]", t)]
        meta = extract_metadata(canonical, header=header, signature=blocks[0] if blocks else "")
    doc = {
        "doc_id": source.doc_id, "case_id": source.case_id, "doc_type": source.doc_type,
        "path": str(source.path), "encoding": encoding,
        "sha256": hashlib.sha256(canonical.encode("utf-8")).hexdigest(), "n_chars": len(canonical),
        "n_passages": len(rows),
        "speakers": _speaker_summary(passages),
        "title": source.title or meta["title"], "issuer": meta["issuer"], "doc_number": meta["doc_number"],
        "date": source.date or meta["date"], "source": source.source, "normalisation": ";".join(steps),
    }
    return doc, rows, canonical


def _speaker_summary(passages: list) -> str:
    """``问=interviewer×19; 答=respondent×19``: the turns per speaker, to check the segmentation."""
    counts: dict[tuple[str, str], set[int]] = {}
    for p in passages:
        if p.speaker:
            counts.setdefault((p.speaker, p.role), set()).add(p.turn)
    return "; ".join(f"{sp}={role}×{len(turns)}" for (sp, role), turns in counts.items())


def _as_paths(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return value[0] if value else None
    return value


def _sources(corpus, manifest, cases) -> list[DocumentSource]:  # noqa: ANN001
    docs = discover_corpus(corpus, manifest=manifest or None)
    case_ids = read_cases(cases or None, corpus=corpus)
    if case_ids is not None:
        for d in docs:
            if d.case_id not in case_ids:
                raise CorpusError(
                    f"case id '{d.case_id}' is not in the case table {cases or 'config/cases.tsv'}; add a row for it",
                    path=d.path,
                )
    return docs


def iter_ingest(
    docs: list[DocumentSource],
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    deidentify: bool = False,
    pseudonyms: str | os.PathLike[str] | Mapping[str, str] | None = None,
    to_simplified: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[tuple[dict[str, object], list[dict[str, object]], str]]:
    """Yield ``(document_row, passage_rows, canonical_text)`` document by document."""
    table: Mapping[str, str] | None = pseudonyms if isinstance(pseudonyms, Mapping) else None
    pseudonym_path = Path(pseudonyms) if deidentify and pseudonyms is not None and table is None else None
    for d in docs:
        names = read_pseudonyms(pseudonym_path, case_id=d.case_id) if pseudonym_path else table
        doc, rows, text = ingest_document(
            d, max_chars=max_chars, deidentify=deidentify and d.doc_type in ("interview", "fieldnote"), pseudonyms=names,
            to_simplified=to_simplified, max_bytes=max_bytes,
        )
        log.info("%s: %d passages (%s)", d.path, len(rows), doc["encoding"])
        yield doc, rows, text


def _passage_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=PASSAGE_COLUMNS)
    df["turn"] = df["turn"].astype("Int64")
    for col in ("seq", "start", "end"):
        df[col] = df[col].astype("int64")
    return df


def ingest_corpus(
    corpus: str | os.PathLike[str],
    *,
    manifest: str | os.PathLike[str] | None = None,
    cases: str | os.PathLike[str] | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    deidentify: bool = False,
    pseudonyms: str | os.PathLike[str] | Mapping[str, str] | None = None,
    to_simplified: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> IngestResult:
    """Ingest every document of ``corpus`` (see :func:`~textqca.ingest.corpus.discover_corpus`) in memory.

    A missing case table is a warning; a document whose case id is not in an existing
    case table is an error.  ``pseudonyms`` (a table ``name, pseudonym[, case_id]`` or a
    mapping) is used when ``deidentify`` is true, for interviews and field notes.  For large corpora
    use :func:`ingest_to_files`, which works in memory bounded by the largest document.
    """
    docs = _sources(corpus, manifest, cases)
    doc_rows, passage_rows, canonical = [], [], {}
    for doc, rows, text in iter_ingest(docs, max_chars=max_chars, deidentify=deidentify, pseudonyms=pseudonyms,
                                       to_simplified=to_simplified, max_bytes=max_bytes):
        doc_rows.append(doc)
        passage_rows.extend(rows)
        canonical[str(doc["doc_id"])] = text
    return IngestResult(pd.DataFrame(doc_rows, columns=DOCUMENT_COLUMNS), _passage_frame(passage_rows), canonical)


@dataclass
class IngestSummary:
    """What :func:`ingest_to_files` wrote: the documents table, the passage count, the diff."""

    documents: pd.DataFrame
    n_passages: int
    diff: object | None = None


def ingest_to_files(
    *,
    corpus: str | os.PathLike[str],
    passages: str | os.PathLike[str],
    manifest: str | os.PathLike[str] | None = None,
    cases: str | os.PathLike[str] | None = None,
    documents: str | os.PathLike[str] | None = None,
    canonical_dir: str | os.PathLike[str] | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    deidentify: bool = False,
    pseudonyms: str | os.PathLike[str] | None = None,
    to_simplified: bool = False,
    report: str | os.PathLike[str] | None = None,
    previous: str | os.PathLike[str] | None = None,
    annotations: str | os.PathLike[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> IngestSummary:
    """Ingest ``corpus`` and write the passages table (and optionally documents, canonical texts, report).

    Documents are processed one at a time and passages streamed to disk, so memory is
    bounded by the largest document, not the corpus (except with ``report``, which
    compares whole tables).  Nothing appears unless every document ingests: each output
    is written to a temporary file (folder) beside its destination and renamed into
    place at the end; ``canonical_dir`` is replaced as a whole.

    Re-ingestion: when ``report`` (a ``.md`` or ``.json`` path) is given, the new passages
    are compared with the previous ones -- ``previous`` if given (a copy of the last run's
    passages kept between runs, which is then replaced by the new passages), else the
    existing ``passages`` file -- and the report lists added, changed and removed
    passages and flags every human code in ``annotations`` (a folder of coding CSVs, see
    docs/contracts.md) whose passage id no longer exists as **orphaned**, with the likely
    successor.  Annotation files are only read, never written: no code is ever dropped.
    """
    from textqca.io import atomic_dir, read_table, table_writer, write_table

    corpus, manifest, cases, pseudonyms = (_as_paths(v) for v in (corpus, manifest, cases, pseudonyms))
    if int(max_chars) < 20:
        raise ConfigError(f"max_chars must be at least 20 characters, got {max_chars}", where="max_chars")
    docs = _sources(corpus, manifest, cases)
    passages = Path(passages)
    with contextlib.ExitStack() as stack:
        writer = stack.enter_context(table_writer(passages, columns=PASSAGE_COLUMNS))
        cdir = stack.enter_context(atomic_dir(canonical_dir)) if canonical_dir is not None else None
        doc_rows: list[dict[str, object]] = []
        chunk: list[dict[str, object]] = []
        kept: list[pd.DataFrame] = []  # only for the report
        for doc, rows, text in iter_ingest(docs, max_chars=int(max_chars), deidentify=bool(deidentify),
                                           pseudonyms=pseudonyms or None, to_simplified=bool(to_simplified),
                                           max_bytes=max_bytes):
            doc_rows.append(doc)
            chunk.extend(rows)
            if len(chunk) >= 20_000:
                frame = _passage_frame(chunk)
                writer.write(frame)
                if report is not None:
                    kept.append(frame)
                chunk = []
            if cdir is not None:
                (cdir / f"{doc['doc_id']}.txt").write_text(text, encoding="utf-8", newline="\n")
        if chunk or not writer.rows:
            frame = _passage_frame(chunk)
            writer.write(frame)
            kept.append(frame)
        n_passages = writer.rows
        table = pd.DataFrame(doc_rows, columns=DOCUMENT_COLUMNS)
        diff = None
        if report is not None:
            from textqca.ingest.reingest import compare_passages, write_report

            old_path = Path(previous) if previous else passages
            old = read_table(old_path, dtype=str, required=("passage_id", "doc_id", "text")) if old_path.is_file() else None
            new = pd.concat(kept, ignore_index=True)
            diff = compare_passages(old, new, annotations=annotations)
            write_report(diff, report)
            if previous:
                write_table(new, previous)
        if documents is not None:
            write_table(table, documents)
    log.info("wrote %d passages of %d documents to %s", n_passages, len(table), passages)
    return IngestSummary(table, n_passages, diff)
