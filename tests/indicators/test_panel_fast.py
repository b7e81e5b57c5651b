"""The fast paths of panels: the canonical digest, ``Panel.complete``/``wide`` against the
pivot-based definition, and the vectorised CSV readers against the cell-by-cell one."""

import csv
import hashlib
import io
import random
import struct
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from jingjinji.indicators import PanelError, read_panel
from jingjinji.indicators import panel_read as panel_module
from jingjinji.indicators.panel import Panel
from jingjinji.indicators.places import resolve_builtin

COLUMNS = ["place", "year", "indicator", "value"]


def _panel(rows: list[tuple[str, int, str, float]], **kw: object) -> Panel:
    return Panel(data=pd.DataFrame(rows, columns=COLUMNS), **kw)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- digest


def _documented_digest(rows: list[tuple[str, int, str, float]]) -> str:
    """``Panel.digest`` written out from its docstring, byte by byte."""

    def strings(items: list[str]) -> bytes:
        encoded = [item.encode("utf-8") for item in items]
        lengths = struct.pack(f"<{len(items) + 1}Q", len(items), *map(len, encoded))
        return lengths + b"".join(encoded)

    def canonical(v: float) -> float:
        return float("nan") if v != v else v + 0.0

    places = sorted({r[0] for r in rows})
    years = sorted({r[1] for r in rows})
    indicators = sorted({r[2] for r in rows})
    bits = [struct.unpack("<Q", struct.pack("<d", canonical(r[3])))[0] for r in rows]
    order = sorted(
        range(len(rows)),
        key=lambda i: (rows[i][0], rows[i][1], rows[i][2], bits[i]),
    )
    h = hashlib.sha256(b"jingjinji.panel.v2\n")
    h.update(strings(places) + strings(indicators))
    h.update(struct.pack("<Q", len(years)) + struct.pack(f"<{len(years)}q", *years))
    h.update(struct.pack("<Q", len(rows)))
    h.update(struct.pack(f"<{len(rows)}I", *(places.index(rows[i][0]) for i in order)))
    h.update(struct.pack(f"<{len(rows)}I", *(years.index(rows[i][1]) for i in order)))
    h.update(struct.pack(f"<{len(rows)}I", *(indicators.index(rows[i][2]) for i in order)))
    h.update(struct.pack(f"<{len(rows)}Q", *(bits[i] for i in order)))
    return h.hexdigest()


ROWS = [
    ("130100", 2020, "gdp", 1.5),
    ("110000", 2021, "gdp", float("nan")),
    ("110000", 2020, "人口", -0.0),
    ("110000", 2020, "gdp", 6.31),
    ("130100", 2021, "人口", 1e-300),
]


def test_digest_is_the_documented_canonical_form() -> None:
    digest = _panel(ROWS).digest()
    assert digest == _documented_digest(ROWS)
    assert digest == _panel(ROWS[::-1], names={"110000": "x"}, source="other.csv").digest()
    shuffled = random.Random(1).sample(ROWS, len(ROWS))
    assert _panel(shuffled).digest() == digest


def test_digest_ignores_dtypes_and_nan_payloads() -> None:
    base = _panel(ROWS)
    data = base.data.astype({"place": object, "indicator": object, "year": np.int32})
    assert Panel(data=data).digest() == base.digest()
    other_nan = np.frombuffer(struct.pack("<Q", 0x7FF8DEADBEEF0001), dtype=np.float64)[0]
    assert np.isnan(other_nan)
    payload = [(p, y, i, other_nan if v != v else v) for p, y, i, v in ROWS]
    assert _panel(payload).digest() == base.digest()
    zero = [(p, y, i, 0.0 if v == 0 else v) for p, y, i, v in ROWS]
    assert _panel(zero).digest() == base.digest()  # -0.0 is 0.0


def test_digest_sees_every_bit_and_every_label() -> None:
    base = _panel(ROWS).digest()
    bumped = [
        (*r[:3], np.nextafter(r[3], np.inf)) if r[2] == "gdp" and r[1] == 2020 else r for r in ROWS
    ]
    assert _panel(bumped).digest() != base
    renamed = [("120000" if r[0] == "130100" else r[0], *r[1:]) for r in ROWS]
    assert _panel(renamed).digest() != base
    assert _panel(ROWS[:-1]).digest() != base


def test_digest_of_repeated_cells_is_canonical() -> None:
    twice = [*ROWS, ("130100", 2020, "gdp", 2.5)]
    assert _panel(twice).digest() == _panel(twice[::-1]).digest() == _documented_digest(twice)


def test_digest_of_a_large_sorted_and_shuffled_panel_agree() -> None:
    rng = np.random.default_rng(0)
    places = [f"{110000 + i:06d}" for i in range(40)]
    rows = [
        (p, y, f"x{j:02d}", float(rng.normal()))
        for p in places
        for y in range(2000, 2010)
        for j in range(12)
    ]
    panel = _panel(rows)
    assert panel.digest() == _documented_digest(rows)
    shuffled = Panel(data=panel.data.sample(frac=1.0, random_state=3).reset_index(drop=True))
    assert shuffled.digest() == panel.digest()


# --------------------------------------------------------------------------- complete / wide


def _reference_table(panel: Panel, wanted: list[str], fill: str | None) -> pd.DataFrame:
    """The pivot-based definition of ``Panel.complete`` (the code before the fast path)."""
    table = panel.data.pivot(index=["place", "year"], columns="indicator", values="value")
    table.columns.name = None
    table = table.reindex(columns=wanted).sort_index()
    grid = pd.MultiIndex.from_product([panel.places, panel.years], names=["place", "year"])
    table = table.reindex(grid)
    if fill == "linear":

        def interpolate(group: pd.DataFrame) -> pd.DataFrame:
            years = group.index.get_level_values("year").to_numpy(dtype=float)
            out = group.copy()
            for col in group.columns:
                values = group[col].to_numpy(dtype=float).copy()
                known = ~np.isnan(values)
                if known.sum() >= 2:
                    inside = (years > years[known].min()) & (years < years[known].max())
                    inside &= ~known
                    values[inside] = np.interp(years[inside], years[known], values[known])
                    out[col] = values
            return out

        table = table.groupby(level="place", group_keys=False).apply(interpolate)
    elif fill == "ffill":
        table = table.groupby(level="place").ffill()
    return table


def _random_panels(seed: int, count: int) -> Iterator[tuple[Panel, list[str]]]:
    rng = np.random.default_rng(seed)
    for trial in range(count):
        places = [f"{110000 + 100 * i}" for i in range(int(rng.integers(1, 5)))]
        years = sorted(rng.choice(np.arange(2000, 2020), int(rng.integers(1, 6)), replace=False))
        indicators = [f"i{j}" for j in range(int(rng.integers(1, 5)))]
        rows = [
            (p, int(y), i, float(rng.normal())) for p in places for y in years for i in indicators
        ]
        data = pd.DataFrame(rows, columns=COLUMNS)
        data = data[rng.random(len(data)) > rng.choice([0.0, 0.1, 0.3])]
        data.loc[rng.random(len(data)) < 0.15, "value"] = np.nan
        if len(data) == 0:
            continue
        if trial % 2:
            data = data.sample(frac=1.0, random_state=trial)
        present = sorted(data["indicator"].unique())
        yield Panel(data=data.reset_index(drop=True), source="t"), present


@pytest.mark.parametrize("fill", [None, "linear", "ffill"])
def test_complete_matches_the_pivot_definition(fill: str | None) -> None:
    checked = 0
    for panel, present in _random_panels(5, 50):
        for wanted in (present, present[::-1], present[:1]):
            expected = _reference_table(panel, wanted, fill)
            if expected.isna().to_numpy().any():
                with pytest.raises(PanelError) as info:
                    panel.complete(wanted, fill=fill)
                cells = np.argwhere(expected.isna().to_numpy())[:50]
                got = [
                    (p.column, p.message.split(" (")[1].split(")")[0]) for p in info.value.problems
                ]
                assert got == [(wanted[c], expected.index[r][0]) for r, c in cells]
                continue
            full = panel.complete(wanted, fill=fill)
            pd.testing.assert_frame_equal(full.wide(wanted), expected, check_exact=True)
            assert full.data[["place", "year", "indicator"]].values.tolist() == [
                [p, y, i] for p, y in expected.index for i in wanted
            ]
            before = panel.wide(wanted).reindex(expected.index).isna().to_numpy()
            assert len(full.filled) == int(before.sum())
            checked += 1
    assert checked > 20


def test_wide_matches_pivot_and_refuses_duplicates() -> None:
    for panel, present in _random_panels(8, 60):
        expected = panel.data.pivot(index=["place", "year"], columns="indicator", values="value")
        expected.columns.name = None
        pd.testing.assert_frame_equal(panel.wide(), expected.sort_index(), check_exact=True)
        extra = [*present[::-1], "absent"]
        pd.testing.assert_frame_equal(
            panel.wide(extra), expected.reindex(columns=extra).sort_index(), check_exact=True
        )
    twice = _panel([("110000", 2020, "a", 1.0), ("110000", 2020, "a", 2.0)])
    with pytest.raises(ValueError, match="duplicate entries"):
        twice.wide()


def test_complete_of_a_complete_panel_is_itself() -> None:
    panel, present = next(
        p
        for p in _random_panels(2, 50)
        if not p[0].data["value"].isna().any()
        and len(p[0].data) == len(p[0].places) * len(p[0].years) * len(p[1])
        and len(p[1]) > 1
    )
    full = panel.complete(present)
    again = full.complete(present)
    pd.testing.assert_frame_equal(again.data, full.data, check_exact=True)
    assert again.digest() == full.digest() == panel.digest()
    assert again is full  # completed on these indicators already: not done a second time
    assert full.complete(list(reversed(present))) is not full  # another order is another grid
    fresh = panel.complete(list(reversed(present)))
    pd.testing.assert_frame_equal(
        full.complete(list(reversed(present))).data, fresh.data, check_exact=True
    )


# --------------------------------------------------------------------------- reading


def _outcome(raw: bytes, name: str, **kw: object) -> tuple[object, ...]:
    try:
        p = read_panel(raw, filename=name, resolver=resolve_builtin, **kw)  # type: ignore[arg-type]
    except PanelError as exc:
        return ("error", [vars(q) for q in exc.problems], exc.message_zh)
    except Exception as exc:
        return ("raised", type(exc).__name__, str(exc))
    return (
        "ok",
        p.data.to_dict("list"),
        p.data.dtypes.tolist(),
        p.filled.to_dict("list"),
        dict(p.names),
        p.digest(),
    )


TOKENS = [
    "1.5",
    " 4 ",
    "",
    "",
    "-",
    "—",
    "…",
    "NA",
    "n/a",
    "nan",
    "None",
    "abc",
    "inf",
    "1_000",
    "0x10",
    "TRUE",
    "false",
    "1e400",
    "-0",
    "١٢",
    "１２",
    "1e-320",
    "12345678901234567890",
    ".5",
    "5.",
    "1e",
    "+1",
    "\u30004",
]


def _files(seed: int, count: int) -> Iterator[tuple[bytes, str, dict[str, object]]]:
    """Wide panels, clean and messy, as unquoted CSV, quoted CSV and XLSX."""
    rng = random.Random(seed)
    for trial in range(count):
        heads = ["地区", "年份", *rng.sample(["a", "b", "c", "备注"], rng.randint(1, 3))]
        lines = [heads]
        for place in rng.sample(["北京", "天津", "河北", "保定市", "火星"], rng.randint(1, 4)):
            for year in ["2019", "2020", "2021"][: rng.randint(1, 3)]:
                if rng.random() < 0.05:
                    year = rng.choice(["", "20x", "2020.0", "2021年"])
                cells = [place, year]
                for _ in heads[2:]:
                    messy = rng.random() < (0.02 if trial % 2 else 0.3)
                    cells.append(rng.choice(TOKENS) if messy else f"{rng.gauss(0, 100):.6g}")
                if rng.random() < 0.05:
                    cells = cells[: rng.randint(1, len(cells))]
                lines.append(cells)
                if rng.random() < 0.05:
                    lines.append(rng.choice([[], ["", "", ""], ["  "], ["", "nan"]]))
        kw: dict[str, object] = {"fill": rng.choice([None, None, "linear", "ffill"])}
        sep = rng.choice(["\n", "\r\n"])
        text = sep.join(",".join(c.replace(",", "") for c in r) for r in lines) + sep
        yield text.encode(rng.choice(["utf-8", "utf-8-sig"])), "p.csv", kw
        if trial % 3 == 0:
            quoted = io.StringIO()
            csv.writer(quoted, quoting=csv.QUOTE_ALL).writerows(lines)
            yield quoted.getvalue().encode(), "q.csv", kw
        if trial % 7 == 0:
            book = Workbook()
            ws = book.active
            assert ws is not None
            for r in lines:
                ws.append([_typed(c) for c in r])
            out = io.BytesIO()
            book.save(out)
            yield out.getvalue(), "p.xlsx", kw


def _typed(cell: str) -> object:
    try:
        return float(cell)
    except ValueError:
        return cell or None


def test_vectorised_readers_agree_with_the_cell_by_cell_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = list(_files(11, 120))
    fast = [_outcome(raw, name, **kw) for raw, name, kw in files]
    monkeypatch.setattr(panel_module, "_parse_unquoted_csv", lambda raw, options: None)
    monkeypatch.setattr(panel_module, "_read_wide", lambda body, layout, resolve: None)
    slow = [_outcome(raw, name, **kw) for raw, name, kw in files]
    for (raw, name, _), a, b in zip(files, fast, slow, strict=True):
        assert a == b, (name, raw[:300])
    assert {o[0] for o in fast} == {"ok", "error"}


def test_the_unquoted_reader_is_taken_and_reads_floats_exactly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(4)
    tokens = []
    for _ in range(3000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 24)))
        tokens.append(
            rng.choice(
                [
                    f"0.{'0' * rng.randint(0, 30)}{digits}",
                    f"{digits}.{digits[::-1]}",
                    f"{digits}e-{rng.randint(0, 330)}",
                    f"-{digits[:17]}e{rng.randint(0, 300)}",
                    repr(rng.lognormvariate(0, 30)),
                ]
            )
        )
    places = ["北京", "天津", "石家庄", "唐山", "秦皇岛", "邯郸", "邢台", "保定", "张家口", "承德"]
    lines = ["地区,年份,x"] + [
        f"{places[i // 300]},{1900 + i % 300},{t}" for i, t in enumerate(tokens)
    ]
    calls: list[bool] = []
    original = panel_module._FrameBody.read

    def spy(*args: object) -> object:
        body = original(*args)  # type: ignore[arg-type]
        calls.append(body is not None)
        return body

    monkeypatch.setattr(panel_module._FrameBody, "read", spy)
    panel = read_panel("\n".join(lines).encode(), filename="f.csv", resolver=resolve_builtin)
    assert calls == [True]
    by_place = {
        str(resolve_builtin(p)): tokens[300 * k : 300 * (k + 1)] for k, p in enumerate(places)
    }
    expected = [float(t) for code in sorted(by_place) for t in by_place[code]]
    assert panel.data["value"].tolist() == expected  # float() of every token, bit for bit


def test_fast_and_slow_agree_on_fifty_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(2)
    lines = ["place,year,a,b,c"]
    for i in range(400):
        cells = [rng.choice(["北京", "天津", "火星"]), str(1900 + i), "1", "2", "3"]
        for j in range(2, 5):
            if rng.random() < 0.2:
                cells[j] = rng.choice(["abc", "x1", "?"])
        if rng.random() < 0.05:
            cells[1] = "20x"
        lines.append(",".join(cells))
    raw = "\n".join(lines).encode()
    fast = _outcome(raw, "m.csv")
    monkeypatch.setattr(panel_module, "_parse_unquoted_csv", lambda raw, options: None)
    monkeypatch.setattr(panel_module, "_read_wide", lambda body, layout, resolve: None)
    slow = _outcome(raw, "m.csv")
    assert fast == slow and fast[0] == "error" and len(fast[1]) == 50  # type: ignore[arg-type]


def test_the_same_data_as_csv_and_xlsx_has_the_same_digest() -> None:
    rows: list[list[object]] = [
        ["地区", "年份", "a", "b"],
        ["北京", 2020, 6.31, 1e-5],
        ["天津", 2020, 2.0, 3.25],
    ]
    text = "\n".join(",".join(str(c) for c in r) for r in rows).encode()
    book = Workbook()
    ws = book.active
    assert ws is not None
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    book.save(out)
    csv_panel = read_panel(text, filename="d.csv", resolver=resolve_builtin)
    xlsx_panel = read_panel(out.getvalue(), filename="d.xlsx", resolver=resolve_builtin)
    assert csv_panel.digest() == xlsx_panel.digest()


def test_carriage_returns_alone_end_records() -> None:
    """Excel for Mac's "CSV (Macintosh)" ends records with a lone CR."""
    raw = "地区,年份,指标,数值\r北京,2022,x,1\r天津,2022,x,2\r".encode()
    panel = read_panel(raw, system=None, filename="苹果电脑导出.csv")
    assert panel.data["value"].tolist() == [1.0, 2.0]
    assert panel.places == ["110000", "120000"]
