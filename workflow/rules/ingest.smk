# Corpus ingestion: read every document, normalise it, cut it into passages.
#
# Outputs: the passages table, the documents table, the canonical text of each document
# (every offset refers to it) and the re-ingestion report: passages added / changed /
# removed since the last run, and human codes (codebook/annotations) left on passages
# that no longer exist, flagged as orphaned (the annotation files are only read).
# The last run's passages are kept in results/corpus/.passages-last.parquet (not an
# output, so Snakemake keeps it between runs) for that comparison.


rule ingest:
    input:
        corpus_files(),
        corpus=str(CORPUS_DIR),
        cases=optional(CASES_TSV),
        pseudonyms=optional(config["corpus"]["pseudonyms"]),
    output:
        passages=f"{RESULTS}/corpus/passages.parquet",
        documents=f"{RESULTS}/corpus/documents.csv",
        canonical=directory(f"{RESULTS}/corpus/canonical"),
        report=f"{RESULTS}/corpus/reingest_report.md",
    params:
        previous=f"{RESULTS}/corpus/.passages-last.parquet",
        annotations=ANNOTATIONS,
        max_chars=config["corpus"]["max_chars"],
        deidentify=config["corpus"]["deidentify"],
        to_simplified=config["corpus"]["to_simplified"],
        code=source_digest("ingest", "segment"),
    log:
        f"{RESULTS}/logs/ingest.log",
    conda:
        "../envs/textqca.yaml"
    script:
        "../scripts/ingest.py"
