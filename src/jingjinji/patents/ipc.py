"""IPC symbols and the curated concordance from IPC groups to the atlas segments.

An IPC symbol (WIPO ST.8) is section, class, subclass, main group and subgroup:
``H01M 8/1004`` is section H, class 01, subclass M, main group 8, subgroup 1004. Exports
write it with or without spaces, in full-width characters, with a version suffix
(``H01M8/1004(2016.01)``) or several to a cell (``H01M8/10;H01M4/86``); all are read to the
compact form ``H01M8/1004``.

The concordance (``atlas/data/classification/ipc/<industry>.csv``: ipc, segment, basis,
note) names groups at three levels; a code falls under a row when

* the row is a subclass (``H01M``): the code is in that subclass;
* the row is a main group (``H01M8/00``): the code has that main group;
* the row is a subgroup (``H01M8/10``): same main group, and the code's subgroup digits
  start with the row's (``8/1004`` and ``8/1018`` under ``8/10``).

The prefix is an approximation of the IPC hierarchy, which is given by indentation (dots),
not by digits: ``G01N33/543`` lies under ``G01N33/53`` though its digits do not start with
``53``, and ``A61K39/395`` starts with ``39`` though it is not under ``A61K39/39``. The rows
are written with that in mind: such children are listed as rows of their own, and groups
whose prefix would catch unrelated siblings are left out.

``basis`` says which a row follows: ``IPC类目定义`` (the group's own title in the IPC is the
segment's technology) or ``领域整理`` (a curated judgement); a segment with no group has
one row ``不适用`` with the reason. The national 战略性新兴产业分类与国际专利分类参照关系表
(2021) could not be consulted offline, so no row claims to follow it.

>>> normalize_ipc("H01M 8/1004(2016.01)"), normalize_ipc("ｈ０１ｍ８／１０")
('H01M8/1004', 'H01M8/10')
>>> split_ipc("H01M8/10; H01M4/86 ，C25B1/04")
['H01M8/10', 'H01M4/86', 'C25B1/04']
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from jingjinji.atlas import Atlas

__all__ = [
    "BASES",
    "Concordance",
    "ConcordanceRow",
    "IpcError",
    "concordance_problems",
    "load_concordance",
    "normalize_ipc",
    "split_ipc",
]

#: The values of a concordance row's ``basis``.
BASES = ("IPC类目定义", "领域整理", "不适用")
_SYMBOL = re.compile(r"^([A-H])(\d{2})([A-Z])(?:(\d{1,4})(?:/(\d{2,6}))?)?$")
_CLEAN = re.compile(r"\s+|\(\d{4}\.\d{2}\)$|（\d{4}\.\d{2}）$")
_SPLIT = re.compile(r"[;；,，、|\n]+|\s{2,}|\s+(?=[A-H]\d{2}[A-Z])")


class IpcError(ValueError):
    """A text that is no IPC symbol; ``message_zh`` says so in Chinese."""

    def __init__(self, text: str) -> None:
        super().__init__(f"{text!r} is no IPC symbol (like H01M8/1004)")
        self.message_zh = f"“{text}”不是国际专利分类号（应如 H01M8/1004）"


@functools.lru_cache(maxsize=65536)
def normalize_ipc(text: str) -> str:
    """The compact form of an IPC symbol (``H01M8/1004``); a subclass (``H01M``) or a main
    group without subgroup (``H01M8`` → ``H01M8/00``) is accepted. Raises :class:`IpcError`."""
    compact = _CLEAN.sub("", unicodedata.normalize("NFKC", text).strip()).upper()
    compact = re.sub(r"\(\d{4}\.\d{2}\)$", "", compact)
    match = _SYMBOL.match(compact)
    if match is None:
        raise IpcError(text)
    section, klass, subclass, group, subgroup = match.groups()
    head = f"{section}{klass}{subclass}"
    if group is None:
        return head
    return f"{head}{int(group)}/{subgroup or '00'}"


def split_ipc(cell: str) -> list[str]:
    """Every IPC symbol of a cell, in order, each once (separators ``;；,，、|``, line breaks
    or a space before the next symbol). Raises :class:`IpcError` on the first bad one."""
    seen: dict[str, None] = {}
    for part in _SPLIT.split(unicodedata.normalize("NFKC", cell or "")):
        if part.strip():
            seen.setdefault(normalize_ipc(part), None)
    return list(seen)


@dataclass(frozen=True)
class ConcordanceRow:
    """One row of the concordance: ``ipc`` in compact form (``""`` for 不适用)."""

    ipc: str
    segment: str
    industry: str
    basis: str
    note: str
    file: str
    line: int

    @property
    def level(self) -> str:
        """``subclass``, ``group`` (main group, ``/00``) or ``subgroup``."""
        if "/" not in self.ipc:
            return "subclass"
        return "group" if self.ipc.endswith("/00") else "subgroup"


def _covers(row: str, code: str) -> bool:
    """Whether concordance symbol ``row`` covers the compact code ``code``."""
    if "/" not in row:
        return code[:4] == row
    row_group, row_sub = row.split("/")
    if "/" not in code:
        return False
    group, sub = code.split("/")
    if group != row_group:
        return False
    return row_sub == "00" or sub.startswith(row_sub)


class Concordance:
    """The concordance rows, looked up by code: :meth:`rows_for` gives the rows covering a
    code, most specific first (a cache keeps each distinct code's answer)."""

    def __init__(self, rows: Iterable[ConcordanceRow]) -> None:
        self.rows = tuple(rows)
        self._by_subclass: dict[str, list[ConcordanceRow]] = {}
        for row in self.rows:
            if row.ipc:
                self._by_subclass.setdefault(row.ipc[:4], []).append(row)
        self.rows_for = functools.lru_cache(maxsize=262144)(self._rows_for)

    def _rows_for(self, code: str) -> tuple[ConcordanceRow, ...]:
        found = [row for row in self._by_subclass.get(code[:4], ()) if _covers(row.ipc, code)]
        found.sort(key=lambda row: -len(row.ipc))
        return tuple(found)

    def segments(self) -> dict[str, list[ConcordanceRow]]:
        """Segment → its rows (``不适用`` rows included)."""
        result: dict[str, list[ConcordanceRow]] = {}
        for row in self.rows:
            result.setdefault(row.segment, []).append(row)
        return result


def _data_folder() -> Path:
    return Path(str(resources.files("jingjinji.atlas") / "data" / "classification" / "ipc"))


def read_rows(folder: Path | None = None) -> tuple[list[ConcordanceRow], list[str]]:
    """Every row of the concordance files and the problems met reading them (a malformed
    symbol, a row of the wrong width, an unknown basis), each naming file and line."""
    rows: list[ConcordanceRow] = []
    problems: list[str] = []
    for path in sorted((folder or _data_folder()).glob("*.csv")):
        reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8")))
        header = next(reader, [])
        if header != ["ipc", "segment", "basis", "note"]:
            problems.append(f"{path.name}: header is {header}, not ipc,segment,basis,note")
            continue
        for line, cells in enumerate(reader, start=2):
            if len(cells) != 4:
                problems.append(f"{path.name}:{line}: {len(cells)} fields, not 4")
                continue
            ipc, segment, basis, note = (cell.strip() for cell in cells)
            if basis not in BASES:
                problems.append(f"{path.name}:{line}: basis {basis!r} is not one of {BASES}")
                continue
            if basis == "不适用":
                if ipc or not note:
                    problems.append(f"{path.name}:{line}: 不适用 needs an empty ipc and a reason")
                    continue
                code = ""
            else:
                try:
                    code = normalize_ipc(ipc)
                except IpcError:
                    problems.append(f"{path.name}:{line}: {ipc!r} is no IPC symbol")
                    continue
                if code != ipc:
                    problems.append(f"{path.name}:{line}: write {ipc!r} as {code!r}")
            rows.append(ConcordanceRow(code, segment, path.stem, basis, note, path.name, line))
    return rows, problems


def concordance_problems(atlas: Atlas, folder: Path | None = None) -> list[str]:
    """What is wrong with the concordance against ``atlas``: the reading problems of
    :func:`read_rows`, unknown segments, a segment filed under another industry, a segment of
    an industry reached by no row (neither a group nor a 不适用 reason)."""
    rows, problems = read_rows(folder)
    known = {
        segment.slug: industry.slug
        for industry in atlas.industries
        for segment in industry.segments
    }
    reached = set()
    for row in rows:
        if row.segment not in known:
            problems.append(f"{row.file}:{row.line}: unknown segment {row.segment!r}")
        elif known[row.segment] != row.industry:
            problems.append(f"{row.file}:{row.line}: {row.segment} is not of {row.industry}")
        reached.add(row.segment)
    for slug in sorted(set(known) - reached):
        problems.append(f"segment {slug} ({known[slug]}) is reached by no IPC group")
    return problems


@functools.lru_cache(maxsize=4)
def _load(folder: str) -> Concordance:
    rows, problems = read_rows(Path(folder))
    if problems:
        raise ValueError("IPC concordance: " + "; ".join(problems[:5]))
    return Concordance(rows)


def load_concordance(folder: Path | None = None) -> Concordance:
    """The packaged concordance (or that of ``folder``), read once; raises ``ValueError``
    when a file is malformed (the atlas validation test keeps the shipped files clean)."""
    return _load(str(folder or _data_folder()))
