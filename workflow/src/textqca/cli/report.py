"""``textqca report``: the self-contained HTML research report from a results folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from textqca.cli.casematrix import load_config


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "report",
        help="write the HTML research report (offline, self-contained)",
        description=(
            "Render results/report/report.html from the results of `textqca casematrix` and "
            "`textqca findings` (the workflow's layout), with its XY plots as SVG files."
        ),
    )
    p.add_argument("--config", type=Path, default=Path("config/config.yaml"), help="config file")
    p.add_argument("--results", type=Path, default=Path("results"), help="results folder (default results)")
    p.add_argument("--passages", type=Path, help="passages table (default RESULTS/corpus/passages.parquet)")
    p.add_argument("-o", "--output", type=Path, help="HTML file (default RESULTS/report/report.html)")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from textqca.analysis import analysis_names
    from textqca.report import report_to_file

    cfg = load_config(args.config)
    r = args.results
    html = args.output or r / "report" / "report.html"
    rob = r / "robustness" / "robustness.json"
    qca = cfg.get("qca") or {}
    report_to_file(
        findings=str(r / "findings" / "findings.json"), calibration=str(r / "qca" / "calibration.json"),
        memberships=str(r / "qca" / "memberships.csv"),
        results=[str(r / "qca" / "results" / f"{n}.json") for n in analysis_names(qca)],
        code_counts=str(r / "casematrix" / "code_counts.csv"), evidence=str(r / "casematrix" / "case_evidence.csv"),
        documents=str(r / "corpus" / "documents.csv"), passages=str(args.passages or r / "corpus" / "passages.parquet"),
        two_step=str(r / "qca" / "two_step.json") if (r / "qca" / "two_step.json").is_file() else None,
        robustness=str(rob) if rob.is_file() else None, codebook=(cfg.get("codebook") or {}).get("path"),
        settings={k: cfg.get(k) for k in ("coding", "conditions", "outcome", "calibration", "qca", "robustness")},
        report=cfg.get("report") or {}, necessity=(qca.get("necessity_incl", 0.9), qca.get("necessity_ron", 0.5)),
        html=str(html), figures=str(Path(html).parent / "figures"), tables=str(Path(html).parent / "tables"),
    )
    print(html)
    return 0
