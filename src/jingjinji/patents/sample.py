"""Generated sample patents (示例数据, provenance ``demo``) for the innovation chain.

Plain dicts in the parsed-row form of :func:`jingjinji.patents.table.parse_row`, generated
with ``numpy.random.default_rng(seed)``: the same seed gives the same patents. They are
made to read like a region where universities and institutes concentrate in Beijing and
enterprises spread over Tianjin and Hebei:

* applicants: universities and institutes (fictional names from the sample's brand
  syllables, e.g. ``北京岚柘理工大学``) placed mostly in Beijing, some in Tianjin, 石家庄 and
  保定; enterprises drawn from the sample registry's enterprises of the same segment when
  given (a third of those rows without an address, so the importer places them through the
  registry), else fictional; a few individuals;
* segments by a Dirichlet(0.5) mix per industry, so some segments have many patents and
  some none; filing years 2016–2025 growing about 12% a year; 发明 60%, 实用新型 35%,
  外观设计 5%; 有效 55%, 审中 25%, 失效 20%;
* IPC symbols from the segment's concordance rows, titles and abstracts from its keywords —
  in 20% of the patents without any keyword (only the IPC can place them) and in 10% with a
  main IPC outside the concordance (only the text can);
* application numbers by :func:`jingjinji.patents.template.sample_number`: a wrong check
  character, so no number is that of a real patent.

>>> from jingjinji.atlas import load_atlas
>>> rows = sample_patents(load_atlas(), count=3, seed=1)
>>> len(rows), rows[0]["application_number"][:2], rows[0]["provenance"]
(3, 'CN', 'demo')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np

from jingjinji.atlas import Atlas
from jingjinji.chains.sample import SAMPLE_SEED
from jingjinji.patents.ipc import load_concordance
from jingjinji.patents.template import sample_number

__all__ = ["sample_patents"]

_SYLLABLES = list("岚柘椿瑜苒楠砚棠渚朔梧芃璟瀚")
_UNIVERSITY = ["理工大学", "工业大学", "科技大学", "工程学院", "能源学院"]
_INSTITUTE = ["技术研究院", "工程研究所", "先进技术研究院", "应用技术研究所"]
_PERSONS = ["林晓峰", "周文博", "陈立新", "赵敏", "孙海涛", "王若彤"]
_SUFFIXES = ["及其制备方法", "的控制方法", "装置", "系统", "的检测方法", "结构", "组件"]
_EFFECTS = [
    "提高了可靠性并降低了成本",
    "缩短了处理时间",
    "提升了效率与寿命",
    "解决了现有技术中稳定性不足的问题",
    "便于批量生产",
]
_PARTS = ["壳体", "控制单元", "检测模块", "连接组件", "支撑架", "驱动机构", "传感单元", "冷却通道"]
_USES = ["工业现场", "批量制造", "车载环境", "户外作业", "实验室与中试线", "城市基础设施"]
_GENERIC = ["一种多功能处理装置", "一种改进的控制系统", "一种新型组合结构", "一种高效处理方法"]
#: Academic applicants' places: (adcode, weight, address).
_ACADEMIC_PLACES = [
    ("110108", 0.42, "北京市海淀区学院路"),
    ("110105", 0.08, "北京市朝阳区北四环中路"),
    ("110114", 0.08, "北京市昌平区未来科学城"),
    ("110115", 0.06, "北京市大兴区亦庄"),
    ("120104", 0.12, "天津市南开区卫津路"),
    ("120116", 0.06, "天津市滨海新区海河教育园"),
    ("130102", 0.08, "河北省石家庄市长安区"),
    ("130606", 0.06, "河北省保定市莲池区"),
    ("130202", 0.04, "河北省唐山市路南区"),
]
_FOREIGN_MAIN = ["G06F16/00", "G06Q10/06", "B65D81/00", "A47J27/00"]


def _codes(rows: Sequence[Any], rng: np.random.Generator) -> list[str]:
    picks = [rows[int(i)] for i in rng.choice(len(rows), size=min(2, len(rows)), replace=False)]
    codes = []
    for row in picks:
        code = row.ipc if "/" in row.ipc else f"{row.ipc}1/00"
        if code not in codes:
            codes.append(code)
    return codes


def sample_patents(
    atlas: Atlas,
    *,
    count: int = 6000,
    seed: int = SAMPLE_SEED,
    enterprises: Mapping[str, Sequence[tuple[str, str, str]]] | None = None,
) -> list[dict[str, Any]]:
    """``count`` sample patents (see the module docstring); ``enterprises`` maps a segment to
    (name, address, county adcode) of registry enterprises that may be its applicants."""
    rng = np.random.default_rng(seed + 19)
    by_segment: dict[str, list[Any]] = {}
    for row in load_concordance().rows:
        if row.ipc:
            by_segment.setdefault(row.segment, []).append(row)
    industries = [i for i in atlas.industries if any(s.slug in by_segment for s in i.segments)]
    mixes = {i.slug: rng.dirichlet(np.full(len(i.segments), 0.5)) for i in industries}
    years = np.arange(2016, 2026)
    year_p = 1.12 ** (years - 2016)
    year_p = year_p / year_p.sum()
    place_p = np.array([w for _c, w, _a in _ACADEMIC_PLACES])
    place_p = place_p / place_p.sum()
    rows: list[dict[str, Any]] = []
    for n in range(count):
        industry = industries[int(rng.integers(0, len(industries)))]
        segment = industry.segments[int(rng.choice(len(industry.segments), p=mixes[industry.slug]))]
        if segment.slug not in by_segment:
            segment = next(s for s in industry.segments if s.slug in by_segment)
        year = int(rng.choice(years, p=year_p))
        filed = date(year, int(rng.integers(1, 13)), int(rng.integers(1, 29)))
        kind_roll = float(rng.random())
        kind, digit = (
            ("发明", 1)
            if kind_roll < 0.6
            else ("实用新型", 2)
            if kind_roll < 0.95
            else ("外观设计", 3)
        )
        status_roll = float(rng.random())
        status = "有效" if status_roll < 0.55 else "审中" if status_roll < 0.8 else "失效"
        words = [*segment.keywords, *segment.synonyms]
        word = words[int(rng.integers(0, len(words)))]
        other = words[int(rng.integers(0, len(words)))]
        suffix = _SUFFIXES[int(rng.integers(0, len(_SUFFIXES)))]
        effect = _EFFECTS[int(rng.integers(0, len(_EFFECTS)))]
        codes = _codes(by_segment[segment.slug], rng)
        text_roll = float(rng.random())
        first, second = (_PARTS[int(i)] for i in rng.choice(len(_PARTS), size=2, replace=False))
        use = _USES[int(rng.integers(0, len(_USES)))]
        body = (
            f"包括{{part}}、{first}和{second}，所述{first}与{second}之间设有密封与定位结构，"
            f"所述{second}通过信号线与外部设备连接；工作时按预设参数调节运行状态。{effect}。"
            f"与现有技术相比，本方案结构紧凑、便于维护，适用于{use}。"
        )
        if text_roll < 0.2:
            title = _GENERIC[int(rng.integers(0, len(_GENERIC)))]
            abstract = f"本发明公开了{title[2:]}，" + body.format(part="主体")
        else:
            title = f"一种{word}{suffix}"
            abstract = (
                f"本发明公开了一种{word}{suffix}，涉及{segment.name}技术领域，"
                + body.format(part=other)
            )
            if text_roll > 0.9:
                codes = [_FOREIGN_MAIN[int(rng.integers(0, len(_FOREIGN_MAIN)))]]
        who = float(rng.random())
        candidates = (enterprises or {}).get(segment.slug, ())
        if who < 0.5 and candidates:
            name, address, county = candidates[int(rng.integers(0, len(candidates)))]
            adcode: str | None = county
            if rng.random() < 1 / 3:
                address, adcode = "", None
        else:
            index = int(rng.choice(len(_ACADEMIC_PLACES), p=place_p))
            adcode, _w, street = _ACADEMIC_PLACES[index]
            city = atlas.prefecture_unit_of(adcode)
            short = city.short_name if city else ""
            brand = _SYLLABLES[int(rng.integers(0, len(_SYLLABLES)))]
            brand += _SYLLABLES[int(rng.integers(0, len(_SYLLABLES)))]
            if who < 0.95:
                pool = _UNIVERSITY if who < 0.8 else _INSTITUTE
                name = f"{short}{brand}{pool[int(rng.integers(0, len(pool)))]}"
            else:
                name = _PERSONS[int(rng.integers(0, len(_PERSONS)))]
            address = f"{street}{int(rng.integers(1, 200))}号"
        rows.append(
            {
                "application_number": sample_number(year, digit, 9_000_000 + n),
                "publication_number": "",
                "title": f"{title}（示例）",
                "abstract": abstract,
                "filed_on": filed,
                "published_on": None,
                "kind": kind,
                "legal_status": status,
                "main_ipc": codes[0],
                "ipc": codes,
                "applicants": [name],
                "owner": "",
                "address": address,
                "place_adcode": adcode,
                "place_source": "address" if adcode else "",
                "provenance": "demo",
            }
        )
    return rows
