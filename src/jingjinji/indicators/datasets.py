"""Data shipped with the indicators: the provincial science-and-technology panel (NBS
yearbooks), census population of the 13 Jing-Jin-Ji units, and facts quoted by the seed
documents. Every file has a provenance sidecar in ``data/``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from jingjinji.indicators.panel import Panel
from jingjinji.indicators.places import (
    JJJ_CITIES,
    JJJ_PROVINCES,
    NATIONAL,
    PROVINCES,
    REGION,
    place_name,
)

__all__ = [
    "Fact",
    "data_dir",
    "dual_ten_panel",
    "indicator_catalogue",
    "innovation_panel",
    "jjj_comparison",
    "load_city_population",
    "load_facts",
    "load_province_panel",
    "provenance",
]


def data_dir() -> Path:
    """The folder of the shipped data files."""
    return Path(str(resources.files("jingjinji.indicators") / "data"))


def provenance(name: str) -> dict[str, Any]:
    """The provenance sidecar of a shipped data file (``province_panel``, ...)."""
    path = data_dir() / f"{name}.provenance.yaml"
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


@cache
def _read(name: str) -> pd.DataFrame:
    df = pd.read_csv(data_dir() / f"{name}.csv", dtype={"place": str})
    df["year"] = df["year"].astype(int)
    df["value"] = df["value"].astype(float)
    return df


def indicator_catalogue(name: str = "province_panel") -> pd.DataFrame:
    """Indicator names, units and source variables of a shipped panel."""
    return pd.read_csv(data_dir() / f"{name}.indicators.csv").set_index("indicator")


def _panel(name: str) -> Panel:
    meta = provenance(name)
    data = _read(name).copy()
    names = {p: place_name(p) for p in data["place"].unique()}
    return Panel(
        data=data,
        names=names,
        source=f"{name}.csv",
        # In Chinese for pages and workbooks; the repository and its commit are in the
        # sidecar (``provenance(name)``), shown as a link.
        provenance=f"{meta['citation']}（数据版本 {meta['commit'][:10]}）",
    )


def load_province_panel() -> Panel:
    """The NBS provincial panel: 31 provinces + national total (100000), 2010-2024.

    Not every indicator covers every year (see ``indicator_catalogue()``); select and
    complete it (``Panel.select``, ``Panel.complete``) before evaluating.
    """
    return _panel("province_panel")


def load_city_population() -> Panel:
    """Census resident population (2010, 2020, persons) of the 13 census units.

    保定 (130600) is the census's 保定 without 定州 and the three counties of 雄安新区, and
    is named so; 雄安新区 has no row (see ``coverage`` in the provenance sidecar).
    """
    panel = _panel("city_population")
    return replace(panel, names={**panel.names, "130600": "保定市（不含定州、雄安新区）"})


def innovation_panel(
    places: tuple[str, ...] = tuple(PROVINCES),
    years: range = range(2011, 2024),
) -> Panel:
    """The province panel restricted to the collaborative-innovation indicators.

    By default the 31 provinces, 2011-2023, so that Beijing, Tianjin and Hebei are ranked
    among all provinces: ``evaluate(innovation_panel(), "collaborative_innovation",
    fill="linear")`` (the source lacks the 2017 high-tech industry figures; the filled
    cells are reported). The national total is an aggregate, not a peer of the provinces:
    compare with it through ``jjj_comparison``.
    """
    from jingjinji.indicators.system import load_system

    ids = load_system("collaborative_innovation").indicator_ids
    return load_province_panel().select(places=places, years=years, indicators=ids)


def jjj_comparison(year: int, indicators: list[str] | None = None) -> pd.DataFrame:
    """Beijing, Tianjin and Hebei against each other and against the national total.

    One row per indicator (the collaborative-innovation indicators by default) with the
    values of 北京, 天津, 河北 and 全国, the ratio 北京/河北 and, for additive quantities
    (not % indicators), the share of the three provinces in the national total.
    """
    from jingjinji.indicators.system import load_system

    df = _read("province_panel")
    ids = indicators or load_system("collaborative_innovation").indicator_ids
    sub = df[(df["year"] == year) & df["indicator"].isin(ids)]
    table = sub.pivot(index="indicator", columns="place", values="value").reindex(ids)
    cols = [*JJJ_PROVINCES, NATIONAL]
    table = table.reindex(columns=cols)
    catalogue = indicator_catalogue()
    out = pd.DataFrame(
        {
            "指标": catalogue["indicator_name"].reindex(ids),
            "单位": catalogue["unit"].reindex(ids),
            **{place_name(c): table[c] for c in cols},
        }
    )
    out["北京/河北"] = table["110000"] / table["130000"]
    additive = out["单位"] != "%"
    share = table[list(JJJ_PROVINCES)].sum(axis=1) / table[NATIONAL] * 100
    out["京津冀占全国(%)"] = share.where(additive)
    out.index.name = "indicator"
    return out


def dual_ten_panel() -> Panel:
    """The "双10%" monitor data for the region (place ``jjj``).

    ``jjj_gdp_share``: the sum of Beijing, Tianjin and Hebei's GDP over the national GDP, in
    %, with GDP derived from the province panel (R&D funds / R&D intensity; the intensity is
    rounded to 0.01 points, so each GDP carries up to about 0.3% relative error).
    ``jjj_industry_share``: the two values quoted by the seed documents (2010, 2022).
    """
    df = _read("province_panel")
    gdp = df[df["indicator"] == "gdp_derived"].pivot(index="year", columns="place", values="value")
    share = (gdp[list(JJJ_PROVINCES)].sum(axis=1) / gdp[NATIONAL] * 100).dropna()
    rows: list[dict[str, object]] = [
        {"place": REGION, "year": int(str(y)), "indicator": "jjj_gdp_share", "value": float(v)}
        for y, v in share.items()
    ]
    for fact in load_facts():
        if fact.indicator == "jjj_industry_share":
            rows.append(
                {
                    "place": REGION,
                    "year": fact.year,
                    "indicator": fact.indicator,
                    "value": fact.value,
                }
            )
    return Panel(
        data=pd.DataFrame(rows),
        names={REGION: "京津冀"},
        source="dual_ten",
        provenance="地区生产总值占比由省级科技统计面板推算；"
        "工业增加值占比引自 seed:000_8e14029575551f3d.txt",
    )


@dataclass(frozen=True)
class Fact:
    """A figure quoted by a source document, with its provenance."""

    id: str
    subject: str
    place: str
    year: int
    value: float
    unit: str
    provenance: str
    indicator: str | None = None
    note: str = ""


def load_facts() -> list[Fact]:
    """The facts of ``data/facts.yaml`` (read once; a new list each call)."""
    return list(_facts())


@cache
def _facts() -> tuple[Fact, ...]:
    raw = yaml.safe_load((data_dir() / "facts.yaml").read_text(encoding="utf-8"))
    return tuple(
        Fact(
            id=f["id"],
            subject=f["subject"],
            place=str(f["place"]),
            year=int(f["year"]),
            value=float(f["value"]),
            unit=str(f["unit"]),
            provenance=f["provenance"],
            indicator=f.get("indicator"),
            note=f.get("note", ""),
        )
        for f in raw["facts"]
    )


def city_name(code: str) -> str:
    """Name of one of the 13 units."""
    return JJJ_CITIES.get(code, code)
