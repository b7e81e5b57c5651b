"""The unified social credit code (统一社会信用代码) of GB 32100-2015.

Eighteen characters from the 31-character set ``0-9A-HJ-NPQRTUWXY`` (no I, O, Z, S, V):
position 1 the registering authority, 2 the organization category, 3–8 the adcode of the
registering place, 9–17 the organization code (GB 11714), 18 the check character::

    C18 = 31 - (Σ_{i=1..17} C_i · W_i  mod 31),   W_i = 3^(i-1) mod 31,

with ``C18 = 0`` when the difference is 31 (GB 32100-2015, clause 5 and appendix B).

>>> is_valid_credit_code("91350100M000100Y43")
True
>>> check_character("91350100M000100Y4")
'3'
"""

from __future__ import annotations

import re

__all__ = [
    "CREDIT_CODE_CHARSET",
    "CreditCodeError",
    "check_character",
    "credit_code_problem",
    "is_valid_credit_code",
    "normalize_credit_code",
    "organization_check_character",
]

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {char: index for index, char in enumerate(CREDIT_CODE_CHARSET)}
_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, ...
_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


class CreditCodeError(ValueError):
    """A malformed credit code; ``message_zh`` says why in Chinese."""

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message_zh = message_zh


def normalize_credit_code(raw: str) -> str:
    """Upper case without spaces or full-width characters (``９１…`` → ``91…``)."""
    import unicodedata

    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw)).upper()


def check_character(first17: str) -> str:
    """The GB 32100-2015 check character of the first 17 characters.

    Raises :class:`KeyError` naming a character outside the code's character set.
    """
    if len(first17) != 17:
        raise ValueError(f"need 17 characters, got {len(first17)}")
    total = sum(_VALUE[char] * weight for char, weight in zip(first17, _WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def organization_check_character(first8: str) -> str:
    """The GB 11714-1997 check character of an organization code body (position 17).

    C9 = 11 - (Σ C_i · W_i mod 11), W = 3, 7, 9, 10, 5, 8, 4, 2; 10 is written ``X``, 11 ``0``.
    Letters count as 10 + their alphabet index (A = 10, …, Z = 35).
    """
    total = 0
    for char, weight in zip(first8, _ORG_WEIGHTS, strict=True):
        value = int(char) if char.isdigit() else ord(char) - ord("A") + 10
        total += value * weight
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def credit_code_problem(code: str) -> CreditCodeError | None:
    """Why ``code`` (already normalised) is not a valid credit code, or ``None``."""
    if len(code) != 18:
        return CreditCodeError(
            f"credit code must have 18 characters, got {len(code)}",
            f"统一社会信用代码应为 18 位，实际 {len(code)} 位",
        )
    if not _SHAPE.match(code):
        bad = next(char for char in code if char not in _VALUE)
        return CreditCodeError(
            f"credit code contains {bad!r}, not allowed by GB 32100-2015",
            f"统一社会信用代码含有不允许的字符“{bad}”（不使用 I、O、Z、S、V）",
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        return CreditCodeError(
            f"check character is {code[17]!r}, expected {expected!r} (GB 32100-2015)",
            f"统一社会信用代码校验位错误：应为“{expected}”，实为“{code[17]}”",
        )
    return None


def is_valid_credit_code(code: str) -> bool:
    """Whether ``code`` passes the GB 32100-2015 shape and check-character test."""
    return credit_code_problem(normalize_credit_code(code)) is None
