"""The formulas' doctests run with the suite."""

import doctest
import importlib

import pytest

MODULES = [
    "aggregate",
    "coupling",
    "disparity",
    "growth",
    "normalize",
    "obstacle",
    "places",
    "structure",
    "weights",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(f"jingjinji.indicators.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
