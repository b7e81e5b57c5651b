"""Decimal text of many floats at once, for the cells of large worksheets.

Python formats a float in about a microsecond; a workbook of 7 million numbers spends
seconds there. Here the 15 significant digits Excel keeps are found with NumPy: the decimal
exponent from log10, the digits as an integer, a rare doubtful rounding (the scaled value
within 0.05 of a half, or a magnitude where 10^e loses precision) redone exactly with
Python's ``%.14e``, so every number reads back as ``float("%.15g" % x)`` does. The text is
``[-]D[.DDD][E[-]X]`` (XML Schema ``xsd:double``, which SpreadsheetML ``<v>`` holds,
ECMA-376 §18.3.1.96), trailing zeros dropped; NaN and ±inf give the empty cell ``<c/>``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["number_cells"]

_DIGITS = 15
#: One cell, every optional part present; ``_parts`` says which bytes each part is.
_TEMPLATE = np.frombuffer(b"<c/><v>-0.00000000000000E-000</v></c>", dtype=np.uint8)
_OPEN, _SLASH, _TAG = 0, 2, slice(3, 7)  # "<c", "/", "><v>"
_SIGN, _LEAD, _POINT, _FRACTION = 7, 8, 9, slice(10, 24)
_E, _E_SIGN, _E_DIGITS = 24, 25, slice(26, 29)
_CLOSE = slice(29, 36)  # "</v></c"
_ZERO = ord("0")


#: Exact powers of ten (10^0 … 10^22 are doubles without rounding).
_EXACT = np.array([float(10**k) for k in range(23)])
_SPLIT = 134217729.0  # 2^27 + 1, Veltkamp's splitting constant for binary64


def _two_product(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """p = fl(a b) and its exact error: a b = p + err (Dekker 1971, TwoProduct)."""
    p = a * b
    t = _SPLIT * a
    a_hi = t - (t - a)
    a_lo = a - a_hi
    t = _SPLIT * b
    b_hi = t - (t - b)
    b_lo = b - b_hi
    err = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    return p, err


def _digits_and_exponents(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For finite nonzero ``values``: d (15-digit integers, 10^14 <= d < 10^15) and e with
    |x| = d · 10^(e - 14) rounded to nearest, as ``%.14e`` rounds.

    For 10^-8 <= |x| < 10^15 the scaled value |x| · 10^(14 - e) is formed with an exact power
    of ten and its exact rounding error (TwoProduct), so the rounding decision is exact; a
    tie, or any other magnitude, is formatted by Python."""
    original = np.abs(values)
    e = np.floor(np.log10(original)).astype(np.int64)
    fast = (e >= -8) & (e <= _DIGITS - 1)
    e = np.where(fast, e, 0)
    a = np.where(fast, original, 1.0)  # the others are formatted by Python below
    for _ in range(2):  # log10 may be one off near a power of ten
        p, err = _two_product(a, _EXACT[np.clip(_DIGITS - 1 - e, 0, 22)])
        low = fast & (p + err < 10.0 ** (_DIGITS - 1))
        high = fast & (p >= 10.0**_DIGITS)
        if not (low.any() or high.any()):
            break
        e = e - low + high
        fast &= (e >= -8) & (e <= _DIGITS - 1)  # the others are formatted by Python
        e = np.where(fast, e, 0)
    whole = np.floor(p)
    fraction = (p - whole) + err
    d = (whole + (fraction > 0.5) - (fraction < -0.5)).astype(np.int64)
    doubtful = ~fast | low | high | (np.abs(np.abs(fraction) - 0.5) < 1e-9)
    rounded_up = d >= 10**_DIGITS
    d[rounded_up] //= 10
    e[rounded_up] += 1
    doubtful |= d < 10 ** (_DIGITS - 1)
    for i in np.flatnonzero(doubtful):
        mantissa, exponent = f"{float(original[i]):.{_DIGITS - 1}e}".split("e")
        d[i], e[i] = int(mantissa.replace(".", "")), int(exponent)
    return d, e


#: Cells formatted at a time (the digit table takes 120 bytes a cell).
_CHUNK = 1 << 16


def number_cells(block: np.ndarray) -> list[bytes]:
    """Each row of the 2-D float ``block`` as the UTF-8 XML of its cells, ``<c><v>…</v></c>``
    per number (see the module docstring)."""
    values = np.asarray(block, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"a block of cells is 2-D, got {values.ndim} dimensions")
    n_rows, n_cols = values.shape
    if n_cols == 0:
        return [b""] * n_rows
    step = max(1, _CHUNK // n_cols)
    rows: list[bytes] = []
    for start in range(0, n_rows, step):
        rows += _rows(values[start : start + step])
    return rows


#: The three decimal digits of 0 … 999 as text bytes and a fourth byte, one uint32 each.
_TRIPLES = np.zeros((1000, 4), dtype=np.uint8)
_TRIPLES[:, :3] = np.array([list(f"{k:03d}".encode()) for k in range(1000)], dtype=np.uint8)
_TRIPLE_WORDS = _TRIPLES.view(np.uint32).ravel()


def _digit_text(d: np.ndarray) -> np.ndarray:
    """The 15 decimal digits of each d < 10^15 as text bytes, most significant first (the
    groups of three in 32-bit arithmetic, each group's text looked up)."""
    high = (d // 1_000_000_000).astype(np.int32)  # the first 6 digits
    low = (d % 1_000_000_000).astype(np.int32)  # the last 9
    groups = np.empty((len(d), 5), dtype=np.int32)
    groups[:, 0], groups[:, 1] = high // 1000, high % 1000
    groups[:, 2], groups[:, 3], groups[:, 4] = low // 1_000_000, low // 1000 % 1000, low % 1000
    words = _TRIPLE_WORDS[groups]
    return words.view(np.uint8).reshape(len(d), 5, 4)[:, :, :3].reshape(len(d), _DIGITS)


def _rows(values: np.ndarray) -> list[bytes]:
    n_rows = values.shape[0]
    flat = values.ravel()
    n = len(flat)
    finite = np.isfinite(flat)
    number = finite & (flat != 0)
    d = np.zeros(n, dtype=np.int64)
    e = np.zeros(n, dtype=np.int64)
    d[number], e[number] = _digits_and_exponents(flat[number])

    cells = np.broadcast_to(_TEMPLATE, (n, len(_TEMPLATE))).copy()
    # the 15 digits, three at a time, most significant first
    digits = _digit_text(d)
    cells[:, _LEAD] = digits[:, 0]
    cells[:, _FRACTION] = digits[:, 1:]
    nonzero = digits[:, :0:-1] != _ZERO  # the fraction's digits from the last
    first = np.argmax(nonzero, axis=1)
    last = np.where(nonzero[np.arange(n), first], _DIGITS - 1 - first, 0)  # last nonzero
    magnitude = np.abs(e)
    cells[:, _E_DIGITS] = _TRIPLES[np.minimum(magnitude, 999), :3]
    width = 1 + (magnitude >= 10) + (magnitude >= 100)

    keep = np.empty(cells.shape, dtype=bool)
    written = finite[:, None]
    keep[:, :_SLASH] = True
    keep[:, _SLASH] = ~finite
    keep[:, _TAG] = written
    keep[:, _SIGN] = finite & (flat < 0)
    keep[:, _LEAD] = finite
    keep[:, _POINT] = finite & (last > 0)
    keep[:, _FRACTION] = written & (np.arange(1, _DIGITS) <= last[:, None])
    keep[:, _E] = finite & (e != 0)
    keep[:, _E_SIGN] = finite & (e < 0)
    keep[:, _E_DIGITS] = (np.arange(3, 0, -1) <= width[:, None]) & keep[:, _E, None]
    keep[:, _CLOSE] = written
    keep[:, -1] = True

    text = cells[keep].tobytes()
    ends = np.cumsum(np.count_nonzero(keep.reshape(n_rows, -1), axis=1))
    starts = np.concatenate(([0], ends[:-1]))
    return [text[s:t] for s, t in zip(starts.tolist(), ends.tolist(), strict=True)]
