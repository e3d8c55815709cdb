"""``textqca reliability``: inter-coder agreement between two annotation sets."""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "reliability",
        help="inter-coder agreement between two annotation sets",
        description=(
            "Agreement between two human codings of the same passages (annotation files or folders): per code "
            "and overall Cohen's kappa and Krippendorff's alpha (presence, and presence with polarity) with "
            "bootstrap confidence intervals, F1 of B against A, percent agreement, polarity agreement."
        ),
    )
    p.add_argument("a", metavar="A", help="first coder's annotations (file or folder)")
    p.add_argument("b", metavar="B", help="second coder's annotations (file or folder)")
    p.add_argument("--codebook", default=None, metavar="FILE", help="codebook (default: codebook/framework.yaml)")
    p.add_argument("--coder-a", default=None, help="use only this coder's rows of A")
    p.add_argument("--coder-b", default=None, help="use only this coder's rows of B")
    p.add_argument("-o", "--output", default=None, metavar="FILE.json", help="also write the full report as JSON")
    p.add_argument("--n-boot", type=int, default=1000, help="bootstrap resamples (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from textqca.reliability import agreement_files, format_report

    report = agreement_files(args.a, args.b, codebook=args.codebook, n_boot=args.n_boot, seed=args.seed,
                             output=args.output, coder_a=args.coder_a, coder_b=args.coder_b)
    print(format_report(report))
    return 0
