from textqca.autocode import code_passages_file
from textqca.runner import run_step

run_step(
    code_passages_file,
    log=snakemake.log[0],
    passages=snakemake.input.passages,
    codebook=snakemake.input.codebook,
    model_dir=snakemake.input.model or None,
    use_model=snakemake.params.use_model,
    output=snakemake.output.codings,
)
