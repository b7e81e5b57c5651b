"""The workbook writer's parts: NumPy's decimal text of floats reads back as Python's
``%.15g`` does, and the ZIP container is one that :mod:`zipfile` and openpyxl read."""

from __future__ import annotations

import io
import re
import zipfile

import numpy as np
import pytest
from openpyxl import load_workbook

from jingjinji.indicators._decimal import number_cells
from jingjinji.indicators._xlsx import Sheet, write_workbook
from jingjinji.indicators._zip import deflate, zip_archive

CELL = re.compile(rb"<c/>|<c><v>([^<]*)</v></c>")

#: Numbers at the edges: ties at the 15th digit, powers of ten and just below them, the
#: smallest and largest doubles, signed zeros, non-finite values.
EDGES = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    2.5,
    0.1,
    0.3,
    1e15,
    999999999999999.5,
    999999999999999.4,
    9.999999999999995e-1,
    0.9999999999999999,
    1e-8,
    9.99999999999999e-9,
    1e-300,
    5e-324,
    1.7976931348623157e308,
    123456789012345678.0,
    0.8559677934229305,
    np.nan,
    np.inf,
    -np.inf,
]


def _texts(row: bytes) -> list[bytes | None]:
    return [m.group(1) for m in CELL.finditer(row)]


def _check(block: np.ndarray) -> None:
    rows = number_cells(block)
    assert len(rows) == block.shape[0]
    for values, row in zip(block, rows, strict=True):
        texts = _texts(row)
        assert b"".join(m.group(0) for m in CELL.finditer(row)) == row  # nothing else
        assert len(texts) == len(values)
        for value, text in zip(values, texts, strict=True):
            if not np.isfinite(value):
                assert text is None
            else:
                assert text is not None and float(text) == float(f"{value:.15g}"), (value, text)


def test_edges_read_back_as_fifteen_significant_digits() -> None:
    _check(np.array([EDGES]))
    _check(-np.array([EDGES]))
    assert number_cells(np.array([[0.0, 1.0, -2.5e-7, np.nan]])) == [
        b"<c><v>0</v></c><c><v>1</v></c><c><v>-2.5E-7</v></c><c/>"
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_values_of_every_magnitude(seed: int) -> None:
    rng = np.random.default_rng(seed)
    mantissa = rng.random((400, 25)) * 10
    exponent = rng.integers(-320, 309, size=(400, 25)).astype(float)
    with np.errstate(over="ignore", under="ignore"):
        wide = mantissa * np.power(10.0, exponent)
    _check(np.where(np.isfinite(wide), wide, 1.0) * rng.choice([-1, 1], size=wide.shape))
    _check(rng.lognormal(3.0, 2.0, size=(3000, 7)))
    _check(rng.random((3000, 7)))  # normalised scores
    _check(np.round(rng.lognormal(3.0, 1.0, size=(3000, 7)), 4))  # yearbook values


def test_zip_archive_is_read_by_zipfile() -> None:
    parts = [
        deflate("a.xml", [b"<a>", b"x" * 3_000_000, b"</a>"]),
        deflate("dir/b.txt", [b""]),
        deflate("c.bin", [bytes(range(256)) * 10]),
    ]
    content = zip_archive(parts)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == ["a.xml", "dir/b.txt", "c.bin"]
        assert archive.read("a.xml") == b"<a>" + b"x" * 3_000_000 + b"</a>"
        assert archive.read("dir/b.txt") == b""
        assert archive.read("c.bin") == bytes(range(256)) * 10
    assert zip_archive(parts) == content  # the same content, the same bytes
    with pytest.raises(ValueError, match="unique"):
        zip_archive([parts[0], parts[0]])


def test_workbook_numbers_read_back_in_openpyxl() -> None:
    rng = np.random.default_rng(7)
    block = rng.lognormal(3.0, 1.0, size=(500, 6))
    block[3, 2] = np.nan
    lead = [(f"{110000 + i}", "北京市", 2020) for i in range(500)]
    sheets = [
        Sheet("数据", ["代码", "地区", "年份", *"abcdef"], lead, block, tail=("示例数据",)),
        Sheet("说明", ["项目"], [("<b>&</b>",)]),
    ]
    book = load_workbook(io.BytesIO(write_workbook(sheets)))
    rows = list(book["数据"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 500 and rows[0][:3] == ("110000", "北京市", 2020)
    assert rows[3][5] is None and rows[0][-1] == "示例数据"
    for i in (0, 3, 499):
        for j in range(6):
            if not np.isnan(block[i, j]):
                assert rows[i][3 + j] == float(f"{block[i, j]:.15g}")
    assert book["说明"]["A2"].value == "<b>&</b>"
