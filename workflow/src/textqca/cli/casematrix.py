"""``textqca casematrix``: coded passages -> case x condition table (with the passages behind it)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from textqca.errors import ConfigError


def load_config(path: Path | str) -> dict[str, Any]:
    """Read ``config/config.yaml``; validate it (defaults filled) when the project's schema is beside it."""
    from textqca.config import load_yaml, validate_config

    path = Path(path)
    if not path.is_file():
        raise ConfigError("config file not found; give --config config/config.yaml", path=path)
    raw = load_yaml(path) or {}
    schema = path.resolve().parent.parent / "workflow" / "schemas" / "config.schema.yaml"
    return validate_config(raw, schema, source=path) if schema.is_file() else dict(raw)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "casematrix",
        help="aggregate coded passages into the case x condition table",
        description=(
            "Count +1 / -1 codings per case and code, compute each condition's raw score "
            "(config section `conditions`) and write case_matrix.csv, case_evidence.csv "
            "(the passages behind every number) and code_counts.csv. Human coding is used "
            "where a passage has it (coding.source)."
        ),
    )
    p.add_argument("--config", type=Path, default=Path("config/config.yaml"), help="config file (default config/config.yaml)")
    p.add_argument("--passages", type=Path, default=Path("results/corpus/passages.parquet"), help="passages table of ingest")
    p.add_argument("--codings", type=Path, default=Path("results/coding/codings.csv"), help="codings.csv of the auto-coder")
    p.add_argument("--annotations", type=Path, help="human coding folder (default: codebook.annotations of the config)")
    p.add_argument("--cases", type=Path, help="case table (default: corpus.cases of the config)")
    p.add_argument("--codebook", type=Path, help="codebook YAML (default: codebook.path of the config)")
    p.add_argument("-o", "--output-dir", type=Path, default=Path("results/casematrix"), help="folder for the three tables")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from textqca.casematrix import case_matrix_to_files

    cfg = load_config(args.config)
    cb = cfg.get("codebook") or {}
    ann = args.annotations or Path(cb.get("annotations", "codebook/annotations"))
    out = args.output_dir
    cm = case_matrix_to_files(
        passages=str(args.passages), codings=str(args.codings) if args.codings.is_file() else None,
        annotations=str(ann) if ann.is_dir() else None,
        cases=str(args.cases or (cfg.get("corpus") or {}).get("cases", "config/cases.tsv")),
        codebook=str(args.codebook or cb.get("path", "codebook/framework.yaml")),
        matrix=str(out / "case_matrix.csv"), evidence=str(out / "case_evidence.csv"),
        code_counts=str(out / "code_counts.csv"), conditions=cfg.get("conditions") or {},
        coding_source=(cfg.get("coding") or {}).get("source", "human_then_auto"),
    )
    print(cm.matrix.round(3).to_string())
    return 0
