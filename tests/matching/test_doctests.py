"""The doctests of the matching package."""

from __future__ import annotations

import doctest

import pytest

import jingjinji.matching as package
from jingjinji.market import listings
from jingjinji.matching import evaluation, fusion, index, scoring, text, token_cache


@pytest.mark.parametrize(
    "module", [package, evaluation, fusion, index, scoring, text, token_cache, listings]
)
def test_doctests(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.failed == 0
