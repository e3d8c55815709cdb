# Auto-coding of passages with the codebook (rule coder, plus the model coder trained
# from the human coding).


rule code:
    input:
        passages=f"{RESULTS}/corpus/passages.parquet",
        codebook=CODEBOOK,
        userdict=optional(USERDICT),
    output:
        codings=f"{RESULTS}/coding/codings.csv",
    params:
        code=source_digest("codebook", "nlp", "autocode"),
    log:
        f"{RESULTS}/logs/code.log",
    conda:
        "../envs/textqca.yaml"
    script:
        "../scripts/code.py"
