"""Reading and checking the case x condition table for QCA."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from textqca.errors import QCAError

__all__ = ["QCAData", "prepare", "read_table", "split_outcome"]

_EPS = 1e-12


@dataclass(frozen=True)
class QCAData:
    """Validated data for one analysis.

    ``x`` holds the condition scores (cases x conditions, float), ``y`` the
    outcome membership (already negated for ``~Y``), ``fuzzy`` which conditions
    are fuzzy and ``noflevels`` the number of levels of each crisp / multi-value
    condition (2 for fuzzy ones).
    """

    cases: tuple[str, ...]
    conditions: tuple[str, ...]
    x: np.ndarray
    y: np.ndarray
    fuzzy: tuple[bool, ...]
    noflevels: tuple[int, ...]
    outcome: str
    outcome_name: str
    negated: bool
    outcome_level: int | None

    @property
    def multivalue(self) -> bool:
        return any(n > 2 for n in self.noflevels)

    @property
    def outcome_label(self) -> str:
        """How the outcome prints: ``SURV``, ``~SURV`` or ``SURV[1]`` (multi-value data)."""
        if self.outcome_level is not None:
            return f"{self.outcome_name}[{self.outcome_level}]"
        if self.multivalue:
            return f"{self.outcome_name}[{0 if self.negated else 1}]"
        return ("~" if self.negated else "") + self.outcome_name


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV/TSV case table; the case names column (``case`` or ``case_id``, else
    the first column) becomes the index, read as text."""
    path = Path(path)
    if not path.is_file():
        raise QCAError("data file not found", path=path)
    sep = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    try:
        df = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, na_values=["", "NA"])
    except Exception as exc:  # pandas raises many types for unreadable files
        raise QCAError(f"cannot read the table: {exc}", path=path) from None
    if df.shape[1] < 2:
        raise QCAError("the table needs a case column and at least one other column", path=path)
    first = df.columns[0]
    key = "case" if "case" in df.columns else ("case_id" if "case_id" in df.columns else first)
    df = df.set_index(key)
    df.index = df.index.astype(str)
    for col in df.columns:
        conv = pd.to_numeric(df[col], errors="coerce")
        # keep text columns as text so that the error can name them later
        if conv.notna().sum() == df[col].notna().sum():
            df[col] = conv.astype(float)
    return df


def split_outcome(outcome: str) -> tuple[str, bool, int | None]:
    """``"~Y"`` -> ("Y", True, None); ``"Y[2]"`` -> ("Y", False, 2)."""
    text = str(outcome).strip()
    neg = text.startswith("~")
    if neg:
        text = text[1:].strip()
    level = None
    if text.endswith("]") and "[" in text:
        text, lev = text[:-1].split("[", 1)
        try:
            level = int(lev)
        except ValueError:
            raise QCAError(f"outcome {outcome!r}: the level in brackets must be a number") from None
    return text.strip(), neg, level


def _numeric_column(df: pd.DataFrame, col: str, role: str) -> np.ndarray:
    s = df[col]
    if s.isna().any():
        bad = list(df.index[s.isna()][:3])
        raise QCAError(
            f"Missing values in the data are not allowed: {role} {col!r} is empty for case(s) "
            f"{', '.join(map(str, bad))}; fill or drop them before the analysis"
        )
    if not pd.api.types.is_numeric_dtype(s):
        conv = pd.to_numeric(s, errors="coerce")
        bad = s[conv.isna()]
        raise QCAError(
            f"{role} {col!r} holds text ({str(bad.iloc[0])!r} for case {bad.index[0]!r}); "
            "calibrate it to numbers (0/1, levels or fuzzy scores) first"
        )
    return s.to_numpy(dtype=float)


def _index_hint(df: pd.DataFrame, col: str | None = None) -> str:
    """Why a column may seem lost: without a ``case`` column the first column holds the case
    names (``col``: only when that is the column asked for)."""
    name = df.index.name
    if name in (None, "case", "case_id") or (col is not None and name != col):
        return ""
    return f" (the first column, {name!r}, is read as the case names: add a 'case' column first)"


def prepare(data: pd.DataFrame, outcome: str, conditions: list[str] | tuple[str, ...]) -> QCAData:
    """Check the table and return a :class:`QCAData`.

    ``data`` is indexed by case name or has a ``case`` column.  Raises
    :class:`~textqca.errors.QCAError` (one line) for a missing outcome or
    condition, missing values, text columns and scores outside [0, 1] for fuzzy sets.
    """
    if not isinstance(data, pd.DataFrame):
        raise QCAError("data must be a table (pandas DataFrame) with one row per case")
    df = data
    if "case" in df.columns:
        df = df.set_index("case")
    if len(df) == 0:
        raise QCAError("the data table has no cases")
    dup = df.index[df.index.duplicated()]
    if len(dup):
        raise QCAError(f"case {str(dup[0])!r} appears more than once{_index_hint(df)}; case names must be unique (rename or merge the rows)")
    name, negated, level = split_outcome(outcome)
    if name not in df.columns:
        raise QCAError(f"outcome {name!r} is not a column of the data{_index_hint(df, name)}; columns: {', '.join(map(str, df.columns))}")
    conditions = list(conditions or [])
    if not conditions:
        conditions = [c for c in df.columns if c != name]
    for c in conditions:
        if c not in df.columns:
            raise QCAError(f"condition {c!r} is not a column of the data{_index_hint(df, c)}; columns: {', '.join(map(str, df.columns))}")
    if name in conditions:
        raise QCAError(f"{name!r} is both the outcome and a condition")
    if len(set(conditions)) != len(conditions):
        raise QCAError("a condition is named twice")
    x = np.column_stack([_numeric_column(df, c, "condition") for c in conditions]) if conditions else np.zeros((len(df), 0))
    yraw = _numeric_column(df, name, "outcome")
    fuzzy, nofl = [], []
    for j, c in enumerate(conditions):
        col = x[:, j]
        if np.any(col < 0):
            raise QCAError(f"condition {c!r} has negative values; use 0/1, levels 0,1,2.. or fuzzy scores in [0, 1]")
        isint = np.all(np.abs(col - np.round(col)) < _EPS)
        if isint:
            fuzzy.append(False)
            nofl.append(max(2, int(np.round(col.max())) + 1))
            x[:, j] = np.round(col)
        else:
            if np.any(col > 1):
                raise QCAError(f"condition {c!r} mixes fractions with values above 1; fuzzy scores must lie in [0, 1]")
            fuzzy.append(True)
            nofl.append(2)
    if level is not None:
        y = (np.abs(yraw - level) < _EPS).astype(float)
    else:
        if np.any(yraw < 0) or np.any(yraw > 1):
            raise QCAError(
                f"outcome {name!r} has values outside [0, 1]; give a level, e.g. {name}[2], for a multi-value outcome"
            )
        y = yraw.astype(float)
    if negated:
        y = 1.0 - y
    return QCAData(
        cases=tuple(str(i) for i in df.index),
        conditions=tuple(conditions),
        x=x,
        y=y,
        fuzzy=tuple(fuzzy),
        noflevels=tuple(nofl),
        outcome=str(outcome),
        outcome_name=name,
        negated=negated,
        outcome_level=level,
    )
