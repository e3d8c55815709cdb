from textqca.analysis import robustness_to_files
from textqca.runner import run_step

run_step(
    robustness_to_files,
    log=snakemake.log[0],
    **dict(snakemake.input.items()),
    **dict(snakemake.output.items()),
    **{k: v for k, v in snakemake.params.items() if k != "code"},
)
