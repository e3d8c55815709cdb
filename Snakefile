# textqca: from Chinese interviews and policy documents to QCA findings.
# Run `snakemake --cores 2` in the project folder; settings in config/config.yaml.

from snakemake.utils import min_version

min_version("8.0")


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/code.smk"


rule all:
    input:
        f"{RESULTS}/corpus/passages.parquet",
        f"{RESULTS}/coding/codings.csv",
    default_target: True
