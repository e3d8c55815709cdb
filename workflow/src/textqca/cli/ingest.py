"""``textqca ingest CORPUS -o PASSAGES``: read, normalise and segment a corpus."""

from __future__ import annotations

import argparse
import logging
import sys

from textqca.segment import DEFAULT_MAX_CHARS

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "ingest",
        help="read a corpus (.txt .md .docx .pdf .html) and cut it into passages",
        description=(
            "Read every document of CORPUS (a folder with manifest.tsv, or laid out as "
            "<case_id>/<doc_type>/<files>), normalise it into its canonical text and cut it into "
            "passages (speaker turns for interviews; articles/paragraphs for documents)."
        ),
    )
    p.add_argument("corpus", metavar="CORPUS", help="corpus folder")
    p.add_argument("-o", "--output", "--passages", dest="passages", required=True, metavar="PASSAGES",
                   help="passages table to write (.csv, .tsv or .parquet)")
    p.add_argument("--manifest", help="manifest table (default: CORPUS/manifest.tsv if present, else folder discovery)")
    p.add_argument("--cases", help="case table (default: ../config/cases.tsv next to CORPUS; missing = warning)")
    p.add_argument("--documents", help="documents table to write (.csv/.tsv/.parquet)")
    p.add_argument("--canonical-dir", help="folder for the canonical text of each document (<doc_id>.txt)")
    p.add_argument("--report", help="re-ingestion report to write (.md or .json), compared with the existing PASSAGES")
    p.add_argument("--previous", help="with --report: a copy of the last run's passages to compare with, then "
                   "replaced by the new ones (default: compare with the existing PASSAGES file)")
    p.add_argument("--annotations", help="human coding folder whose codes on removed passages are flagged as orphaned")
    p.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS,
                   help=f"split passages longer than this at sentence boundaries (default {DEFAULT_MAX_CHARS})")
    p.add_argument("--deidentify", action="store_true",
                   help="replace phone/ID/bank-card numbers, e-mails and listed names in interviews")
    p.add_argument("--pseudonyms", help="pseudonym table (name, pseudonym[, case_id]) used with --deidentify")
    p.add_argument("--to-simplified", action="store_true", help="convert traditional to simplified Chinese (OpenCC t2s)")
    p.add_argument("-q", "--quiet", action="store_true", help="only print errors")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from textqca.ingest import ingest_to_files

    logger = logging.getLogger("textqca")
    if not logger.handlers:
        h = logging.StreamHandler(sys.stderr)
        h.setFormatter(logging.Formatter("textqca ingest: %(levelname)s: %(message)s"))
        logger.addHandler(h)
    logger.setLevel(logging.ERROR if args.quiet else logging.WARNING)
    result = ingest_to_files(
        corpus=args.corpus, passages=args.passages, manifest=args.manifest, cases=args.cases,
        documents=args.documents, canonical_dir=args.canonical_dir, max_chars=args.max_chars,
        deidentify=args.deidentify, pseudonyms=args.pseudonyms, to_simplified=args.to_simplified,
        report=args.report, previous=args.previous, annotations=args.annotations,
    )
    if not args.quiet:
        print(f"textqca ingest: {len(result.documents)} documents, {result.n_passages} passages -> {args.passages}",
              file=sys.stderr)
    return 0
