"""``textqca train``: train the auto-coder's model on human coding."""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "train",
        help="train the auto-coder on human coding",
        description=(
            "Train the auto-coder's model on ANNOTATIONS (annotation CSV files or folders of them; several "
            "coders are merged, adjudicated rows win). Passage texts come from a text column of the "
            "annotations or from --passages. The model directory holds JSON and npz files only, with their "
            "SHA-256 in manifest.json, the codebook version and the training data hash."
        ),
    )
    p.add_argument("annotations", nargs="+", metavar="ANNOTATIONS", help="annotation files or folders")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="model directory to write")
    p.add_argument("--passages", nargs="+", default=None, metavar="FILE", help="passages tables with the texts")
    p.add_argument("--codebook", default=None, metavar="FILE", help="codebook (default: codebook/framework.yaml)")
    p.add_argument("--with-bundled", action="store_true",
                   help="also train on the coded real policy documents and codebook examples shipped with textqca")
    p.add_argument("--C", type=float, default=None,
                   help="inverse regularisation strength (default: the model's own, chosen by cross-validation)")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    import json
    import logging
    import sys
    from pathlib import Path

    from textqca.autocode import train_model

    logging.basicConfig(level=logging.INFO, format="textqca train: %(message)s", stream=sys.stderr)
    params = {} if args.C is None else {"C": args.C}
    out = train_model(args.annotations, output=args.output, codebook=args.codebook, passages=args.passages,
                      include_bundled=args.with_bundled, **params)
    manifest = json.loads((Path(out) / "manifest.json").read_text(encoding="utf-8"))
    print(f"wrote {out}: trained on {manifest['training']['n_passages']} passages")
    for code, s in manifest["cv_scores"].items():
        if code.startswith("_"):
            continue
        if s.get("model"):
            print(f"  {code:<18} n+={s['n_positive']:<4} cross-validated F1 {s['cv_f1']:.2f}")
        else:
            print(f"  {code:<18} n+={s['n_positive']:<4} too few examples: rule coder only")
    return 0
