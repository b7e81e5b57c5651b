"""Fixtures for atlas tests: the packaged atlas, and a writable copy of its data directory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jingjinji.atlas import DATA_DIR, Atlas, load_atlas


@pytest.fixture(scope="session")
def atlas() -> Atlas:
    return load_atlas()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the packaged data directory that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target
