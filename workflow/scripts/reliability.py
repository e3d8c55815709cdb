from textqca.reliability import agreement_rounds
from textqca.runner import run_step

run_step(
    agreement_rounds,
    log=snakemake.log[0],
    annotations=snakemake.params.annotations,
    codebook=snakemake.input.codebook,
    n_boot=snakemake.params.n_boot,
    output=snakemake.output.reliability,
)
