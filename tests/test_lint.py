"""The code has no undefined names, unused imports or syntax errors (ruff's F and E9 rules,
configured in pyproject.toml): the kind of slip a refactoring leaves behind."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_no_errors():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise",
         "src", "benchmarks", "scripts", "tests", "conftest.py"],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
