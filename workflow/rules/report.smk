# The research report: one self-contained HTML file (results/report/report.html) with its
# figures, also browsable through `snakemake --report`.

REPORT_HTML = f"{RESULTS}/report/report.html"


rule report:
    input:
        findings=rules.findings.output.result,
        calibration=rules.calibrate_conditions.output.report,
        memberships=rules.calibrate_conditions.output.memberships,
        results=expand(f"{RESULTS}/qca/results/{{analysis}}.json", analysis=QCA_ANALYSES),
        code_counts=rules.case_matrix.output.code_counts,
        evidence=rules.case_matrix.output.evidence,
        documents=f"{RESULTS}/corpus/documents.csv",
        passages=f"{RESULTS}/corpus/passages.parquet",
        two_step=rules.two_step.output.result,
        robustness=[rules.robustness.output.summary] if config["robustness"]["enabled"] else [],
        agreement=[rules.evaluate_coder.output.evaluation, rules.reliability.output.reliability],
        codebook=CODEBOOK,
    output:
        html=report(REPORT_HTML, caption="../report/report.rst", category="Report"),
        figures=report(directory(f"{RESULTS}/report/figures"), patterns=["{name}.svg"],
                       caption="../report/figures.rst", category="XY plots"),
        tables=report(directory(f"{RESULTS}/report/tables"), patterns=["{name}.csv"],
                      caption="../report/tables.rst", category="Tables"),
    params:
        settings={k: config[k] for k in ("coding", "conditions", "outcome", "calibration", "qca", "robustness")},
        report=config["report"],
        necessity=[config["qca"]["necessity_incl"], config["qca"]["necessity_ron"]],
        code=source_digest("report", "analysis"),
    log:
        f"{RESULTS}/logs/report.log",
    conda:
        "../envs/textqca.yaml"
    script:
        "../scripts/report.py"
