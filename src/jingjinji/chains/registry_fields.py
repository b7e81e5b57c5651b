"""Fields of a registry export read the way the registries write them.

登记状态 comes in many spellings (存续（在营、开业、在册）, 吊销，未注销 …) and is reduced to one
canonical status; 所属行业 may be a GB/T 4754-2017 code (``C3973``, ``3973``) or a name
(集成电路制造), possibly as a path (制造业-计算机、通信和其他电子设备制造业-集成电路制造), and
resolves to a code of the shipped classification.

>>> canonical_status("存续（在营、开业、在册）"), canonical_status("吊销，未注销")
('存续', '吊销')
>>> from jingjinji.atlas import load_atlas
>>> atlas = load_atlas()
>>> industry_code_of(atlas, "锂离子电池制造"), industry_code_of(atlas, "C3973 集成电路制造")
('C3841', 'C3973')
"""

from __future__ import annotations

import re
import unicodedata
import weakref

from jingjinji.atlas import Atlas

__all__ = [
    "CLOSED_STATUSES",
    "STATUSES",
    "IndustryError",
    "StatusError",
    "canonical_status",
    "industry_code_of",
    "is_closed",
    "with_section",
]

#: Canonical 登记状态, in the order a registry lists them.
STATUSES = ("存续", "迁入", "迁出", "停业", "清算", "注销", "吊销", "撤销", "责令关闭")
#: Statuses of an enterprise that no longer operates: stored, never counted on the chain map.
CLOSED_STATUSES = frozenset({"注销", "吊销", "撤销", "责令关闭"})
_STATUS_WORDS: tuple[tuple[str, str], ...] = (
    # most decisive first: 吊销，已注销 is 注销; 吊销，未注销 is 吊销
    ("已注销", "注销"),
    ("未注销", "吊销"),
    ("注销", "注销"),
    ("吊销", "吊销"),
    ("撤销", "撤销"),
    ("责令关闭", "责令关闭"),
    ("关闭", "责令关闭"),
    ("清算", "清算"),
    ("停业", "停业"),
    ("歇业", "停业"),
    ("迁出", "迁出"),
    ("迁入", "迁入"),
    ("存续", "存续"),
    ("在营", "存续"),
    ("在业", "存续"),
    ("开业", "存续"),
    ("在册", "存续"),
    ("正常", "存续"),
    ("有效", "存续"),
    ("登记成立", "存续"),
)
_CODE = re.compile(r"^([A-Ta-t])?\s*(\d{2,4})(?!\d)")


class StatusError(ValueError):
    """A 登记状态 the platform does not know; ``message_zh`` lists the accepted ones."""

    def __init__(self, text: str) -> None:
        super().__init__(f"unknown registration status {text!r}")
        self.message_zh = f"登记状态“{text}”无法识别（可用：{'、'.join(STATUSES)}）"


class IndustryError(ValueError):
    """An industry that is no code or name of GB/T 4754-2017."""

    def __init__(self, text: str) -> None:
        super().__init__(f"{text!r} is no GB/T 4754-2017 code or name")
        self.message_zh = f"行业“{text}”不是 GB/T 4754-2017 的代码或名称"


def canonical_status(text: str) -> str | None:
    """The canonical 登记状态 of a registry's wording, ``None`` for an empty cell;
    :class:`StatusError` when no known word is in it."""
    cleaned = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    if not cleaned or cleaned in ("-", "--", "—"):
        return None
    for word, status in _STATUS_WORDS:
        if word in cleaned:
            return status
    raise StatusError(text)


def is_closed(status: str | None) -> bool:
    """Whether an enterprise with this status is closed (注销, 吊销, 撤销, 责令关闭)."""
    return status in CLOSED_STATUSES


_NAMES: weakref.WeakKeyDictionary[Atlas, dict[str, str]] = weakref.WeakKeyDictionary()


def _codes_by_name(atlas: Atlas) -> dict[str, str]:
    """Name → code with section letter, the most specific level winning a shared name."""
    found = _NAMES.get(atlas)
    if found is None:
        found = {}
        for code, name in sorted(atlas.gbt4754.items(), key=lambda item: len(item[0])):
            found[_key(name)] = code if code.isalpha() else with_section(code)
        _NAMES[atlas] = found
    return found


def with_section(code: str) -> str:
    """A GB/T 4754-2017 code with its section letter: ``3973`` → ``C3973``, ``6520`` → ``I6520``."""
    return _SECTION_BY_DIVISION.get(code[:2], "") + code


def _key(name: str) -> str:
    return re.sub(r"[\s（）()]", "", unicodedata.normalize("NFKC", name))


def industry_code_of(atlas: Atlas, text: str) -> str | None:
    """The GB/T 4754-2017 code a cell names, with its section letter (``C3841``); ``None`` for
    an empty cell; :class:`IndustryError` when it is neither a known code nor a known name.

    A code may come with or without its letter and with the name after it; a name may be the
    last part of a path (``制造业-电气机械和器材制造业-锂离子电池制造``)."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    if not raw or raw in ("-", "--", "—"):
        return None
    match = _CODE.match(raw)
    if match:
        digits = match.group(2)
        if digits in atlas.gbt4754:
            return with_section(digits)
        raise IndustryError(text)
    names = _codes_by_name(atlas)
    for part in reversed([p for p in re.split(r"[-—>/|、,，;；]+|＞", raw) if p.strip()]):
        code = names.get(_key(part))
        if code is not None:
            return code
    whole = names.get(_key(raw))
    if whole is not None:
        return whole
    raise IndustryError(text)


#: GB/T 4754-2017 divisions (大类, two digits) by section (门类).
_SECTION_BY_DIVISION: dict[str, str] = {
    f"{division:02d}": section
    for section, first, last in (
        ("A", 1, 5),
        ("B", 6, 12),
        ("C", 13, 43),
        ("D", 44, 46),
        ("E", 47, 50),
        ("F", 51, 52),
        ("G", 53, 60),
        ("H", 61, 62),
        ("I", 63, 65),
        ("J", 66, 69),
        ("K", 70, 70),
        ("L", 71, 72),
        ("M", 73, 75),
        ("N", 76, 79),
        ("O", 80, 82),
        ("P", 83, 83),
        ("Q", 84, 85),
        ("R", 86, 90),
        ("S", 91, 96),
        ("T", 97, 97),
    )
    for division in range(first, last + 1)
}
