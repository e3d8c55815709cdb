"""Term notation as R's QCA prints it, and the package's ordering of terms.

A *term* is a tuple with one integer code per condition: ``0`` = the condition is
absent from the term, ``v + 1`` = the literal "condition at level v" (so for a
binary condition ``1`` is ``~X`` and ``2`` is ``X``).  This is the coding of R's
implicant matrices, so sorting on it reproduces the package's orders.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from textqca.errors import QCAError

Term = tuple[int, ...]

__all__ = [
    "Term",
    "format_term",
    "format_expression",
    "parse_literal",
    "parse_term",
    "pi_sort_key",
    "sort_terms",
    "qmc_sort_terms",
]


def format_term(term: Term, names: Sequence[str], *, multivalue: bool) -> str:
    """``DEV*~IND`` (binary) or ``DEV[1]*IND[0]`` (as soon as any condition is multi-value)."""
    parts = []
    for code, name in zip(term, names):
        if code == 0:
            continue
        if multivalue:
            parts.append(f"{name}[{code - 1}]")
        else:
            parts.append(name if code == 2 else "~" + name)
    return "*".join(parts) if parts else "1"


def format_expression(terms: Iterable[str]) -> str:
    return " + ".join(terms)


# a condition name starts with a letter (any script: 信任, DEV), "_" or "."; then letters, digits, "_", "."
_LIT = re.compile(r"^\s*(~)?\s*((?:[^\W\d]|\.)[\w.]*)\s*(?:\[\s*([0-9,\s]+)\s*\])?\s*$")


def parse_literal(text: str, names: Sequence[str], noflevels: Sequence[int]) -> tuple[int, int]:
    """``X``, ``~X``, ``X[2]``, ``~X[1]`` (binary only) -> (condition position, code)."""
    m = _LIT.match(text)
    if not m:
        raise QCAError(f"cannot read the literal {text!r}; write X, ~X or X[level]")
    neg, name, level = m.group(1), m.group(2), m.group(3)
    if name not in names:
        raise QCAError(f"{text!r} names no condition; the conditions are {', '.join(names)}")
    j = list(names).index(name)
    nl = noflevels[j]
    if level is not None:
        try:
            v = int(level.strip())
        except ValueError:
            raise QCAError(f"{text!r}: give one level in brackets, e.g. {name}[1]") from None
        if v < 0 or v >= nl:
            raise QCAError(f"{text!r}: {name} has levels 0..{nl - 1}")
        if neg:
            if nl != 2:
                raise QCAError(f"{text!r}: negate a multi-value condition by naming its level")
            v = 1 - v
    else:
        if nl != 2:
            raise QCAError(f"{text!r}: {name} is multi-value; name the level, e.g. {name}[1]")
        v = 0 if neg else 1
    return j, v + 1


def parse_term(text: str, names: Sequence[str], noflevels: Sequence[int]) -> Term:
    """Parse a conjunction such as ``DEV*~IND`` or ``DEV[1]*STB[1]`` into a term."""
    codes = [0] * len(names)
    for lit in str(text).split("*"):
        j, c = parse_literal(lit, names, noflevels)
        if codes[j] not in (0, c):
            raise QCAError(f"{text!r} holds {names[j]} twice with different values")
        codes[j] = c
    return tuple(codes)


def pi_sort_key(term: Term) -> tuple:
    """admisc::sortExpressions: fewer literals first, then column by column
    (first condition most significant) with negated < present < higher levels
    and an absent condition sorting last."""
    big = 1 << 30
    return (sum(1 for c in term if c), tuple(c if c else big for c in term))


def sort_terms(terms: Iterable[Term]) -> list[Term]:
    return sorted(set(terms), key=pi_sort_key)


def qmc_sort_terms(terms: Iterable[Term]) -> list[Term]:
    """Order of PI lists that come out of QMC (complex and intermediate solutions):
    column by column, present before negated before absent.  Matches most of the
    package's lists; R's exact order is not reproducible in every case."""
    return sorted(set(terms), key=lambda t: tuple(-c for c in t))
