"""Statistics panels: validated tables of (place, year, indicator, value), completed on the
full grid with stated fill rules and hashed for reproducibility; read from CSV/XLSX by
:mod:`jingjinji.indicators.panel_read` (``read_panel``, re-exported here).

A panel is long (columns place, year, indicator, value) or wide (place, year and one column
per indicator). Places may be adcodes or Chinese names, matched through a resolver (the
atlas by default). Every problem is reported with file, sheet, row and column, in English
and in Chinese (``message_zh``).
"""

from __future__ import annotations

import ctypes
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from jingjinji.indicators.places import place_name

__all__ = ["FILL_RULES", "Panel", "PanelError", "PanelProblem", "read_panel"]  # read_panel: below

FILL_RULES = ("linear", "ffill")
_MAX_PROBLEMS = 50
_MISSING_MARKS = {"", "-", "—", "–", "…", "...", "na", "n/a", "nan", "null", "none"}
_HEADERS = {
    "place": {
        "place",
        "地区",
        "地区名称",
        "城市",
        "省份",
        "省份名称",
        "adcode",
        "行政区划代码",
        "region",
        "city",
        "province",
        "地方",
    },
    "year": {"year", "年份", "年", "年度"},
    "indicator": {"indicator", "指标", "指标名称", "指标代码"},
    "value": {"value", "数值", "值", "指标值"},
}
_IGNORED_WIDE = {
    "name",
    "place_name",
    "名称",
    "地区名称",
    "备注",
    "note",
    "notes",
    "source",
    "来源",
}


@dataclass(frozen=True)
class PanelProblem:
    """One problem in a panel file."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str
    message_zh: str

    def _where(self, sheet: str, row: str, column: str, sep: str) -> str:
        parts = [self.file]
        for value, form in ((self.sheet, sheet), (self.row, row), (self.column, column)):
            if value is not None:
                parts.append(form.format(value))
        return sep.join(parts)

    def where(self) -> str:
        """The location in English: the file, then sheet, row and column where known."""
        return self._where("sheet {!r}", "row {}", "column {!r}", ", ")

    def where_zh(self) -> str:
        """The location in Chinese, for users: 文件，工作表，第 n 行，列."""
        return self._where("工作表“{}”", "第 {} 行", "“{}”列", "，")

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"


class PanelError(ValueError):
    """A panel cannot be used. ``problems`` lists each problem; the attributes ``file``,
    ``sheet``, ``row``, ``column`` and ``message_zh`` describe the first one."""

    def __init__(self, problems: list[PanelProblem]) -> None:
        if not problems:
            raise ValueError("PanelError needs at least one problem")
        self.problems = problems
        first = problems[0]
        self.file, self.sheet, self.row, self.column = (
            first.file,
            first.sheet,
            first.row,
            first.column,
        )
        more = len(problems) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        tail_zh = f"（另有 {more} 处问题）" if more else ""
        self.message_zh = f"{first.where_zh()}：{first.message_zh}{tail_zh}"
        super().__init__(str(first) + tail)


@dataclass(frozen=True)
class Panel:
    """A validated panel in long form.

    ``data`` has the columns ``place`` (code), ``year`` (int), ``indicator`` (id) and
    ``value`` (float, NaN where missing). ``names`` maps codes to display names;
    ``is_sample`` marks generated sample data (示例数据); ``filled`` lists the cells a fill
    rule supplied.
    """

    data: pd.DataFrame
    names: Mapping[str, str] = field(default_factory=dict)
    source: str = ""
    provenance: str = ""
    is_sample: bool = False
    filled: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["place", "year", "indicator", "rule"])
    )

    @property
    def places(self) -> list[str]:
        return _labels(self.data["place"])

    @property
    def years(self) -> list[int]:
        return [int(y) for y in _labels(self.data["year"])]

    @property
    def indicators(self) -> list[str]:
        return _labels(self.data["indicator"])

    def name(self, place: str) -> str:
        return self.names.get(place) or place_name(place)

    def _cells(self) -> _Cells:
        """The cells of ``data`` as codes, made once per panel (a panel is not changed)."""
        cells: _Cells | None = self.__dict__.get("_cells_cache")
        if cells is None:
            cells = _Cells.of(self.data)
            object.__setattr__(self, "_cells_cache", cells)
        return cells

    def wide(self, indicators: Iterable[str] | None = None) -> pd.DataFrame:
        """Place-years as rows (MultiIndex place, year, sorted), indicators as columns.

        The rows are the (place, year) pairs that occur in ``data``; the columns are the
        sorted indicator ids, or ``indicators`` in their order (an indicator without data is
        a column of NaN). A (place, year, indicator) given twice raises ``ValueError``.
        """
        cells = self._cells()
        n_years = len(cells.years)
        pairs = cells.place * n_years + cells.year
        seen = np.bincount(pairs, minlength=len(cells.places) * n_years) > 0
        present = np.flatnonzero(seen)
        rows = (np.cumsum(seen) - 1)[pairs]
        columns = cells.indicators if indicators is None else pd.Index(list(indicators))
        table = cells.matrix(rows, len(present), columns)
        index = pd.MultiIndex.from_arrays(
            [cells.places.take(present // n_years), cells.years.take(present % n_years)],
            names=["place", "year"],
        )
        return pd.DataFrame(table, index=index, columns=columns)

    def select(
        self,
        *,
        places: Iterable[str] | None = None,
        years: Iterable[int] | None = None,
        indicators: Iterable[str] | None = None,
    ) -> Panel:
        """A sub-panel."""
        mask = pd.Series(True, index=self.data.index)
        if places is not None:
            mask &= self.data["place"].isin(list(places))
        if years is not None:
            mask &= self.data["year"].isin([int(y) for y in years])
        if indicators is not None:
            mask &= self.data["indicator"].isin(list(indicators))
        return replace(self, data=self.data[mask].reset_index(drop=True))

    def complete(self, indicators: Iterable[str] | None = None, fill: str | None = None) -> Panel:
        """The panel on the full grid places x years x ``indicators``, gaps filled by ``fill``.

        ``fill=None`` refuses any gap; ``"linear"`` interpolates linearly in the year within
        each place and indicator (interior gaps only); ``"ffill"`` carries the last observed
        value of the place forward. Gaps a rule cannot fill (e.g. before the first
        observation) stay errors. Raises ``PanelError`` naming every missing cell (the
        first 50). The result's rows are sorted by place, year and then ``indicators`` in
        their order; ``filled`` gains one row per cell the rule supplied.
        """
        if fill is not None and fill not in FILL_RULES:
            raise ValueError(f"fill must be None or one of {', '.join(FILL_RULES)}, got {fill!r}")
        if indicators is not None:
            indicators = list(indicators)
            if getattr(self, "_complete_for", None) == tuple(indicators):
                return self  # completed on these already (by read_panel, say): no gap is left
        cells = self._cells()
        wanted = list(indicators) if indicators is not None else cells.indicators.tolist()
        present = set(cells.indicators.tolist())
        absent = [i for i in wanted if i not in present]
        if absent:
            raise PanelError(
                [
                    PanelProblem(
                        self.source or "panel",
                        None,
                        None,
                        None,
                        f"indicator {i!r} of the system is not in the panel",
                        f"面板缺少指标体系中的指标“{i}”",
                    )
                    for i in absent
                ]
            )
        columns = pd.Index(wanted)
        n_places, n_years, n_cols = len(cells.places), len(cells.years), len(columns)
        rows = cells.place * n_years + cells.year
        table = cells.matrix(rows, n_places * n_years, columns)
        before = np.isnan(table)
        if fill is not None and before.any():
            cube = table.reshape(n_places, n_years, n_cols)
            years = cells.years.to_numpy(dtype=float)
            cube = _fill_linear(cube, years) if fill == "linear" else _fill_forward(cube)
            table = cube.reshape(n_places * n_years, n_cols)
        still = np.isnan(table)
        if still.any():
            raise PanelError(self._gaps(cells, columns, still, fill))
        filled = cells.labels(np.flatnonzero(before & ~still), columns)
        filled["rule"] = [fill or ""] * len(filled)
        if not len(filled):
            filled = pd.DataFrame(columns=["place", "year", "indicator", "rule"])
        in_order = cells.in_order(self.data, rows, columns)
        if in_order:
            long = self.data.assign(value=table.ravel())  # already the grid, in order
        else:
            long = cells.labels(np.arange(table.size), columns)
            long["value"] = table.ravel()
        done = replace(
            self,
            data=long,
            filled=pd.concat([self.filled, filled], ignore_index=True)
            if len(self.filled)
            else filled,
        )
        if in_order:  # the same cells, with the filled values
            object.__setattr__(done, "_cells_cache", replace(cells, values=table.ravel()))
        object.__setattr__(done, "_complete_for", tuple(columns))
        return done

    def _gaps(
        self, cells: _Cells, columns: pd.Index, missing: np.ndarray, fill: str | None
    ) -> list[PanelProblem]:
        """A problem for each of the first 50 missing cells, in row-major order."""
        problems = []
        located = cells.labels(np.flatnonzero(missing)[:_MAX_PROBLEMS], columns)
        for place, year, indicator in located.itertuples(index=False):
            problems.append(
                PanelProblem(
                    self.source or "panel",
                    None,
                    None,
                    str(indicator),
                    f"no value for {self.name(place)} ({place}) in {year}"
                    + ("" if fill else "; choose fill='linear' or fill='ffill' to fill gaps"),
                    f"{self.name(place)}（{place}）{year} 年缺少数值"
                    + ("" if fill else "；可选择线性插值或向前填充"),
                )
            )
        return problems

    def digest(self) -> str:
        """SHA-256 of the panel's content: the reproducibility key of a result.

        Canonical and independent of row order, column dtypes and the platform: only the
        cells (place, year, indicator, value) count, not ``names``, ``source`` or
        ``filled``. The hashed bytes (format ``jingjinji.panel.v2``) are:

        1. ``b"jingjinji.panel.v2\\n"``;
        2. the sorted distinct place codes, then the sorted distinct indicator ids, each
           list as its count, the UTF-8 length of every string and then their UTF-8 bytes
           (counts and lengths as unsigned 64-bit little-endian integers); then the count
           of the sorted distinct years (u64 LE) and the years as signed 64-bit LE;
        3. the number of rows (u64 LE), and then, with the rows sorted by place, year and
           indicator (a cell given twice: by the bits of its value, as an unsigned
           integer), four columns: the position of each row's place, year and indicator
           in those sorted lists (u32 LE each) and its value as IEEE 754 binary64
           little-endian, with every NaN as the quiet NaN ``0x7ff8000000000000`` and -0.0
           as 0.0.

        Values are hashed exactly: two panels differing in the last bit of a value differ.
        """
        cells = self._cells()
        values = np.where(np.isnan(cells.values), np.nan, cells.values + 0.0)
        bits = values.view(np.uint64)
        key = (cells.place * len(cells.years) + cells.year) * len(cells.indicators)
        key = key + cells.indicator
        columns = (cells.place, cells.year, cells.indicator)
        if len(key) > 1 and not (np.diff(key) > 0).all():
            size = len(cells.places) * len(cells.years) * len(cells.indicators)
            order = _sorting(key, size)
            if order is None:  # a cell given twice: order by value too
                order = np.lexsort((bits, key))
            bits = bits[order]
            columns = (cells.place[order], cells.year[order], cells.indicator[order])
        h = hashlib.sha256(b"jingjinji.panel.v2\n")
        h.update(_strings(cells.places))
        h.update(_strings(cells.indicators))
        h.update(np.array([len(cells.years)], dtype="<u8").tobytes())
        h.update(cells.years.to_numpy(dtype="<i8").tobytes())
        h.update(np.array([len(key)], dtype="<u8").tobytes())
        for codes in columns:
            h.update(np.ascontiguousarray(codes, dtype="<u4").data)
        h.update(np.ascontiguousarray(bits, dtype="<u8").data)
        return h.hexdigest()


def _sorting(key: np.ndarray, size: int) -> np.ndarray | None:
    """The permutation sorting ``key`` (integers in [0, size)), ``None`` if one repeats; by
    counting when ``size`` is not much more than the number of keys."""
    if size > 4 * len(key) + 1024:
        order = np.argsort(key)
        return None if (np.diff(key[order]) == 0).any() else order
    counts = np.bincount(key, minlength=size)
    if counts.max(initial=0) > 1:
        return None
    order = np.empty(len(key), dtype=np.intp)
    order[(np.cumsum(counts) - 1)[key]] = np.arange(len(key))
    return order


def _labels(column: pd.Series) -> list[Any]:
    """The sorted distinct labels of ``column`` (``sorted(column.unique())``)."""
    codes, labels = _factorize(column)
    if (codes < 0).any():  # a missing label: as sorted() of the distinct values would
        return sorted(column.unique().tolist())
    return list(labels.tolist())


def _strings(labels: pd.Index) -> bytes:
    """The count, every label's UTF-8 length (u64 LE), then the UTF-8 bytes: unambiguous."""
    encoded = [str(label).encode("utf-8") for label in labels]
    lengths = np.array([len(encoded), *map(len, encoded)], dtype="<u8")
    return lengths.tobytes() + b"".join(encoded)


@dataclass(frozen=True)
class _Cells:
    """The long rows of a panel as positions into its sorted places, years and indicators."""

    places: pd.Index
    years: pd.Index
    indicators: pd.Index
    place: np.ndarray
    year: np.ndarray
    indicator: np.ndarray
    values: np.ndarray

    @classmethod
    def of(cls, data: pd.DataFrame) -> _Cells:
        coded = [_factorize(data[col]) for col in ("place", "year", "indicator")]
        if any((codes < 0).any() for codes, _ in coded):
            raise ValueError("panel data has a missing place, year or indicator")
        (place, places), (year, years), (indicator, indicators) = coded
        return cls(
            places=pd.Index(places),
            years=pd.Index(years),
            indicators=pd.Index(indicators),
            place=np.asarray(place, dtype=np.int64),
            year=np.asarray(year, dtype=np.int64),
            indicator=np.asarray(indicator, dtype=np.int64),
            values=data["value"].to_numpy(dtype=float),
        )

    def matrix(self, rows: np.ndarray, n_rows: int, columns: pd.Index) -> np.ndarray:
        """An (n_rows, len(columns)) table, NaN where no cell gives a value: the cell of row
        ``i`` goes to table row ``rows[i]`` and the column of its indicator."""
        n_ind = len(self.indicators)
        flat = rows * n_ind + self.indicator
        if len(flat) and np.bincount(flat, minlength=n_rows * n_ind).max() > 1:
            raise ValueError("Index contains duplicate entries, cannot reshape")
        flat_table = np.full(n_rows * n_ind, np.nan)
        flat_table[flat] = self.values
        full = flat_table.reshape(n_rows, n_ind)
        take = self.indicators.get_indexer(columns)
        if (take >= 0).all() and np.array_equal(take, np.arange(n_ind)):
            return full
        out = full[:, np.where(take >= 0, take, 0)]
        out[:, take < 0] = np.nan
        return out

    def in_order(self, data: pd.DataFrame, rows: np.ndarray, columns: pd.Index) -> bool:
        """Whether ``data`` (these cells) already is ``labels`` of the whole table (rows =
        place x year, ``columns``): one row per cell, in order, with the same dtypes."""
        n_cols = len(columns)
        position = self.indicators.get_indexer(columns)
        index = data.index
        if (
            list(data.columns) != ["place", "year", "indicator", "value"]
            or not isinstance(index, pd.RangeIndex)
            or (index.start, index.step) != (0, 1)
            or n_cols != len(self.indicators)
            or (position < 0).any()
            or len(data) != len(self.places) * len(self.years) * n_cols
            or tuple(data.dtypes) != (self.places.dtype, self.years.dtype, columns.dtype, float)
        ):
            return False
        column_of = np.empty(n_cols, dtype=np.int64)
        column_of[position] = np.arange(n_cols)
        expected = rows * n_cols + column_of[self.indicator]
        return bool((expected == np.arange(len(expected))).all())

    def labels(self, positions: np.ndarray, columns: pd.Index) -> pd.DataFrame:
        """Place, year and indicator of flat ``positions`` in a full-grid table (rows = place
        x year, sorted; ``columns``), as a long frame."""
        row, col = np.divmod(positions, len(columns))
        place, year = np.divmod(row, len(self.years))
        return pd.DataFrame(
            {
                "place": self.places.take(place).array,
                "year": self.years.take(year).array,
                "indicator": columns.take(col).array,
            }
        )


def _factorize(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(column, sort=True)``: codes into the sorted distinct labels.

    Quicker on the two shapes a completed panel has: runs of equal labels (its place and
    year columns) and one cycle repeated (its indicator column). The shape is found by
    comparing the labels' identities (``_identities``; one object is one label) and else
    their values; only the run heads or the first cycle are factorised, so the codes are
    those of ``pd.factorize`` whatever the shape.
    """
    values = column.to_numpy()
    n = len(values)
    if n < 1024:
        return pd.factorize(column, sort=True)
    head = min(n, 1 << 16)  # a first look at a prefix, to give up early on other shapes
    for keys in (_identities(values), values):
        if keys is None:
            continue
        if np.count_nonzero(keys[1:head] != keys[: head - 1]) * 8 <= head:
            change = np.empty(n, dtype=bool)
            change[0] = True
            np.not_equal(keys[1:], keys[:-1], out=change[1:])
            starts = np.flatnonzero(change)
            if len(starts) * 8 <= n:
                codes, labels = pd.factorize(column.iloc[starts], sort=True)
                return np.repeat(codes, np.diff(np.append(starts, n))), labels
        again = np.flatnonzero(keys[1:head] == keys[0])
        period = int(again[0]) + 1 if len(again) else 0
        if (
            period
            and n % period == 0
            and (keys[period : 2 * period] == keys[:period]).all()
            and (keys.reshape(-1, period) == keys[:period]).all()
        ):
            codes, labels = pd.factorize(column.iloc[:period], sort=True)
            return np.broadcast_to(codes, (n // period, period)).ravel(), labels
    return pd.factorize(column, sort=True)


def _identities(values: np.ndarray) -> np.ndarray | None:
    """The addresses of the objects in a contiguous object array (equal addresses: the
    same object, hence equal labels), or ``None`` for other arrays."""
    if values.dtype != object or not values.flags.c_contiguous or not len(values):
        return None
    buffer = (ctypes.c_void_p * len(values)).from_address(values.ctypes.data)
    return np.frombuffer(memoryview(buffer).cast("B"), dtype=np.uintp).copy()


def _neighbours(known: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Along axis 1: the position of the last known cell at or before each cell (-1 if
    none) and of the first known cell at or after it (n if none)."""
    n = known.shape[1]
    steps = np.arange(n).reshape(1, n, 1)
    before = np.maximum.accumulate(np.where(known, steps, -1), axis=1)
    after = np.minimum.accumulate(np.where(known, steps, n)[:, ::-1], axis=1)[:, ::-1]
    return before, after


def _fill_linear(cube: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Interior gaps of (place, year, indicator) filled as ``numpy.interp`` in the year:
    y = slope (x - x0) + y0 with slope = (y1 - y0) / (x1 - x0) between the nearest
    observations x0 < x < x1."""
    known = ~np.isnan(cube)
    before, after = _neighbours(known)
    gap = ~known & (before >= 0) & (after < cube.shape[1])
    p, y, j = np.nonzero(gap)
    i0, i1 = before[p, y, j], after[p, y, j]
    x0, x1, y0, y1 = years[i0], years[i1], cube[p, i0, j], cube[p, i1, j]
    with np.errstate(invalid="ignore"):  # infinite observations, handled as numpy.interp
        slope = (y1 - y0) / (x1 - x0)
        value = slope * (years[y] - x0) + y0
        # as numpy.interp: if NaN from one side, try the other; equal ends give that value
        retry = np.isnan(value)
        value[retry] = slope[retry] * (years[y][retry] - x1[retry]) + y1[retry]
    same = np.isnan(value) & (y0 == y1)
    value[same] = y0[same]
    out = cube.copy()
    out[p, y, j] = value
    return out


def _fill_forward(cube: np.ndarray) -> np.ndarray:
    """Gaps of (place, year, indicator) given the last earlier observation of the place."""
    before, _ = _neighbours(~np.isnan(cube))
    carried = np.take_along_axis(cube, np.maximum(before, 0), axis=1)
    return np.where(before >= 0, carried, np.nan)


# The reader lives in its own module; it needs the classes above, so it is imported last.
from jingjinji.indicators.panel_read import read_panel  # noqa: E402
