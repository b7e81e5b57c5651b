"""The embedding model the platform uses, loaded once per test process (``make test`` makes it
first with ``jjj match distil``; alone, the first test to ask distils it, about 20 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jingjinji.atlas import load_atlas
from jingjinji.matching import StaticEmbedder, domain_terms, load_or_distil
from jingjinji.settings import Settings


@pytest.fixture(scope="session")
def embedder() -> StaticEmbedder:
    folder = Settings().model_dir
    assert not folder.is_absolute() and Path.cwd().joinpath(folder).parent.name == "var"
    return load_or_distil(folder, domain_terms(load_atlas()))
