"""Find the documents of a corpus: a manifest, or the ``<case>/<doc_type>/<file>`` layout."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from textqca.errors import CorpusError

__all__ = ["DocumentSource", "discover_corpus", "read_manifest", "read_cases", "DOC_TYPES"]

log = logging.getLogger("textqca.ingest")

DOC_TYPES = ("interview", "policy", "fieldnote", "other")
MANIFEST_NAMES = ("manifest.tsv", "manifest.csv")
_DOC_ID_RE = re.compile(r"^[^\s:~/\\]+$")


@dataclass(frozen=True)
class DocumentSource:
    """One document to ingest, as the manifest or the folder layout describes it."""

    doc_id: str
    case_id: str
    doc_type: str
    path: Path
    date: str = ""
    source: str = ""
    title: str = ""
    language: str = ""
    encoding: str = ""


def _check_id(value: str, what: str, path: Path, where: str | None = None) -> None:
    if not _DOC_ID_RE.match(value):
        raise CorpusError(f"{what} '{value}' must be non-empty without spaces, ':', '~' or slashes", path=path, where=where)


def read_manifest(manifest: str | Path) -> list[DocumentSource]:
    """Documents listed in a manifest (.tsv or .csv; paths relative to the manifest's folder)."""
    from textqca.io import read_table

    import json

    import jsonschema

    manifest = Path(manifest)
    df = read_table(manifest, dtype=str, required=("doc_id", "case_id", "doc_type", "path"))
    schema = json.loads((Path(__file__).resolve().parents[1] / "schemas" / "manifest.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    out = []
    for i, row in enumerate(df.to_dict("records"), start=2):
        where = f"line {i}"
        row = {k: str(v).strip() for k, v in row.items() if isinstance(k, str)}
        for err in validator.iter_errors(row):
            field = err.path[0] if err.path else ""
            hint = schema["properties"].get(field, {}).get("description", "")
            what = f"'{err.instance}' is not valid" if err.validator in ("pattern", "minLength") else err.message
            raise CorpusError(f"{field}: {what}; {hint}", path=manifest, where=where)
        doc_id, case_id, doc_type, rel = (str(row[k]).strip() for k in ("doc_id", "case_id", "doc_type", "path"))
        _check_id(doc_id, "doc_id", manifest, where)
        _check_id(case_id, "case_id", manifest, where)
        if doc_type not in DOC_TYPES:
            raise CorpusError(f"doc_type '{doc_type}' is not one of {', '.join(DOC_TYPES)}", path=manifest, where=where)
        path = (manifest.parent / rel).resolve()
        if not path.is_file():
            raise CorpusError(f"path '{rel}' of document {doc_id} does not exist", path=manifest, where=where)
        out.append(
            DocumentSource(
                doc_id, case_id, doc_type, path,
                **{k: str(row.get(k, "") or "").strip() for k in ("date", "source", "title", "language", "encoding")},
            )
        )
    _check_duplicates(out, manifest)
    return out


def _check_duplicates(docs: list[DocumentSource], where_path: Path) -> None:
    seen: dict[str, Path] = {}
    for d in docs:
        if d.doc_id in seen:
            raise CorpusError(
                f"duplicate doc_id '{d.doc_id}' (also {seen[d.doc_id]}); doc ids must be unique across the corpus",
                path=d.path if where_path.is_dir() else where_path,
            )
        seen[d.doc_id] = d.path


def discover_corpus(corpus: str | Path, *, manifest: str | Path | None = None) -> list[DocumentSource]:
    """The documents of ``corpus``: from ``manifest`` (or ``corpus/manifest.tsv``) or the folder layout.

    Without a manifest every file ``corpus/<case_id>/<doc_type>/<name>.<ext>`` is a
    document with ``doc_id`` = file stem; hidden files and README files are skipped.
    """
    corpus = Path(corpus)
    if manifest is None:
        for name in MANIFEST_NAMES:
            if (corpus / name).is_file():
                manifest = corpus / name
                break
    if manifest is not None:
        return read_manifest(manifest)
    if not corpus.is_dir():
        raise CorpusError("corpus folder not found", path=corpus)
    docs = []
    for case_dir in sorted(p for p in corpus.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for type_dir in sorted(p for p in case_dir.iterdir() if not p.name.startswith(".")):
            if not type_dir.is_dir():
                if type_dir.suffix.lower() in (".yaml", ".yml", ".md", ".txt", ".json", ".tsv", ".csv"):
                    log.debug("%s: case metadata, not a document", type_dir)
                else:
                    log.warning("%s: ignored (documents go in %s/<doc_type>/)", type_dir, case_dir)
                continue
            if type_dir.name not in DOC_TYPES:
                raise CorpusError(
                    f"folder '{type_dir.name}' is not a document type; use one of {', '.join(DOC_TYPES)}", path=type_dir
                )
            for f in sorted(type_dir.rglob("*")):
                if f.is_dir() or any(part.startswith(".") for part in f.relative_to(type_dir).parts):
                    continue
                if f.name.lower().startswith("readme") or f.name.startswith("~$"):
                    continue
                _check_id(case_dir.name, "case folder", case_dir)
                _check_id(f.stem, "file name (the doc_id)", f)
                docs.append(DocumentSource(f.stem, case_dir.name, type_dir.name, f))
    if not docs:
        raise CorpusError("no documents found: expected a manifest.tsv or files in <case_id>/<doc_type>/", path=corpus)
    _check_duplicates(docs, corpus)
    return docs


def read_cases(cases: str | Path | None, *, corpus: str | Path | None = None) -> set[str] | None:
    """Case ids of the case table, or ``None`` (with a warning) when there is none yet."""
    from textqca.io import read_table

    if cases is None and corpus is not None:
        guess = Path(corpus).resolve().parent / "config" / "cases.tsv"
        cases = guess if guess.is_file() else None
    if cases is None or not Path(cases).is_file():
        log.warning("%s: no case table; case ids are not checked", cases or "config/cases.tsv")
        return None
    df = read_table(cases, dtype=str, required=("case_id",))
    return {str(c).strip() for c in df["case_id"] if str(c).strip()}
