from textqca.analysis import two_step_to_file
from textqca.runner import run_step

run_step(
    two_step_to_file,
    log=snakemake.log[0],
    **dict(snakemake.input.items()),
    **dict(snakemake.output.items()),
    **{k: v for k, v in snakemake.params.items() if k != "code"},
)
