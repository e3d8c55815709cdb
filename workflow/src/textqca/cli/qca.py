"""``textqca qca SPEC -o RESULT.json``: run one QCA analysis from a spec file."""

from __future__ import annotations

import argparse
from pathlib import Path

from textqca.errors import QCAError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "qca",
        help="truth table, minimization and necessity for one spec (JSON/YAML)",
        description=(
            "Run a QCA analysis as R's QCA package would: truthTable(), minimize() "
            "(complex, parsimonious or intermediate, all minimal models) and pof() "
            "necessity. The spec has the keys data, outcome ('~Y' negated), conditions, "
            "incl_cut, n_cut, pri_cut, include, dir_exp, row_dom, all_sol. The result "
            "format is described in docs/qca-result-format.md."
        ),
    )
    p.add_argument("spec", type=Path, help="spec file (.json, .yaml)")
    p.add_argument("-o", "--output", type=Path, required=True, help="RESULT.json to write")
    p.add_argument(
        "--data-root",
        type=Path,
        default=Path("."),
        help="folder a relative 'data' path in the spec is resolved against (default: .)",
    )
    p.add_argument(
        "--time-limit",
        type=float,
        default=None,
        metavar="SECONDS",
        help="seconds the MILP solver may spend proving the minimum number of terms of one part of "
        "the PI chart (default 30); only very large charts need more, e.g. complex solutions with 17 "
        "or more conditions on sparse data",
    )
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from textqca.qca.minimize import check_time_limit
    from textqca.qca.spec import data_path, load_spec, run_spec, write_result

    from pathlib import Path

    spec = load_spec(args.spec)
    out = Path(args.output).resolve()
    inputs = {Path(args.spec).resolve(): "the spec"}
    data = data_path(spec, args.data_root)
    if data is not None:
        inputs[data.resolve()] = "the data"
    if out in inputs:
        raise QCAError(f"-o names {inputs[out]} itself; give another file for RESULT.json", path=args.output)
    try:
        check_time_limit(args.time_limit, "--time-limit")
        result = run_spec(spec, data_root=args.data_root, time_limit=args.time_limit)
    except QCAError as exc:
        if exc.path is None:
            raise QCAError(str(exc), path=args.spec) from None
        raise
    write_result(result, args.output)
    return 0
