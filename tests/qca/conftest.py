from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def refs_dir(shared_dir: Path) -> Path:
    return shared_dir / "qca-refs"
