"""Cross-validated quality of the auto-coder (issue 5), per code, for benchmarks/RESULTS-code.md.

    python benchmarks/cv_code.py                     # both sets, 5 folds, JSON to benchmarks/data/
    python benchmarks/cv_code.py --set real_policy   # one set

Sets:
  real_policy  the real-policy coding shipped as training data (every CSV of
               workflow/src/textqca/data/training/: the adjudicated gold sample and the
               further double-coded passages of the same 66 documents): test folds are whole
               documents; every training fold also has the bundled human coding of corpus/
               and the codebook's examples (as the default model does).
  bundled      the human coding in codebook/annotations/ (coder A, adjudicated rows where
               they exist) on the passages of corpus/ (ingested on the fly): test folds are
               whole documents; training folds add the real-policy coding and the examples.
Both report the hybrid coder and the rule coder alone.
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", choices=["real_policy", "bundled", "both"], default="both")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--n-boot", type=int, default=500)
    ap.add_argument("--coder", default="A")
    args = ap.parse_args()

    from textqca.autocode import _bundled_training
    from textqca.autocode.annotations import consensus, read_annotations
    from textqca.autocode.evaluate import cross_validate
    from textqca.codebook import load_codebook
    from textqca.ingest import ingest_to_files
    from textqca.reliability import format_report

    cb = load_codebook(ROOT / "codebook" / "framework.yaml")
    DATA.mkdir(parents=True, exist_ok=True)
    passages = DATA / "corpus_passages.parquet"
    if not passages.exists():
        ingest_to_files(corpus=str(ROOT / "corpus"), passages=str(passages))

    files = sorted(glob.glob(str(ROOT / "codebook" / "annotations" / "**" / "*.csv"), recursive=True))
    ann = read_annotations(files, codebook=cb)
    adjudicated = ann[ann["coder"].str.lower() == "adjudicated"]
    chosen = ann[(ann["coder"] == args.coder) & ~ann["passage_id"].isin(set(adjudicated["passage_id"]))]
    gold = consensus(pd.concat([adjudicated, chosen]))
    texts = pd.read_parquet(passages, columns=["passage_id", "text"]).set_index("passage_id")["text"]
    gold["text"] = [texts.get(p, "") for p in gold["passage_id"]]
    bundled = gold[gold["text"] != ""][["passage_id", "code", "polarity", "text"]]
    packaged = _bundled_training(cb)  # every training CSV (real policy) + codebook examples
    policy = packaged[~packaged["passage_id"].str.startswith("codebook:")]
    examples = packaged[packaged["passage_id"].str.startswith("codebook:")]

    sets = ["real_policy", "bundled"] if args.set == "both" else [args.set]
    for name in sets:
        if name == "real_policy":
            table, extra = policy, pd.concat([bundled, examples])
        else:
            table, extra = bundled, pd.concat([policy, examples])
        t = time.time()
        hybrid, _ = cross_validate(table, codebook=cb, n_splits=args.folds, n_boot=args.n_boot, extra_train=extra)
        rules, _ = cross_validate(table, codebook=cb, n_splits=args.folds, n_boot=0, rules_only=True)
        out = {"set": name, "n_passages": int(table["passage_id"].nunique()), "folds": args.folds,
               "seconds": round(time.time() - t), "hybrid": hybrid, "rules_only": rules}
        (DATA / f"cv_{name}.json").write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"== {name}: {out['n_passages']} passages, {args.folds}-fold grouped CV")
        print(format_report(hybrid))
        print("-- rule coder alone:")
        print(format_report(rules).split("\n\n")[0])
        sys.stdout.flush()


if __name__ == "__main__":
    main()
