from textqca.ingest import ingest_to_files
from textqca.runner import run_step

run_step(
    ingest_to_files,
    log=snakemake.log[0],
    corpus=snakemake.input.corpus,
    manifest=None,
    cases=snakemake.input.cases[0] if snakemake.input.cases else None,
    passages=snakemake.output.passages,
    documents=snakemake.output.documents,
    canonical_dir=snakemake.output.canonical,
    report=snakemake.output.report,
    previous=snakemake.params.previous,
    annotations=snakemake.params.annotations,
    max_chars=snakemake.params.max_chars,
    deidentify=snakemake.params.deidentify,
    pseudonyms=snakemake.input.pseudonyms[0] if snakemake.input.pseudonyms else None,
    to_simplified=snakemake.params.to_simplified,
)
