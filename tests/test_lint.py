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


def test_no_runtime_data_is_tracked_by_git():
    """Databases, huey's queue, uploads and secret keys live in a ``var/`` folder beside where
    ``taizhang`` runs; none of it belongs in the repository (a secret key in git is a leak)."""
    import pytest

    result = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.skip("not a git checkout: " + result.stderr.strip())
    tracked = result.stdout.splitlines()
    assert len(tracked) > 100
    runtime = [path for path in tracked
               if "var" in Path(path).parts or path.endswith((".sqlite3", "secret_key"))]
    assert runtime == []


def test_no_third_party_front_end_code_is_tracked_by_git():
    """htmx, Tabler and ECharts come from the npm registry (package-lock.json) and are copied by
    ``scripts/vendor_assets.py`` into the git-ignored ``src/taizhang/static/``: none of their
    files (nor any minified bundle) belongs in the repository."""
    import pytest

    result = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.skip("not a git checkout: " + result.stderr.strip())
    tracked = result.stdout.splitlines()
    assert len(tracked) > 100
    third_party = [path for path in tracked if path.startswith(("src/taizhang/static/", "node_modules/"))
                   or path.endswith((".min.js", ".min.css", ".js.map", ".css.map"))]
    assert third_party == []
