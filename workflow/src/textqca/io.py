"""Reading and writing the plain tables stages exchange (CSV, TSV, Parquet), atomically.

Every writer here writes to a temporary file in the destination folder and renames it
into place, so a failed or interrupted run never leaves a half-written result.  Readers
keep empty cells as empty strings in text columns (``keep_default_na=False``), so a
passage whose text is ``NA`` or ``无`` stays text.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from textqca.errors import TextQCAError

__all__ = ["read_table", "write_table", "table_writer", "atomic_path", "atomic_dir", "write_text_atomic", "table_format"]

_FORMATS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".txt": "tsv", ".parquet": "parquet", ".pq": "parquet"}


def table_format(path: str | os.PathLike[str]) -> str:
    """``csv``, ``tsv`` or ``parquet`` from the file suffix; a clear error otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix not in _FORMATS:
        raise TextQCAError(
            f"unknown table format '{suffix or '(none)'}'; use .csv, .tsv or .parquet", path=path
        )
    return _FORMATS[suffix]


def read_table(path: str | os.PathLike[str], *, dtype: Any = None, required: list[str] | tuple[str, ...] = (), **kwargs: Any) -> pd.DataFrame:
    """Read a .csv, .tsv or .parquet table.

    ``required`` names columns that must be present (a one-line error names the missing
    ones).  Extra keyword arguments go to :func:`pandas.read_csv` / :func:`pandas.read_parquet`.
    """
    path = Path(path)
    fmt = table_format(path)
    if not path.is_file():
        raise TextQCAError("file not found", path=path)
    try:
        if fmt == "parquet":
            df = pd.read_parquet(path, **kwargs)
            if dtype is not None:
                df = df.astype(dtype)
        else:
            kwargs.setdefault("keep_default_na", False)
            sep = "\t" if fmt == "tsv" else ","
            try:
                df = pd.read_csv(path, sep=sep, dtype=dtype, encoding=kwargs.pop("encoding", "utf-8-sig"), **kwargs)
            except UnicodeDecodeError:
                # Excel on Chinese Windows saves CSV as GBK: read it, but say so
                df = pd.read_csv(path, sep=sep, dtype=dtype, encoding="gb18030", **kwargs)
                logging.getLogger("textqca").warning("%s: not UTF-8, read as GB18030; save it as UTF-8 to be safe", path)
    except UnicodeDecodeError as exc:
        raise TextQCAError(f"cannot read table: not UTF-8 or GB18030 text ({exc}); save it as UTF-8", path=path) from exc
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise TextQCAError(f"cannot read table: {exc}", path=path) from exc
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise TextQCAError(
            f"missing column(s) {', '.join(missing)}; found {', '.join(map(str, df.columns))}", path=path
        )
    return df


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success rename it onto ``path``, else delete it."""
    path = Path(path)
    if path.is_dir():
        raise TextQCAError("is a folder: give the name of the file to write", path=path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        blocker = next((a for a in path.parents if a.exists()), None)
        why = f"{blocker} is a file, not a folder" if blocker is not None and not blocker.is_dir() else exc.strerror or str(exc)
        raise TextQCAError(f"cannot write here ({why})", path=path) from None
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file normal permissions
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text_atomic(text: str, path: str | os.PathLike[str]) -> None:
    """Write ``text`` as UTF-8 with LF line endings, atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")


def write_table(df: pd.DataFrame, path: str | os.PathLike[str], **kwargs: Any) -> None:
    """Write ``df`` as .csv (UTF-8), .tsv or .parquet by suffix, without the index, atomically."""
    fmt = table_format(path)
    with atomic_path(path) as tmp:
        if fmt == "parquet":
            df.to_parquet(tmp, index=False, **kwargs)
        else:
            df.to_csv(tmp, sep="\t" if fmt == "tsv" else ",", index=False, encoding="utf-8", lineterminator="\n", **kwargs)


class _TableWriter:
    """Appends DataFrame chunks to one .csv/.tsv/.parquet file (see :func:`table_writer`)."""

    def __init__(self, tmp: Path, fmt: str):
        self._tmp, self._fmt = tmp, fmt
        self._fh: Any = None
        self._pq: Any = None
        self._schema: Any = None
        self.rows = 0

    def write(self, df: pd.DataFrame) -> None:
        if self._fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(df, schema=self._schema, preserve_index=False)
            if self._pq is None:
                self._schema = table.schema
                self._pq = pq.ParquetWriter(self._tmp, self._schema)
            self._pq.write_table(table)
        else:
            if self._fh is None:
                self._fh = open(self._tmp, "w", encoding="utf-8", newline="")
                header = True
            else:
                header = False
            df.to_csv(self._fh, sep="\t" if self._fmt == "tsv" else ",", index=False, header=header, lineterminator="\n")
        self.rows += len(df)

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            if self._pq is not None:
                self._pq.close()
            if self._fh is not None:
                self._fh.close()

    def close(self, empty: pd.DataFrame) -> None:
        if self.rows == 0:
            self.write(empty)
        if self._pq is not None:
            self._pq.close()
        if self._fh is not None:
            self._fh.close()


@contextlib.contextmanager
def table_writer(path: str | os.PathLike[str], *, columns: list[str]) -> Iterator[_TableWriter]:
    """Write a table chunk by chunk (``writer.write(df)``), in bounded memory, atomically.

    The file appears at ``path`` only when the block ends without an error; an empty
    table still gets its header (``columns``).
    """
    fmt = table_format(path)
    with atomic_path(path) as tmp:
        writer = _TableWriter(tmp, fmt)
        try:
            yield writer
        except BaseException:
            writer.abort()
            raise
        writer.close(pd.DataFrame(columns=columns))


@contextlib.contextmanager
def atomic_dir(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary folder next to ``path``; on success it replaces ``path`` as a whole."""
    import shutil

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())
        old = None
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=path.parent))
            os.rmdir(old)
            os.replace(path, old)
        os.replace(tmp, path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
