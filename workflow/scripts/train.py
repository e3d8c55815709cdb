from textqca.autocode import train_model
from textqca.runner import run_step

run_step(
    train_model,
    log=snakemake.log[0],
    annotations=list(snakemake.input.annotations),
    passages=snakemake.input.passages,
    codebook=snakemake.input.codebook,
    include_bundled=snakemake.params.with_bundled,
    output=snakemake.output.model,
)
