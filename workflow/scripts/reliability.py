from textqca.reliability import agreement_rounds
from textqca.runner import run_step

run_step(
    agreement_rounds,
    log=snakemake.log[0],
    annotations=snakemake.input.annotations_dir[0] if snakemake.input.annotations_dir else None,
    codebook=snakemake.input.codebook,
    n_boot=snakemake.params.n_boot,
    output=snakemake.output.reliability,
)
