# Auto-coding of passages with the codebook (rule coder plus the model trained from the
# human coding), the model itself, and the measured quality: cross-validated agreement of
# the auto-coder with the human coding, and inter-coder agreement of the human coders.


rule train:
    input:
        passages=f"{RESULTS}/corpus/passages.parquet",
        codebook=CODEBOOK,
        userdict=optional(USERDICT),
        annotations=annotation_files(),
    output:
        model=directory(f"{RESULTS}/coding/model"),
    params:
        with_bundled=True,
        code=source_digest("codebook", "nlp", "autocode", "data", "schemas"),
    log:
        f"{RESULTS}/logs/train.log",
    conda:
        "../envs/textqca.yaml"
    script:
        "../scripts/train.py"


rule code:
    input:
        passages=f"{RESULTS}/corpus/passages.parquet",
        codebook=CODEBOOK,
        userdict=optional(USERDICT),
        model=f"{RESULTS}/coding/model" if config["coding"]["use_model"] else [],
    output:
        codings=report(f"{RESULTS}/coding/codings.csv", caption="../report/codings.rst", category="Coding"),
    params:
        use_model=config["coding"]["use_model"],
        code=source_digest("codebook", "nlp", "autocode", "data", "schemas"),
    log:
        f"{RESULTS}/logs/code.log",
    conda:
        "../envs/textqca.yaml"
    script:
        "../scripts/code.py"


rule evaluate_coder:
    input:
        passages=f"{RESULTS}/corpus/passages.parquet",
        codebook=CODEBOOK,
        userdict=optional(USERDICT),
        annotations=annotation_files(),
    output:
        evaluation=report(f"{RESULTS}/coding/evaluation.json", caption="../report/evaluation.rst", category="Coding"),
    params:
        n_splits=3,
        n_boot=1000,
        code=source_digest("codebook", "nlp", "autocode", "reliability", "data", "schemas"),
    log:
        f"{RESULTS}/logs/evaluate_coder.log",
    conda:
        "../envs/textqca.yaml"
    script:
        "../scripts/evaluate_coder.py"


rule reliability:
    input:
        codebook=CODEBOOK,
        annotations=annotation_files(),
        annotations_dir=optional(ANNOTATIONS),
    output:
        reliability=report(f"{RESULTS}/coding/reliability.json", caption="../report/reliability.rst", category="Coding"),
    params:
        n_boot=1000,
        code=source_digest("reliability", "autocode"),
    log:
        f"{RESULTS}/logs/reliability.log",
    conda:
        "../envs/textqca.yaml"
    script:
        "../scripts/reliability.py"
