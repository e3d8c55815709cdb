"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _find_shared() -> Path | None:
    env = os.environ.get("TEXTQCA_SHARED")
    candidates = [Path(env)] if env else []
    candidates += [REPO.parent / "shared", REPO / ".." / "shared"]
    for cand in candidates:
        if (cand / "framework.md").is_file():
            return cand.resolve()
    return None


SHARED = _find_shared()


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    """The project checkout (Snakefile, config/, codebook/, corpus/)."""
    return REPO


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only ``shared/`` folder beside the checkout (reference data for tests)."""
    if SHARED is None:
        pytest.fail("../shared not found beside the checkout; set TEXTQCA_SHARED to its path")
    return SHARED
