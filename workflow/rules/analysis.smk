# Findings: case x condition matrix, calibration with the researcher's overrides, QCA for the
# outcome (generative logic) and its negation (dilemma patterns), two-step analysis,
# robustness over a Paramspace grid and over resampled auto-codings, and per-path findings.

import pandas as pd
from snakemake.utils import Paramspace

from textqca.analysis import analysis_names, check_setup, grid_points

try:
    check_setup(config, cases=CASES_TSV, codebook=CODEBOOK)
except TextQCAError as exc:
    _fail(exc)

QCA_ANALYSES = analysis_names(config["qca"])
OVERRIDES = config["calibration"]["overrides"]
ROBUST_GRID = Paramspace(pd.DataFrame(grid_points(config["robustness"])))
TRACKED = [f"{RESULTS}/qca/results/{side}_{config['robustness']['solution']}.json"
           for side in (["outcome", "negation"] if config["qca"]["negation"] else ["outcome"])]


rule case_matrix:
    input:
        passages=f"{RESULTS}/corpus/passages.parquet",
        codings=f"{RESULTS}/coding/codings.csv",
        cases=CASES_TSV,
        codebook=CODEBOOK,
        annotations=annotation_files(),
    output:
        matrix=report(f"{RESULTS}/casematrix/case_matrix.csv", caption="../report/case_matrix.rst", category="Case matrix"),
        evidence=f"{RESULTS}/casematrix/case_evidence.csv",
        code_counts=report(f"{RESULTS}/casematrix/code_counts.csv", caption="../report/code_counts.rst", category="Case matrix"),
    params:
        conditions=config["conditions"],
        coding_source=config["coding"]["source"],
        code=source_digest("casematrix"),
    log:
        f"{RESULTS}/logs/case_matrix.log",
    conda:
        "../envs/textqca.yaml"
    script:
        "../scripts/case_matrix.py"


rule calibrate_conditions:
    input:
        matrix=rules.case_matrix.output.matrix,
        code_counts=rules.case_matrix.output.code_counts,
        cases=CASES_TSV,
        codebook=CODEBOOK,
        overrides=optional(OVERRIDES),
    output:
        data=f"{RESULTS}/qca/qca_data.csv",
        memberships=report(f"{RESULTS}/qca/memberships.csv", caption="../report/memberships.rst", category="Case matrix"),
        report=f"{RESULTS}/qca/calibration.json",
    params:
        conditions=config["conditions"],
        calibration=config["calibration"],
        outcome=config["outcome"],
        code=source_digest("analysis", "calibrate", "casematrix"),
    log:
        f"{RESULTS}/logs/calibrate_conditions.log",
    conda:
        "../envs/textqca.yaml"
    script:
        "../scripts/calibrate_conditions.py"


rule qca_specs:
    input:
        data=rules.calibrate_conditions.output.data,
        codebook=CODEBOOK,
    output:
        specs=expand(f"{RESULTS}/qca/specs/{{analysis}}.json", analysis=QCA_ANALYSES),
    params:
        conditions=config["conditions"],
        outcome=config["outcome"],
        qca=config["qca"],
        code=source_digest("analysis", "casematrix"),
    log:
        f"{RESULTS}/logs/qca_specs.log",
    conda:
        "../envs/textqca.yaml"
    script:
        "../scripts/qca_specs.py"


rule qca_run:
    input:
        spec=f"{RESULTS}/qca/specs/{{analysis}}.json",
        data=rules.calibrate_conditions.output.data,
        calibration=rules.calibrate_conditions.output.report,
    output:
        result=f"{RESULTS}/qca/results/{{analysis}}.json",
    params:
        code=source_digest("qca", "analysis"),
    wildcard_constraints:
        analysis="|".join(QCA_ANALYSES),
    log:
        f"{RESULTS}/logs/qca_run/{{analysis}}.log",
    conda:
        "../envs/textqca.yaml"
    script:
        "../scripts/qca_run.py"


rule two_step:
    input:
        data=rules.calibrate_conditions.output.data,
        codebook=CODEBOOK,
    output:
        result=f"{RESULTS}/qca/two_step.json",
    params:
        conditions=config["conditions"],
        outcome=config["outcome"],
        qca=config["qca"],
        code=source_digest("qca", "analysis", "casematrix"),
    log:
        f"{RESULTS}/logs/two_step.log",
    conda:
        "../envs/textqca.yaml"
    script:
        "../scripts/two_step.py"


rule robustness_run:
    input:
        matrix=rules.case_matrix.output.matrix,
        code_counts=rules.case_matrix.output.code_counts,
        cases=CASES_TSV,
        codebook=CODEBOOK,
        overrides=optional(OVERRIDES),
    output:
        result=f"{RESULTS}/robustness/grid/{ROBUST_GRID.wildcard_pattern}.json",
    params:
        grid=ROBUST_GRID.instance,
        conditions=config["conditions"],
        calibration=config["calibration"],
        outcome=config["outcome"],
        qca=config["qca"],
        solution=config["robustness"]["solution"],
        code=source_digest("qca", "calibrate", "analysis", "casematrix"),
    log:
        f"{RESULTS}/logs/robustness_run/{ROBUST_GRID.wildcard_pattern}.log",
    conda:
        "../envs/textqca.yaml"
    script:
        "../scripts/robustness_run.py"


rule robustness_resample:
    input:
        evidence=rules.case_matrix.output.evidence,
        matrix=rules.case_matrix.output.matrix,
        code_counts=rules.case_matrix.output.code_counts,
        cases=CASES_TSV,
        codebook=CODEBOOK,
        overrides=optional(OVERRIDES),
    output:
        result=f"{RESULTS}/robustness/resample.json",
    params:
        conditions=config["conditions"],
        calibration=config["calibration"],
        outcome=config["outcome"],
        qca=config["qca"],
        solution=config["robustness"]["solution"],
        resamples=config["robustness"]["resamples"],
        seed=config["robustness"]["seed"],
        code=source_digest("qca", "calibrate", "analysis", "casematrix"),
    log:
        f"{RESULTS}/logs/robustness_resample.log",
    conda:
        "../envs/textqca.yaml"
    script:
        "../scripts/robustness_resample.py"


rule robustness:
    input:
        base=TRACKED,
        grid=expand(f"{RESULTS}/robustness/grid/{{params}}.json", params=ROBUST_GRID.instance_patterns),
        resample=rules.robustness_resample.output.result,
    output:
        table=report(f"{RESULTS}/robustness/robustness.csv", caption="../report/robustness.rst", category="Robustness"),
        summary=f"{RESULTS}/robustness/robustness.json",
    params:
        code=source_digest("analysis"),
    log:
        f"{RESULTS}/logs/robustness.log",
    conda:
        "../envs/textqca.yaml"
    script:
        "../scripts/robustness.py"


rule findings:
    input:
        data=rules.calibrate_conditions.output.data,
        memberships=rules.calibrate_conditions.output.memberships,
        evidence=rules.case_matrix.output.evidence,
        code_counts=rules.case_matrix.output.code_counts,
        passages=f"{RESULTS}/corpus/passages.parquet",
        documents=f"{RESULTS}/corpus/documents.csv",
        cases=CASES_TSV,
        codebook=CODEBOOK,
        results=expand(f"{RESULTS}/qca/results/{{analysis}}.json", analysis=QCA_ANALYSES),
    output:
        result=f"{RESULTS}/findings/findings.json",
    params:
        conditions=config["conditions"],
        outcome=config["outcome"],
        report=config["report"],
        code=source_digest("analysis", "casematrix"),
    log:
        f"{RESULTS}/logs/findings.log",
    conda:
        "../envs/textqca.yaml"
    script:
        "../scripts/findings.py"
