"""The chain modules' doctests run with the suite."""

import doctest
import importlib

import pytest

MODULES = ["classify", "coverage", "credit_code", "places", "relatedness", "sample"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(f"jingjinji.chains.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
