"""GB 32100-2015 check character on real-format codes."""

from __future__ import annotations

import pytest

from jingjinji.chains.credit_code import (
    check_character,
    credit_code_problem,
    is_valid_credit_code,
    normalize_credit_code,
    organization_check_character,
)

# Published codes of well-known enterprises (real format), and the standard's example.
VALID = ["914403001922038216", "91110000802100433B", "91330100799655058B", "91350100M000100Y43"]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes(code: str) -> None:
    assert is_valid_credit_code(code)
    assert check_character(code[:17]) == code[17]
    assert organization_check_character(code[8:16]) == code[16]


def test_wrong_check_character_names_the_expected_one() -> None:
    problem = credit_code_problem("914403001922038217")
    assert problem is not None and "'6'" in str(problem) and "校验位" in problem.message_zh


@pytest.mark.parametrize("code", ["91440300192203821", "9144030019220382I6", "91440300192203821O"])
def test_bad_shapes(code: str) -> None:
    assert not is_valid_credit_code(code)


def test_normalisation() -> None:
    assert normalize_credit_code(" ９１４４０３００１９２２０３８２１６ ") == VALID[0]
    assert is_valid_credit_code("91110000802100433b")
