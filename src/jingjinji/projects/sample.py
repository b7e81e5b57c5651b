"""Generated sample projects (示例数据): plausible, not real.

About 2,000 projects signed 2014–2025, mostly from Beijing and from outside the region to
Tianjin and Hebei, on the atlas's chains, platforms and parks. Investments are log-normal
around a median of about 3 亿元 (the strategy's library averaged some 6 亿元 a project:
over 2,000 projects and 1.3 trillion yuan by 2023). Generated with a fixed seed, so the same
code always yields the same rows; every row carries provenance ``demo``.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from jingjinji.atlas import Atlas
from jingjinji.projects.places import OUTSIDE_CITIES
from jingjinji.projects.table import ProjectInput, natural_key

__all__ = ["SAMPLE_SEED", "SAMPLE_SOURCE", "sample_projects"]

SAMPLE_SEED = 20_250_801
SAMPLE_SOURCE = "示例数据（程序生成，非真实项目）"
_LAST_DAY = date(2025, 12, 31)

#: Destination weights (prefecture-level units and 雄安新区).
_DESTINATIONS = {
    "120000": 24,
    "131000": 12,
    "130600": 10,
    "133100": 6,
    "130100": 9,
    "130200": 9,
    "130900": 7,
    "130300": 3,
    "130400": 4,
    "130500": 3,
    "130700": 4,
    "130800": 3,
    "131100": 3,
    "110000": 3,
}
_OUTSIDE = ("310000", "320000", "330000", "440000", "370000", "510000", "420000", *OUTSIDE_CITIES)
_PREFIX = (
    "京畿",
    "岚科",
    "禾创",
    "北辰",
    "燕翎",
    "津海",
    "冀能",
    "砚源",
    "博远",
    "瀚宇",
    "新桥",
    "正衡",
    "恒拓",
    "芃明",
    "云岭",
    "长风",
    "棠和",
    "朔德",
)
_KINDS = ("生产基地", "研发中心", "产业化项目", "扩建项目", "中试基地", "区域总部", "智能工厂")


def _weighted(rng: np.random.Generator, weights: dict[str, int]) -> str:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return str(keys[int(rng.choice(len(keys), p=p / p.sum()))])


def _origin(rng: np.random.Generator, atlas: Atlas, beijing: list[str], hebei: list[str]) -> str:
    draw = rng.random()
    if draw < 0.58:
        return beijing[int(rng.integers(len(beijing)))] if rng.random() < 0.7 else "110000"
    if draw < 0.83:
        return _OUTSIDE[int(rng.integers(len(_OUTSIDE)))]
    if draw < 0.92:
        return "120000"
    return hebei[int(rng.integers(len(hebei)))]


def _stage(rng: np.random.Generator, signed: date) -> tuple[str, date | None, date | None]:
    """Stage and 开工/投产 dates: older projects are further along; a few are terminated."""
    age = (_LAST_DAY - signed).days / 365.25
    started = signed + timedelta(days=int(rng.integers(45, 320)))
    operating = started + timedelta(days=int(rng.integers(300, 1000)))
    if rng.random() < 0.04:
        return "终止", None, None
    if started > _LAST_DAY or rng.random() < 0.3 * np.exp(-age):
        return "签约", None, None
    if operating <= _LAST_DAY and rng.random() < min(0.8, 0.05 + 0.12 * age):
        return "投产", started, operating
    return ("开工" if rng.random() < 0.3 else "在建"), started, None


def sample_projects(atlas: Atlas, *, n: int = 2000, seed: int = SAMPLE_SEED) -> list[ProjectInput]:
    """``n`` generated projects (示例数据) with unique name-and-destination keys."""
    rng = np.random.default_rng(seed)
    beijing = [p.adcode for p in atlas.children("110000")]
    hebei = [p.adcode for p in atlas.children("130000") if p.level == "prefecture"]
    years = np.arange(2014, 2026)
    year_p = np.linspace(1.0, 2.2, len(years))
    year_p /= year_p.sum()
    result: list[ProjectInput] = []
    seen: set[tuple[str, str]] = set()
    while len(result) < n:
        industry = atlas.industries[int(rng.integers(len(atlas.industries)))]
        k = 1 + int(rng.random() < 0.35)
        picks = rng.choice(len(industry.segments), size=k, replace=False)
        segments = [industry.segments[int(i)].slug for i in sorted(picks)]
        platform = park = None
        draw = rng.random()
        relevant = [
            p for p in atlas.platforms if industry.slug in p.industries and p.places[-1][:2] != "11"
        ]
        parks = [p for p in atlas.parks if p.place[:2] != "11"]
        if draw < 0.22 and relevant:
            chosen = relevant[int(rng.integers(len(relevant)))]
            platform, destination = chosen.slug, chosen.places[-1]
        elif draw < 0.34:
            chosen_park = parks[int(rng.integers(len(parks)))]
            park, destination = chosen_park.slug, chosen_park.place
        else:
            destination = _weighted(rng, _DESTINATIONS)
        origin = _origin(rng, atlas, beijing, hebei)
        year = int(rng.choice(years, p=year_p))
        signed = date(year, 1, 1) + timedelta(days=int(rng.integers(0, 365)))
        stage, started, operating = _stage(rng, signed)
        lead = _PREFIX[int(rng.integers(len(_PREFIX)))]
        segment_name = atlas.segment(segments[0]).name
        kind = _KINDS[int(rng.integers(len(_KINDS)))]
        place = atlas.place(destination).short_name
        name = f"{lead}{segment_name}{kind}（{place}）"
        if natural_key(name, destination) in seen:
            name = f"{name}二期"
        if natural_key(name, destination) in seen:
            continue
        seen.add(natural_key(name, destination))
        investment = float(np.clip(np.round(rng.lognormal(1.1, 1.15), 2), 0.1, 500.0))
        partner = _PREFIX[int(rng.integers(len(_PREFIX)))]
        enterprises = [f"{lead}{industry.name}科技有限公司（示例）"]
        if rng.random() < 0.4:
            enterprises.append(f"{partner}{industry.name}装备有限公司（示例）")
        result.append(
            ProjectInput(
                name=name,
                origin_adcode=origin,
                destination_adcode=destination,
                investment=investment,
                stage=stage,
                industry=industry.slug,
                segments=segments,
                platform=platform,
                park=park,
                signed_on=signed,
                started_on=started,
                operating_on=operating,
                terminated_on=signed + timedelta(days=200) if stage == "终止" else None,
                enterprises=enterprises,
                addresses=f"{industry.name} · {segment_name}" if rng.random() < 0.5 else None,
                source=SAMPLE_SOURCE,
            )
        )
    return result
