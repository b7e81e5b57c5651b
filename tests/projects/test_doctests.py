"""The doctests of the project and policy modules run with the suite."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "jingjinji.projects.places",
    "jingjinji.projects.stats",
    "jingjinji.projects.cells",
    "jingjinji.policies.records",
    "jingjinji.policies.eligibility",
    "jingjinji.policies.search",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
