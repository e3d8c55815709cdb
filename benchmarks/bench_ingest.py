"""Benchmark: ingest + segment throughput and peak memory vs raw ``jieba.lcut``.

Builds corpora of 12.5, 25 and 50 MB (UTF-8 bytes) from the 66 real policy documents of
``../shared/real-policy`` and the bundled example interviews (``corpus/*/interview``),
copied into the ``<case>/<doc_type>/<file>`` layout under ``benchmarks/data/`` (not
committed), then runs each measurement in a fresh process:

* ``textqca ingest`` (``ingest_to_files``: read, detect encoding, normalise, segment,
  write passages.parquet, documents.csv and the canonical texts) -- characters per second
  of decoded input text and peak resident memory (``ru_maxrss``);
* ``jieba.lcut`` over the same texts, file by file (the dictionary load is excluded).

Run:  python benchmarks/bench_ingest.py            (about 3 minutes on 2 cores)
      python benchmarks/bench_ingest.py --sizes 12.5 --no-jieba   (quick)
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"


def _sources() -> list[tuple[str, str]]:
    """(doc_type, text) of the real documents and the bundled interviews."""
    shared = ROOT.parent / "shared" / "real-policy"
    out = [("policy", p.read_text(encoding="utf-8")) for p in sorted(shared.glob("0*.txt"))]
    out += [("interview", p.read_text(encoding="utf-8")) for p in sorted((ROOT / "corpus").glob("*/interview/*.txt"))]
    if not out:
        sys.exit("bench_ingest: ../shared/real-policy not found")
    return out


def build_corpus(mb: float) -> Path:
    """A corpus of about ``mb`` MB: the sources copied round-robin into 20 cases."""
    target = DATA / f"ingest-{mb:g}MB"
    stamp = target / ".complete"
    if stamp.is_file():
        return target
    shutil.rmtree(target, ignore_errors=True)
    sources = _sources()
    size, i = 0, 0
    while size < mb * 1_000_000:
        doc_type, text = sources[i % len(sources)]
        case = f"C{i % 20:02d}"
        path = target / case / doc_type / f"{case}_{doc_type[:3]}{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        size += len(data)
        i += 1
    stamp.write_text(str(size))
    return target


def _run_ingest(corpus: str) -> dict:
    from textqca.ingest import ingest_to_files

    out = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    n_chars = sum(len(p.read_text(encoding="utf-8")) for p in Path(corpus).rglob("*.txt"))
    t0 = time.perf_counter()
    summary = ingest_to_files(corpus=corpus, passages=out / "passages.parquet", documents=out / "documents.csv",
                              canonical_dir=out / "canonical")
    dt = time.perf_counter() - t0
    shutil.rmtree(out)
    return {"chars": n_chars, "seconds": dt, "passages": summary.n_passages, "documents": len(summary.documents),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _run_jieba(corpus: str) -> dict:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = tempfile.gettempdir()
    jieba.initialize()
    files = sorted(Path(corpus).rglob("*.txt"))
    n_chars, n_tokens = 0, 0
    t0 = time.perf_counter()
    for p in files:
        text = p.read_text(encoding="utf-8")
        n_chars += len(text)
        n_tokens += len(jieba.lcut(text))
    dt = time.perf_counter() - t0
    return {"chars": n_chars, "seconds": dt, "tokens": n_tokens,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _measure(kind: str, corpus: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", kind, str(corpus)], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=float, nargs="+", default=[12.5, 25, 50], help="corpus sizes in MB")
    ap.add_argument("--no-jieba", action="store_true", help="skip the jieba baseline")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, corpus = args.child
        print(json.dumps(_run_ingest(corpus) if kind == "ingest" else _run_jieba(corpus)))
        return
    rows = []
    for mb in args.sizes:
        corpus = build_corpus(mb)
        r = _measure("ingest", corpus)
        rows.append(("ingest + segment", mb, r))
        print(f"ingest  {mb:>5g} MB: {r['chars'] / r['seconds']:>12,.0f} chars/s  {r['seconds']:6.1f} s  "
              f"peak RSS {r['peak_rss_mb']:6.0f} MB  ({r['documents']} documents, {r['passages']} passages)", flush=True)
    if not args.no_jieba:
        mb = max(args.sizes)
        r = _measure("jieba", build_corpus(mb))
        rows.append(("jieba.lcut", mb, r))
        print(f"jieba   {mb:>5g} MB: {r['chars'] / r['seconds']:>12,.0f} chars/s  {r['seconds']:6.1f} s  "
              f"peak RSS {r['peak_rss_mb']:6.0f} MB  ({r['tokens']} tokens)", flush=True)
    print(json.dumps([{"what": w, "mb": mb, **r} for w, mb, r in rows]))


if __name__ == "__main__":
    main()
