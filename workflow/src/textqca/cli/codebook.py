"""``textqca codebook``: check a codebook, compare two versions, exchange it as REFI-QDA (.qdc)."""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "codebook",
        help="check, diff, export or import a codebook",
        description="Work with the framework codebook (codebook/framework.yaml).",
    )
    sub = p.add_subparsers(dest="codebook_command", metavar="ACTION")
    sub.required = True

    c = sub.add_parser("check", help="validate a codebook and print a summary",
                       description="Validate a codebook (YAML or .qdc) against the schema and print its codes.")
    c.add_argument("codebook", nargs="?", default="codebook/framework.yaml", help="codebook file (default: codebook/framework.yaml)")
    c.set_defaults(func=_check)

    d = sub.add_parser("diff", help="list what changed between two codebook versions",
                       description="List added, removed and changed groups and codes between OLD and NEW.")
    d.add_argument("old", help="older codebook (YAML or .qdc)")
    d.add_argument("new", help="newer codebook (YAML or .qdc)")
    d.add_argument("--exit-code", action="store_true", help="exit with status 1 when the codebooks differ")
    d.set_defaults(func=_diff)

    e = sub.add_parser("export", help="write a REFI-QDA .qdc codebook (NVivo, ATLAS.ti, MAXQDA, QualCoder)",
                       description="Export a codebook as a REFI-QDA .qdc file, validated against the REFI-QDA Codebook.xsd.")
    e.add_argument("codebook", nargs="?", default="codebook/framework.yaml", help="codebook file (default: codebook/framework.yaml)")
    e.add_argument("-o", "--output", required=True, help="output .qdc file")
    e.set_defaults(func=_export)

    i = sub.add_parser("import", help="read a REFI-QDA .qdc codebook into textqca YAML",
                       description="Import a REFI-QDA .qdc codebook (validated against Codebook.xsd) and write it as a textqca YAML codebook.")
    i.add_argument("qdc", help="input .qdc file")
    i.add_argument("-o", "--output", required=True, help="output YAML codebook")
    i.add_argument("--version", dest="cb_version", default=None, help="version to record when the .qdc has none (default 1.0.0)")
    i.add_argument("--force", action="store_true", help="replace OUTPUT if it exists (a codebook is human-owned: by default it is never overwritten)")
    i.set_defaults(func=_import)


def _check(args: argparse.Namespace) -> int:
    from textqca.codebook import load_codebook

    cb = load_codebook(args.codebook)
    print(f"{args.codebook}: codebook {cb.id} version {cb.version}: {len(cb.groups)} groups, {len(cb.codes)} codes, OK")
    for c in cb.codes:
        n = len(c.phrases) + len(c.patterns) + len(c.negative_cues) + len(c.positive_cues)
        print(f"  {c.id:<18} {c.label_zh}  ({c.label_en}; {n} cues, {len(c.examples)} examples)")
    return 0


def _diff(args: argparse.Namespace) -> int:
    from textqca.codebook import diff_codebooks, load_codebook

    changes = diff_codebooks(load_codebook(args.old), load_codebook(args.new))
    for line in changes:
        print(line)
    if not changes:
        print("no differences")
    return 1 if (changes and args.exit_code) else 0


def _export(args: argparse.Namespace) -> int:
    from textqca.codebook import export_qdc, load_codebook

    out = export_qdc(load_codebook(args.codebook), args.output)
    print(f"wrote {out} (REFI-QDA codebook, validated against Codebook.xsd)")
    return 0


def _import(args: argparse.Namespace) -> int:
    from textqca.codebook import import_qdc, write_codebook_yaml

    from pathlib import Path

    from textqca.errors import CodebookError

    if Path(args.output).exists() and not args.force:
        raise CodebookError("exists; write the imported codebook to a new file (then compare with `textqca codebook diff`) "
                            "or pass --force to replace it", path=args.output)
    cb = import_qdc(args.qdc, version=args.cb_version)
    out = write_codebook_yaml(cb, args.output)
    print(f"wrote {out}: {len(cb.groups)} groups, {len(cb.codes)} codes")
    return 0
