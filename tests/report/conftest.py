"""Fixtures: the findings fixture project (tests/data/findings) built and analysed once."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "findings_project", Path(__file__).resolve().parents[1] / "data" / "findings" / "project.py")
findings_project = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(findings_project)

#: a small robustness grid keeps the suite fast (2 x 2 x 1 runs, 8 resamples)
FAST = {"robustness": {"crossover_shift": [-0.1, 0.1], "anchor_scale": [1.0], "incl_cut": [0.75, 0.85],
                       "n_cut": [1], "resamples": 8, "seed": 3}}


@pytest.fixture(scope="session")
def fp():
    """The helper module (make_project, load_config, run)."""
    return findings_project


@pytest.fixture(scope="session")
def analysed(tmp_path_factory):
    """(project folder, results folder, config) of the fixture study, analysed with the repo's config."""
    proj = findings_project.make_project(tmp_path_factory.mktemp("findings"))
    cfg = findings_project.load_config(**FAST)
    res = findings_project.run(proj, cfg)
    return proj, res, cfg
