"""The ``textqca`` command line: one subcommand per pipeline stage.

Each stage lives in its own module under :mod:`textqca.cli` exposing
``register(subparsers)``; the subcommand's handler takes the parsed
``argparse.Namespace`` and calls the library.  User errors
(:class:`textqca.errors.TextQCAError`) are printed as one line on stderr with
exit status 1, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from textqca import __version__
from textqca.errors import TextQCAError

# Subcommand modules, in the order of the pipeline.  A module that is missing
# (stage not built yet) is skipped, so the CLI always starts.
_MODULES = (
    "ingest",
    "codebook",
    "code",
    "train",
    "evaluate",
    "reliability",
    "casematrix",
    "calibrate",
    "qca",
    "findings",
    "report",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="textqca",
        description=(
            "Code Chinese interview transcripts and policy documents with a framework "
            "codebook and run Qualitative Comparative Analysis across cases."
        ),
    )
    parser.add_argument("--version", action="version", version=f"textqca {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in _MODULES:
        try:
            module = importlib.import_module(f"textqca.cli.{name}")
        except ModuleNotFoundError as exc:  # stage not present in this build
            if exc.name == f"textqca.cli.{name}":
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.func(args)
    except TextQCAError as exc:
        print(f"textqca {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("textqca: interrupted", file=sys.stderr)
        return 130
    return int(result or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
