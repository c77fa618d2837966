"""Fixtures for the importer tests: paths to the shared real inputs (seed, samples).

They exist only beside the project (``../shared``, here and in CI): a test using them skips
with the reason without them, and fails under ``.ci/run`` (root ``conftest.require_shared``)."""

from pathlib import Path

import pytest

from conftest import SHARED, require_shared

SEED = SHARED / "seed" / "000_2284f9ce5468ae96.txt"


@pytest.fixture
def seed_path() -> Path:
    return require_shared(SEED)


@pytest.fixture
def samples_dir() -> Path:
    return require_shared(SHARED / "samples")
