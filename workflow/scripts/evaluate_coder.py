from textqca.autocode.evaluate import cross_validate_files
from textqca.runner import run_step

run_step(
    cross_validate_files,
    log=snakemake.log[0],
    annotations=list(snakemake.input.annotations),
    passages=snakemake.input.passages,
    codebook=snakemake.input.codebook,
    n_splits=snakemake.params.n_splits,
    n_boot=snakemake.params.n_boot,
    output=snakemake.output.evaluation,
)
