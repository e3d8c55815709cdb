"""Run one library step on behalf of a workflow rule or script.

The Snakemake scripts in ``workflow/scripts/`` are thin adapters::

    from textqca.runner import run_step
    from textqca.ingest import ingest_to_files
    run_step(ingest_to_files, log=snakemake.log[0], corpus=snakemake.input.corpus, ...)

``run_step`` sends log records of the step to the rule's log file and turns a
:class:`~textqca.errors.TextQCAError` into one line on stderr (and in the log) and exit
status 1, so a researcher sees what to fix, not a traceback.  This module does not
import snakemake.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textqca.errors import TextQCAError

__all__ = ["run_step"]


def run_step(func: Callable[..., Any], /, *, log: str | Path | None = None, **kwargs: Any) -> Any:
    """Call ``func(**kwargs)`` with logging to ``log``; exit 1 with one line on a user error."""
    handler: logging.Handler
    if log:
        Path(log).parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log, mode="w", encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("textqca")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        return func(**kwargs)
    except TextQCAError as exc:
        line = f"textqca: error: {exc}"
        root.error(line)
        print(line, file=sys.stderr)
        sys.exit(1)
    finally:
        root.removeHandler(handler)
        handler.close()
