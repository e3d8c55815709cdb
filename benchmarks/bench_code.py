"""Throughput and memory of `textqca code` with the model (issue 5 target: >= 125,000
characters per second per core on a 50 MB corpus, memory flat in corpus size).

    python benchmarks/bench_code.py --mb 50            # build a 50 MB corpus and code it
    python benchmarks/bench_code.py --mb 5 --mb 20     # compare peak memory at two sizes

The corpus is made of real text: passages of the real policy documents in ../shared/real-policy
and of the bundled corpus/, shuffled and repeated with a passage counter so every passage id
is unique.  Coding runs in a fresh process (one core, `textqca code` with a trained model
directory) and is timed with its peak RSS; model training is not part of the timing.
Data goes to benchmarks/data/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"


def source_texts() -> list[str]:
    texts = []
    shared = ROOT.parent / "shared" / "real-policy"
    for p in sorted(shared.glob("*.txt")) + sorted((ROOT / "corpus").rglob("*.txt")):
        for para in p.read_text(encoding="utf-8", errors="ignore").split("\n"):
            para = para.strip()
            if 20 <= len(para) <= 500:
                texts.append(para)
    return texts


def build(mb: float) -> Path:
    out = DATA / f"passages_{mb:g}mb.parquet"
    if out.exists():
        return out
    DATA.mkdir(parents=True, exist_ok=True)
    texts = source_texts()
    rng = random.Random(0)
    rows, size, i = [], 0, 0
    target = mb * 1024 * 1024
    while size < target:
        t = rng.choice(texts)
        rows.append((f"BENCH_doc{i // 50:06d}:{i:08x}", t))
        size += len(t.encode("utf-8"))
        i += 1
    pd.DataFrame(rows, columns=["passage_id", "text"]).to_parquet(out)
    return out


def train(model_dir: Path) -> None:
    if (model_dir / "manifest.json").is_file():
        return
    gold = ROOT / "tests" / "data" / "real_policy_gold"
    args = ["train", str(gold / "REAL.csv"), "--passages", str(gold / "passages.csv"), "--with-bundled", "-o", str(model_dir)]
    subprocess.run([sys.executable, "-c", f"import sys; from textqca.cli import main; sys.exit(main({args!r}))"],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def run(passages: Path, model_dir: Path) -> dict:
    out = DATA / "codings.csv"
    n_chars = int(pd.read_parquet(passages, columns=["text"])["text"].str.len().sum())
    code = (
        "import resource, sys, time\n"
        "from textqca.cli import main\n"
        "t = time.process_time(); w = time.perf_counter()\n"
        f"rc = main(['code', {str(passages)!r}, '-o', {str(out)!r}, '--model', {str(model_dir)!r}])\n"
        "print('BENCH', time.process_time() - t, time.perf_counter() - w, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    p = subprocess.run(["taskset", "-c", "0", sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if p.returncode:
        raise SystemExit(p.stderr)
    line = [x for x in p.stderr.splitlines() if x.startswith("BENCH")][-1].split()
    cpu, wall, rss = float(line[1]), float(line[2]), int(line[3])
    n_rows = sum(1 for _ in open(out, encoding="utf-8")) - 1
    return {"corpus_mb": round(passages.stat().st_size / 2**20, 1), "utf8_mb": None, "chars": n_chars,
            "passages": len(pd.read_parquet(passages, columns=["passage_id"])), "codings": n_rows,
            "cpu_s": round(cpu, 1), "wall_s": round(wall, 1), "chars_per_cpu_s": round(n_chars / cpu),
            "chars_per_wall_s": round(n_chars / wall), "peak_rss_mb": round(rss / 1024)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, action="append", help="corpus size(s) in MB of UTF-8 text (default 50)")
    args = ap.parse_args()
    model_dir = DATA / "model"
    DATA.mkdir(parents=True, exist_ok=True)
    train(model_dir)
    for mb in args.mb or [50]:
        passages = build(mb)
        df = pd.read_parquet(passages, columns=["text"])
        res = run(passages, model_dir)
        res["utf8_mb"] = round(df["text"].str.encode("utf-8").str.len().sum() / 2**20, 1)
        print(json.dumps(res))


if __name__ == "__main__":
    main()
