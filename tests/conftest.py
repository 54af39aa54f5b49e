"""Shared fixtures: the repo's sample dispatches and the dev corpus beside the repo."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "data" / "raw"
DEV = REPO.parent / "shared" / "corpus" / "dev"
DEV2 = REPO.parent / "shared" / "corpus" / "dev2"


@pytest.fixture(scope="session")
def dev_corpus() -> Path:
    """../shared/corpus/dev; tests that need it skip where it is absent."""
    if not DEV.is_dir():
        pytest.skip("../shared/corpus/dev is not present")
    return DEV


@pytest.fixture(scope="session")
def dev2_corpus() -> Path:
    """../shared/corpus/dev2 (never copied into the repo); skipped where it is absent."""
    if not DEV2.is_dir():
        pytest.skip("../shared/corpus/dev2 is not present")
    return DEV2
