"""Compare a new passages table with the previous one; flag human codes left on removed passages.

Passage ids depend on the passage text only, so after re-ingestion

* ``unchanged``: same id in both runs,
* ``changed``: a passage whose id vanished but whose place (same document, section,
  speaker and turn, or same speaker within two positions) is taken by a new passage with
  at least half its text in common,
* ``added`` / ``removed``: the rest.

The likely successor of a removed passage is its "changed" partner, else the new
passage of the same document that holds its whole text (a line merged into a larger
passage) or, failing that, the longest added passage inside it (a heading, timestamp or
note line taken out).

Human codes (``codebook/annotations/**/*.csv``) that point at a passage id that no longer
exists are listed as **orphaned**, with the passage's old text and the likely successor:
they are never dropped; the human-owned annotation files are never written.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = ["PassageDiff", "compare_passages", "write_report", "read_annotations"]


@dataclass
class PassageDiff:
    """Result of :func:`compare_passages` (each list holds plain dict rows)."""

    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)  # old_id, new_id, doc_id, section, old_text, new_text
    unchanged: int = 0
    orphaned: list[dict] = field(default_factory=list)  # annotation rows + old_text + successor
    first_run: bool = False


def read_annotations(annotations: str | Path | None) -> pd.DataFrame:
    """All human coding rows under ``annotations`` (a folder or one CSV), with a ``file`` column."""
    from textqca.io import read_table

    if annotations is None:
        return pd.DataFrame(columns=["passage_id", "code", "coder", "round", "file"])
    root = Path(annotations)
    files = [root] if root.is_file() else sorted(root.rglob("*.csv")) if root.is_dir() else []
    frames = []
    for f in files:
        df = read_table(f, dtype=str)
        if "passage_id" not in df.columns:
            continue
        df["file"] = str(f)
        frames.append(df)
    if not frames:
        return pd.DataFrame(columns=["passage_id", "code", "coder", "round", "file"])
    return pd.concat(frames, ignore_index=True)


def _similar(a: str, b: str) -> bool:
    """Two versions of one passage: they share at least half their characters in order."""
    return difflib.SequenceMatcher(None, str(a), str(b), autojunk=False).ratio() >= 0.5


_TIMESTAMP_RE = re.compile(r"[\[［(（【]\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?:[.,]\d+)?[\]］)）】][ \t]*")


def _contained_successor(old_text: str, candidates: list[dict]) -> str:
    """Likely successor of a removed passage among the new passages of its document.

    A passage that a new segmentation merged into a larger one (a date line into its
    signature block) or cut down (a heading, a timestamp or a note line taken out) has
    no "changed" partner of similar length; its successor is the new passage that holds
    its whole text (without timestamps), else the longest new passage lying inside it.
    """
    text = _TIMESTAMP_RE.sub("", old_text).strip()
    if not text:
        return ""
    holders = [c for c in candidates if text in str(c["text"])]
    if len(holders) == 1:
        return str(holders[0]["passage_id"])
    inside = [c for c in candidates if len(str(c["text"])) >= 2 and str(c["text"]) in old_text]
    if inside and not holders:
        return str(max(inside, key=lambda c: len(str(c["text"])))["passage_id"])
    return ""


def compare_passages(old: pd.DataFrame | None, new: pd.DataFrame, *, annotations: str | Path | None = None) -> PassageDiff:
    """Diff two passages tables (see the module docstring)."""
    diff = PassageDiff()
    if old is None or old.empty:
        diff.first_run = True
        diff.added = new[["passage_id", "doc_id", "section", "text"]].to_dict("records")
        old = pd.DataFrame(columns=new.columns)
    old_ids = set(old["passage_id"].astype(str))
    new_ids = set(new["passage_id"].astype(str))
    diff.unchanged = len(old_ids & new_ids)
    gone = old[~old["passage_id"].astype(str).isin(new_ids)]
    fresh = new[~new["passage_id"].astype(str).isin(old_ids)]
    if not diff.first_run:
        used: set[str] = set()
        key_cols = ["doc_id", "section", "speaker", "turn"]

        def key(row: dict) -> tuple:
            return tuple("" if pd.isna(row.get(c)) else str(row.get(c)) for c in key_cols)

        fresh_rows = fresh.to_dict("records")
        by_key: dict[tuple, list[dict]] = {}
        for r in fresh_rows:
            by_key.setdefault(key(r), []).append(r)
        for r in gone.to_dict("records"):
            cands = [c for c in by_key.get(key(r), []) if c["passage_id"] not in used and _similar(r["text"], c["text"])]
            if not cands:  # same document and speaker, neighbouring position, similar text
                seq = int(r["seq"]) if str(r.get("seq", "")).strip() else -1
                cands = [
                    c for c in fresh_rows
                    if c["doc_id"] == r["doc_id"] and c["passage_id"] not in used and abs(int(c["seq"]) - seq) <= 2
                    and str(c.get("speaker", "")) == str(r.get("speaker", "") or "") and _similar(r["text"], c["text"])
                ]
            if cands:
                c = cands[0]
                used.add(c["passage_id"])
                diff.changed.append({"old_id": r["passage_id"], "new_id": c["passage_id"], "doc_id": r["doc_id"],
                                     "section": r.get("section", ""), "old_text": r["text"], "new_text": c["text"]})
            else:
                diff.removed.append({"passage_id": r["passage_id"], "doc_id": r["doc_id"], "section": r.get("section", ""), "text": r["text"]})
        diff.added = [{"passage_id": c["passage_id"], "doc_id": c["doc_id"], "section": c.get("section", ""), "text": c["text"]}
                      for c in fresh_rows if c["passage_id"] not in used]
    ann = read_annotations(annotations)
    if not ann.empty:
        successor = {c["old_id"]: c["new_id"] for c in diff.changed}
        by_doc: dict[str, list[dict]] = {}  # the new passages (added or changed) per document
        for r in fresh.to_dict("records") if not diff.first_run else []:
            by_doc.setdefault(str(r["doc_id"]), []).append(r)
        for r in diff.removed:
            successor.setdefault(r["passage_id"], _contained_successor(str(r["text"]), by_doc.get(str(r["doc_id"]), [])))
        old_text = dict(zip(old["passage_id"].astype(str), old["text"].astype(str)))
        for r in ann.to_dict("records"):
            pid = str(r["passage_id"])
            if pid not in new_ids:
                diff.orphaned.append({**{k: ("" if pd.isna(v) else v) for k, v in r.items()},
                                      "old_text": old_text.get(pid, ""), "successor": successor.get(pid, "")})
    return diff


def _cell(value: object, width: int = 60) -> str:
    """One Markdown table cell: shortened, no line breaks, pipes escaped."""
    text = str(value).replace("\n", " ")
    if len(text) > width:
        text = text[: width - 1] + "…"
    return text.replace("|", "\\|")


def write_report(diff: PassageDiff, path: str | Path) -> None:
    """Write the report as Markdown (``.md``) or JSON (``.json``), atomically."""
    from textqca.io import write_text_atomic

    path = Path(path)
    if path.suffix.lower() == ".json":
        payload = {"first_run": diff.first_run, "unchanged": diff.unchanged, "added": diff.added, "removed": diff.removed,
                   "changed": diff.changed, "orphaned": diff.orphaned}
        write_text_atomic(json.dumps(payload, ensure_ascii=False, indent=1), path)
        return
    lines = ["# Re-ingestion report", ""]
    if diff.first_run:
        lines.append(f"First ingestion: {len(diff.added)} passages.")
    else:
        lines.append(f"{diff.unchanged} passages unchanged, {len(diff.changed)} changed, {len(diff.added)} added, {len(diff.removed)} removed.")
    lines += ["", f"## Orphaned human codes: {len(diff.orphaned)}", ""]
    if diff.orphaned:
        lines.append("These codes point at passages that no longer exist. They are kept in the annotation files; "
                     "re-attach them to the successor passage or recode.")
        lines.append("")
        lines.append("| file | passage_id | code | coder | successor | old text |")
        lines.append("|---|---|---|---|---|---|")
        for o in diff.orphaned:
            cells = (o.get("file", ""), o["passage_id"], o.get("code", ""), o.get("coder", ""), o["successor"], o["old_text"])
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    for title, rows, cols in (("Changed", diff.changed, ("old_id", "new_id", "section", "new_text")),
                              ("Removed", diff.removed, ("passage_id", "section", "text")),
                              ("Added", diff.added if not diff.first_run else [], ("passage_id", "section", "text"))):
        if rows:
            lines += ["", f"## {title}: {len(rows)}", "", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
            for r in rows:
                lines.append("| " + " | ".join(_cell(r.get(c, "")) for c in cols) + " |")
    write_text_atomic("\n".join(lines) + "\n", path)
