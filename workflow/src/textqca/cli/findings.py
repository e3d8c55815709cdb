"""``textqca findings``: calibration, QCA for the outcome and its negation, two-step, robustness, findings."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from textqca.cli.casematrix import load_config


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "findings",
        help="calibrate the case matrix and run every QCA analysis of the config",
        description=(
            "From results/casematrix/: calibrate (with codebook/overrides.tsv), run the complex, "
            "parsimonious and intermediate solutions for the outcome and its negation, the two-step "
            "analysis and the robustness checks, and write the per-path cases and quotes "
            "(results/findings/findings.json). The same steps the workflow runs as jobs."
        ),
    )
    p.add_argument("--config", type=Path, default=Path("config/config.yaml"), help="config file")
    p.add_argument("--results", type=Path, default=Path("results"), help="results folder (default results)")
    p.add_argument("--passages", type=Path, help="passages table (default RESULTS/corpus/passages.parquet)")
    p.add_argument("--no-robustness", action="store_true", help="skip the robustness grid and resampling")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from textqca.analysis import run_findings

    cfg = load_config(args.config)
    r = args.results
    out = run_findings(cfg, results=r, cases=(cfg.get("corpus") or {}).get("cases", "config/cases.tsv"),
                       codebook=(cfg.get("codebook") or {}).get("path"),
                       passages=args.passages or r / "corpus" / "passages.parquet", documents=r / "corpus" / "documents.csv",
                       robustness=not args.no_robustness)
    findings = json.loads(Path(out["findings"]).read_text(encoding="utf-8"))
    for p in findings["paths"]:
        if p["solution"] != findings["main_solution"]:
            continue
        print(f"{p['side']}: " + ("; ".join(m.get("expression") or "" for m in p["models"]) or p.get("error") or "-"))
    return 0
