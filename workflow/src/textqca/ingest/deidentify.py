"""De-identification of interview text: phone, ID-card, bank-card numbers, e-mails, listed names.

Applied to the decoded text before normalisation, so nothing downstream (canonical text,
passages, models, reports) ever sees the original.  Replacements are consistent: the
same name always becomes the same pseudonym (``张建国`` -> ``受访者A`` everywhere).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from textqca.errors import CorpusError

__all__ = ["deidentify_text", "read_pseudonyms"]

_PATTERNS = (
    ("[邮箱]", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")),
    ("[身份证号]", re.compile(
        r"(?<![0-9])[1-9]\d{5}(?:(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx]"  # 18 digits
        r"|\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})(?![0-9Xx])"  # the old 15-digit numbers
    )),
    ("[银行卡号]", re.compile(r"(?<![0-9])(?:62|4\d|5[1-5])\d{2}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?(?![0-9])")),
    ("[手机号]", re.compile(r"(?<![0-9])(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![0-9])")),
    ("[电话]", re.compile(r"(?<![0-9])0\d{2,3}-\d{7,8}(?![0-9])")),
)


def read_pseudonyms(path: str | Path, *, case_id: str | None = None) -> dict[str, str]:
    """Read a pseudonym table (``name, pseudonym`` [, ``case_id``]; .tsv or .csv)."""
    from textqca.io import read_table

    df = read_table(path, dtype=str, required=("name", "pseudonym"))
    if case_id is not None and "case_id" in df.columns:
        df = df[(df["case_id"] == case_id) | (df["case_id"] == "")]
    out: dict[str, str] = {}
    for i, (name, alias) in enumerate(zip(df["name"], df["pseudonym"]), start=2):
        name, alias = str(name).strip(), str(alias).strip()
        if not name or not alias:
            raise CorpusError("empty name or pseudonym", path=path, where=f"line {i}")
        if out.get(name, alias) != alias:
            raise CorpusError(f"name '{name}' has two pseudonyms ({out[name]}, {alias})", path=path, where=f"line {i}")
        out[name] = alias
    return out


def deidentify_text(text: str, *, pseudonyms: Mapping[str, str] | None = None) -> tuple[str, dict[str, int]]:
    """Return the de-identified text and counts of replacements by kind."""
    counts: dict[str, int] = {}
    if pseudonyms:
        names = sorted(pseudonyms, key=len, reverse=True)  # longest first: 张建国 before 张建
        rx = re.compile("|".join(re.escape(n) for n in names))
        text, n = rx.subn(lambda m: pseudonyms[m.group()], text)
        counts["name"] = n
    for label, rx in _PATTERNS:
        text, n = rx.subn(label, text)
        if n:
            counts[label.strip("[]")] = n
    return text, counts
