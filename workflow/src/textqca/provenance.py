"""Digests that tie results to the code and data that made them.

Snakemake reruns a job when its rule or script changes, not when the installed
library it calls changes.  Each rule therefore takes ``params: code=source_digest(...)``
over the parts of the package it depends on, so a fix in the library reruns exactly
what it affects.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["source_digest", "file_digest", "PACKAGE_DIR"]

PACKAGE_DIR = Path(__file__).resolve().parent
_LEAVES = ("__init__.py", "errors.py", "types.py", "io.py", "provenance.py", "runner.py", "config.py")
_SUFFIXES = {".py", ".json", ".yaml", ".yml", ".txt", ".css", ".html", ".js", ".xsd"}


def _files(part: str) -> list[Path]:
    path = PACKAGE_DIR / part
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in _SUFFIXES
                      and "__pycache__" not in p.parts)
    if path.suffix == "":
        path = path.with_suffix(".py")
    return [path] if path.is_file() else []


def source_digest(*parts: str) -> str:
    """SHA-256 (16 hex) over the package's leaf modules and the named modules or subpackages.

    ``source_digest("ingest", "segment")`` covers ``textqca/ingest(.py|/)``,
    ``textqca/segment(.py|/)`` and the leaves every stage imports.  With no parts, the
    whole package.
    """
    files: list[Path] = []
    if not parts:
        files = _files(".")
    else:
        for leaf in _LEAVES:
            files += _files(leaf)
        for part in parts:
            files += _files(part)
    digest = hashlib.sha256()
    for path in sorted(set(files)):
        digest.update(str(path.relative_to(PACKAGE_DIR)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def file_digest(path: str | Path, *, length: int = 16) -> str:
    """SHA-256 of a file's bytes (first ``length`` hex digits)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:length]
