"""``textqca evaluate``: measure auto-coding against gold human coding."""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "evaluate",
        help="compare auto-coding with gold human coding",
        description=(
            "Compare CODED (a codings table from `textqca code`) with GOLD (annotation files or folders): "
            "per-code precision, recall, F1, Cohen's kappa and Krippendorff's alpha with bootstrap confidence "
            "intervals, polarity accuracy and the confusion between codes."
        ),
    )
    p.add_argument("gold", metavar="GOLD", help="gold annotation file or folder")
    p.add_argument("coded", metavar="CODED", help="codings table")
    p.add_argument("--codebook", default=None, metavar="FILE", help="codebook (default: codebook/framework.yaml)")
    p.add_argument("-o", "--output", default=None, metavar="FILE.json", help="also write the full report as JSON")
    p.add_argument("--n-boot", type=int, default=1000, help="bootstrap resamples (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from textqca.autocode.evaluate import evaluate_files
    from textqca.reliability import format_report

    report = evaluate_files(gold=args.gold, coded=args.coded, codebook=args.codebook, output=args.output,
                            n_boot=args.n_boot, seed=args.seed)
    print(format_report(report))
    return 0
