"""Fixtures for the importer tests: paths to the shared real inputs (seed, samples)."""

from pathlib import Path

import pytest

# The repository's sibling folder `shared/` holds the seed and the samples (CI has it too).
REPO_ROOT = Path(__file__).resolve().parents[5]
SHARED = REPO_ROOT.parent / "shared"


@pytest.fixture
def seed_path() -> Path:
    return SHARED / "seed" / "000_2284f9ce5468ae96.txt"


@pytest.fixture
def samples_dir() -> Path:
    return SHARED / "samples"
