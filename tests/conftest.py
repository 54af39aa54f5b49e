"""Shared fixtures: the repo's sample dispatches and the dev corpus beside the repo."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "data" / "raw"
DEV = REPO.parent / "shared" / "corpus" / "dev"


@pytest.fixture(scope="session")
def dev_corpus() -> Path:
    """../shared/corpus/dev; tests that need it skip where it is absent."""
    if not DEV.is_dir():
        pytest.skip("../shared/corpus/dev is not present")
    return DEV
