"""The examples in the loop package's docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "jingjinji.loop.destinations",
    "jingjinji.loop.drafts",
    "jingjinji.loop.figures",
    "jingjinji.loop.presence",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
