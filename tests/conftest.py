"""Fixtures shared by the whole suite."""

from __future__ import annotations

import importlib.util
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


# The findings fixture study (tests/data/findings), shared by tests/analysis and tests/report.
_SPEC = importlib.util.spec_from_file_location("findings_project", REPO / "tests" / "data" / "findings" / "project.py")
findings_project = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(findings_project)

#: a small robustness grid keeps the suite fast (2 x 2 x 1 runs, 8 resamples)
FAST = {"robustness": {"crossover_shift": [-0.1, 0.1], "anchor_scale": [1.0], "incl_cut": [0.75, 0.85],
                       "n_cut": [1], "resamples": 8, "seed": 3}}


@pytest.fixture(scope="session")
def fp():
    """The helper module of the findings fixture study (make_project, load_config, run)."""
    return findings_project


@pytest.fixture(scope="session")
def analysed(tmp_path_factory):
    """(project folder, results folder, config) of the fixture study, analysed once with the repo's config."""
    proj = findings_project.make_project(tmp_path_factory.mktemp("findings"))
    cfg = findings_project.load_config(**FAST)
    res = findings_project.run(proj, cfg)
    return proj, res, cfg
