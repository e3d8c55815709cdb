# Corpus ingestion: read every document, normalise it, cut it into passages.


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
    params:
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
