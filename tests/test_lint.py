"""The linter and the type checker, configured in pyproject.toml, pass on the code as it is."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_finds_nothing():
    result = _run("ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing():
    """On the packages pyproject.toml names (graph, loaders …), with the pydantic plugin."""
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
