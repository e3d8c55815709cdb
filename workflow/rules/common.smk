# Helpers shared by the rules: config validation, up-front input checks, input lists and
# code digests.  Errors a researcher can fix end the run here, before any job starts, with
# one line (sys.exit) and no partial result.

import sys
from pathlib import Path

from textqca.config import validate_config
from textqca.errors import TextQCAError
from textqca.provenance import source_digest


def _fail(exc):
    sys.exit(f"textqca: error: {exc}")


try:
    config = validate_config(
        config, workflow.source_path("../schemas/config.schema.yaml"), source="config/config.yaml"
    )
except TextQCAError as exc:
    _fail(exc)

RESULTS = "results"
CORPUS_DIR = Path(config["corpus"]["dir"])
CASES_TSV = config["corpus"]["cases"]
CODEBOOK = config["codebook"]["path"]
USERDICT = config["codebook"]["userdict"]
ANNOTATIONS = config["codebook"]["annotations"]


def corpus_files():
    """Every input file of the corpus: the manifest and the documents (depth >= 2)."""
    files = []
    manifest = CORPUS_DIR / "manifest.tsv"
    if manifest.is_file():
        files.append(str(manifest))
    for path in sorted(CORPUS_DIR.rglob("*")):
        rel = path.relative_to(CORPUS_DIR)
        if path.is_file() and len(rel.parts) >= 3 and not path.name.startswith("."):
            files.append(str(path))
    return files


def annotation_files():
    """The human coding files (round<r>/<coder>/*.csv, adjudicated/*.csv), not the adjudication record."""
    from textqca.autocode.annotations import expand_annotation_paths

    root = Path(ANNOTATIONS)
    return [str(p) for p in expand_annotation_paths([root])] if root.is_dir() else []


def optional(path):
    """A list with `path` if it is set and exists, else empty (for optional inputs)."""
    return [path] if path and Path(path).exists() else []


def check_inputs():
    """Fail early, in one line, on inputs that cannot work."""
    try:
        if not CORPUS_DIR.is_dir():
            raise TextQCAError(
                "corpus folder not found; set corpus.dir in config/config.yaml", path=CORPUS_DIR
            )
        if not corpus_files():
            raise TextQCAError(
                "corpus is empty: put documents in <case_id>/<doc_type>/ folders or list them in manifest.tsv",
                path=CORPUS_DIR,
            )
        from textqca.codebook import load_codebook
        from textqca.ingest.corpus import discover_corpus, read_cases

        docs = discover_corpus(CORPUS_DIR)  # manifest rows must point at files
        known = read_cases(CASES_TSV) if Path(CASES_TSV).is_file() else None
        if known is not None:
            for doc in docs:
                if doc.case_id not in known:
                    raise TextQCAError(
                        f"case '{doc.case_id}' of document {doc.doc_id} is not in the case table; add a row for it",
                        path=CASES_TSV,
                    )

        load_codebook(CODEBOOK)
    except TextQCAError as exc:
        _fail(exc)


check_inputs()
