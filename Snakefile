# textqca: from Chinese interviews and policy documents to QCA findings.
# Run `snakemake --cores 2` in the project folder; settings in config/config.yaml.

from snakemake.utils import min_version

min_version("8.0")


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/code.smk"
include: "workflow/rules/analysis.smk"  # findings (issue 7): case matrix .. robustness
include: "workflow/rules/report.smk"  # findings (issue 7): results/report/report.html


rule all:
    input:
        f"{RESULTS}/corpus/passages.parquet",
        f"{RESULTS}/coding/codings.csv",
        REPORT_HTML,  # findings (issue 7): the research report (asks for every analysis)
    default_target: True
