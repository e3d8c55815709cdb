"""``textqca calibrate TABLE -o OUT.csv --set COL=direct:e,c,i ...``: calibrate raw scores."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from textqca.errors import CalibrationError
from textqca.io import write_text_atomic


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "calibrate",
        help="calibrate raw scores into crisp or fuzzy set memberships",
        description=(
            "Calibrate columns of a case table (CSV/TSV, first column case). Direct method: "
            "COL=direct:EXCLUSION,CROSSOVER,INCLUSION (give them high-to-low for a set of low "
            "values); crisp: COL=crisp:T1[,T2...] (a value equal to a threshold goes up). "
            "Columns not named are copied unchanged."
        ),
    )
    p.add_argument("table", type=Path, help="raw case table (.csv or .tsv)")
    p.add_argument("-o", "--output", type=Path, required=True, help="calibrated table to write (.csv)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="COL=METHOD:THRESHOLDS",
                   help="calibration of one column, e.g. DEV=direct:400,550,900 or DEV=crisp:550")
    p.add_argument("--linear", action="store_true", help="piecewise linear instead of logistic (direct method)")
    p.add_argument("--idm", type=float, default=0.95, help="inclusion degree of membership (default 0.95)")
    p.add_argument("--overrides", type=Path, help="TSV/CSV with case, condition, value, reason")
    p.add_argument("--report", type=Path, help="JSON file listing warnings and overrides applied")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    import pandas as pd

    from textqca.calibrate import calibrate_detailed
    from textqca.qca.data import read_table

    if not args.sets:
        raise CalibrationError("name at least one column with --set COL=METHOD:THRESHOLDS")
    try:
        df = read_table(args.table)
    except Exception as exc:  # QCAError from read_table -> CalibrationError for this stage
        raise CalibrationError(str(exc)) from None
    overrides = None
    if args.overrides:
        if not args.overrides.is_file():
            raise CalibrationError("overrides file not found", path=args.overrides)
        sep = "\t" if args.overrides.suffix.lower() in (".tsv", ".tab") else ","
        overrides = pd.read_csv(args.overrides, sep=sep, dtype=str, keep_default_na=False)
    report = {"warnings": [], "overrides": [], "calibrations": []}
    for item in args.sets:
        if "=" not in item or ":" not in item:
            raise CalibrationError(f"--set {item!r}: write COL=direct:e,c,i or COL=crisp:t1,t2")
        col, rest = item.split("=", 1)
        method, th = rest.split(":", 1)
        col = col.strip()
        if col not in df.columns:
            raise CalibrationError(f"--set {item!r}: no column {col!r} in the table", path=args.table)
        res = calibrate_detailed(
            df[col], method=method.strip(), thresholds=th, logistic=not args.linear, idm=args.idm,
            overrides=overrides, condition=col,
        )
        df[col] = res.values
        report["warnings"].extend(res.warnings)
        report["overrides"].extend(o.__dict__ for o in res.overrides)
        report["calibrations"].append({"column": col, "method": res.method, "thresholds": list(res.thresholds)})
    for w in report["warnings"]:
        print(f"textqca calibrate: warning: {w}", file=sys.stderr)
    write_text_atomic(df.reset_index().rename(columns={df.index.name or "index": "case"}).to_csv(index=False), args.output)
    if args.report:
        write_text_atomic(json.dumps(report, ensure_ascii=False, indent=1), args.report)
    return 0

