"""Build ``src/jingjinji/atlas/data/places.csv`` from the cpca adcode table.

Usage::

    python scripts/build_places.py [--source ../shared/data/geo/cpca_adcodes.csv]

The source is ``cpca/resources/adcodes.csv`` from the PyPI package cpca 0.5.5 (MIT), copied to
``/work/shared/data/geo/cpca_adcodes.csv``. It lists 12-digit statistical codes with a seat
coordinate (GCJ-02). Its vintage is about 2016, so a short, explicit table of later
administrative changes announced by the Ministry of Civil Affairs (民政部) is applied; every
changed row says so in its ``note`` column and keeps its former name and code as aliases, so
importers that meet the old names still resolve them.

The script is deterministic: running it twice gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import logging
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger("build_places")

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "geo" / "cpca_adcodes.csv"
TARGET = ROOT / "src" / "jingjinji" / "atlas" / "data" / "places.csv"

PROVINCES = ("110000", "120000", "130000")
SOURCE_TAG = "pypi:cpca==0.5.5"
CHANGE_TAG = "curated:mca-changes"

COLUMNS = (
    "adcode",
    "name",
    "short_name",
    "level",
    "parent",
    "lon",
    "lat",
    "aliases",
    "tags",
    "administers",
    "note",
    "provenance",
)


@dataclass
class Row:
    """One place row of the generated CSV."""

    adcode: str
    name: str
    level: str
    parent: str
    lon: str
    lat: str
    aliases: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    administers: list[str] = field(default_factory=list)
    note: str = ""
    provenance: list[str] = field(default_factory=lambda: [SOURCE_TAG])


# Units abolished after the source's vintage: (adcode, reason).
ABOLISHED = {
    "130421": "邯郸县 abolished 2016, territory merged into 邯山区/丛台区/复兴区",
    "130521": "邢台县 abolished 2020, territory merged into 信都区/襄都区 and others",
}

# Renamed or re-coded units: old adcode -> (new adcode, new name, year).
CHANGES = {
    "130429": ("130408", "永年区", "2016: 永年县 became 永年区"),
    "130428": ("130407", "肥乡区", "2016: 肥乡县 became 肥乡区"),
    "130223": ("130284", "滦州市", "2018: 滦县 became 滦州市"),
    "130823": ("130881", "平泉市", "2017: 平泉县 became 平泉市"),
    "130502": ("130502", "襄都区", "2020: 邢台市桥东区 renamed 襄都区"),
    "130503": ("130503", "信都区", "2020: 邢台市桥西区 renamed 信都区"),
    "130526": ("130505", "任泽区", "2020: 任县 became 任泽区"),
    "130527": ("130506", "南和区", "2020: 南和县 became 南和区"),
    "139001": ("130682", "定州市", "省直管县级市; MCA code 130682 under 保定 (source: 139001)"),
    "139002": ("130181", "辛集市", "省直管县级市; MCA code 130181 under 石家庄 (source: 139002)"),
}

# Seat coordinates missing from the source (GCJ-02, approximate city-government location).
MISSING_SEATS = {
    "130682": ("114.990251", "38.516175"),
    "130181": ("115.217627", "37.943121"),
}

SUFFIXES = ("满族蒙古族自治县", "满族自治县", "回族自治县", "新区", "省", "市", "区", "县")


def short_name(name: str) -> str:
    """Drop the administrative suffix, keeping one-character stems and 矿区 names whole.

    >>> short_name("石家庄市"), short_name("围场满族蒙古族自治县"), short_name("蔚县")
    ('石家庄', '围场', '蔚县')
    """
    if name.endswith("矿区"):
        return name
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def classify(adcode: str) -> tuple[str, str]:
    """Level and parent adcode of a 6-digit code from the source."""
    if adcode in PROVINCES:
        return "province", ""
    if adcode.endswith("00"):
        return "prefecture", adcode[:2] + "0000"
    if adcode[:2] in ("11", "12"):
        return "county", adcode[:2] + "0000"
    return "county", adcode[:4] + "00"


def read_source(source: Path) -> list[Row]:
    """Rows of the three provinces from the cpca table, with the changes above applied."""
    rows: list[Row] = []
    with source.open(encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            code = record["adcode"][:6]
            if code[:2] not in ("11", "12", "13"):
                continue
            name = record["name"]
            if name in ("市辖区", "省直辖县级行政区划"):
                continue
            if code in ABOLISHED:
                logger.info("dropping %s %s: %s", code, name, ABOLISHED[code])
                continue
            row = Row(code, name, "", "", record["longitude"], record["latitude"])
            if code in CHANGES:
                new_code, new_name, why = CHANGES[code]
                row.aliases = [
                    old for old, new in ((name, new_name), (code, new_code)) if old != new
                ]
                row.adcode, row.name, row.note = new_code, new_name, why
                row.provenance.append(CHANGE_TAG)
            row.level, row.parent = classify(row.adcode)
            if not row.lon and row.adcode in MISSING_SEATS:
                row.lon, row.lat = MISSING_SEATS[row.adcode]
                row.provenance.append("curated")
            rows.append(row)
    return rows


def add_special_areas(rows: list[Row]) -> None:
    """Tag the strategy's special areas and add 雄安新区, which the source lacks."""
    by_code = {row.adcode: row for row in rows}
    tongzhou = by_code["110112"]
    tongzhou.aliases += ["北京城市副中心", "城市副中心"]
    tongzhou.tags.append("city-sub-centre")
    tongzhou.note = "通州区 is the seat of 北京城市副中心"
    binhai = by_code["120116"]
    binhai.aliases.append("天津滨海新区")
    binhai.tags.append("state-level-new-area")
    rows.append(
        Row(
            adcode="133100",
            name="雄安新区",
            level="special",
            parent="130000",
            lon="115.984812",
            lat="39.040271",
            aliases=["河北雄安新区"],
            tags=["state-level-new-area"],
            administers=["130638", "130629", "130632"],
            note="administers 雄县, 容城县 and 安新县, which keep their adcodes under 保定市",
            provenance=["curated"],
        )
    )


def to_record(row: Row) -> dict[str, str]:
    """CSV record of a row; lists are joined with ``|``."""
    return {
        "adcode": row.adcode,
        "name": row.name,
        "short_name": short_name(row.name),
        "level": row.level,
        "parent": row.parent,
        "lon": row.lon,
        "lat": row.lat,
        "aliases": "|".join(row.aliases),
        "tags": "|".join(row.tags),
        "administers": "|".join(row.administers),
        "note": row.note,
        "provenance": "|".join(row.provenance),
    }


def build(source: Path, target: Path) -> int:
    """Write the places CSV and return the number of rows."""
    rows = read_source(source)
    add_special_areas(rows)
    missing = [row.adcode for row in rows if not row.lon]
    if missing:
        raise SystemExit(f"rows without a seat coordinate: {missing}")
    order = {"province": 0, "prefecture": 1, "special": 2, "county": 3}
    rows.sort(key=lambda row: (row.adcode[:2], order[row.level] > 0, row.adcode))
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(to_record(row) for row in rows)
    return len(rows)


def main() -> None:
    """Command-line entry point."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--target", type=Path, default=TARGET)
    args = parser.parse_args()
    count = build(args.source, args.target)
    logger.info("wrote %d places to %s", count, args.target)


if __name__ == "__main__":
    main()
