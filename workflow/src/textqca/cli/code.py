"""``textqca code``: code passages with the codebook (rules + the trained model)."""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "code",
        help="auto-code passages with the codebook",
        description=(
            "Code every passage of PASSAGES (CSV, TSV or Parquet with at least passage_id and text) with the "
            "codebook and write one row per assigned code: passage_id, code, polarity, confidence, method, "
            "evidence, start, end. Without --model, the model trained from the bundled coding and the human "
            "coding in <codebook folder>/annotations/ is used (trained on first use, cached by content hash). "
            "Passages whose role column says interviewer, header or note are not coded."
        ),
    )
    p.add_argument("passages", metavar="PASSAGES", help="passages table (.csv, .tsv, .parquet)")
    p.add_argument("-o", "--output", required=True, metavar="OUT.csv", help="codings table to write")
    p.add_argument("--codebook", default=None, metavar="FILE", help="codebook (default: codebook/framework.yaml)")
    p.add_argument("--model", default=None, metavar="DIR", help="model directory from `textqca train`")
    p.add_argument("--annotations", nargs="+", default=None, metavar="FILE",
                   help="human coding for the default model (default: <codebook folder>/annotations/)")
    p.add_argument("--rules-only", action="store_true", help="code with the rule coder alone (no model)")
    p.add_argument("--code-roles", nargs="+", default=None, metavar="ROLE",
                   help="roles to code (default: all but interviewer, header and note)")
    p.add_argument("--batch-size", type=int, default=2000, help="passages per batch (memory stays flat)")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    import logging
    import sys

    from textqca.autocode import code_passages_file

    logging.basicConfig(level=logging.INFO, format="textqca code: %(message)s", stream=sys.stderr)
    out = code_passages_file(
        passages=args.passages, output=args.output, codebook=args.codebook, model_dir=args.model,
        batch_size=args.batch_size, code_roles=args.code_roles, annotations=args.annotations,
        use_model=not args.rules_only,
    )
    print(f"wrote {out}")
    return 0
