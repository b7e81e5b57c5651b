"""Generated sample listings (示例数据): achievements of Beijing universities and institutes,
demands and challenge calls of Tianjin and Hebei enterprises, shareable instruments.

Everything is generated with a fixed seed from the atlas segments (names, keywords, stages)
and phrase templates; organizations are fictional, named with the suffix （示例）, and every
listing has provenance ``demo``. :func:`generate_listings` is pure (used by the tests and the
benchmark); :func:`load_sample_listings` writes them in bulk.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas, Segment
from jingjinji.matching import MATURITY_STAGES
from jingjinji.store.base import utcnow
from jingjinji.store.models import Listing, ListingSegment, Organization

__all__ = [
    "SAMPLE_SEED",
    "SampleOrg",
    "generate_listings",
    "load_sample_listings",
    "sample_organizations",
]

SAMPLE_SEED = 20261128
TODAY = date(2026, 11, 28)  # generation is reproducible: dates are relative to this day

_BEIJING_INSTITUTIONS = (
    ("京华理工大学", "110108"),
    ("燕山北路科技大学", "110108"),
    ("西郊先进材料研究院", "110108"),
    ("北方能源工程研究院", "110114"),
    ("京西化工大学", "110105"),
    ("北辰智能制造研究院", "110115"),
    ("未来科学城氢能研究所", "110114"),
    ("京北医科大学", "110108"),
    ("京畿精密机械研究所", "110106"),
    ("海淀集成电路设计研究院", "110108"),
    ("京南交通大学", "110106"),
    ("清河电力科学研究院", "110108"),
    ("京畿网络安全技术研究院", "110105"),
    ("亦庄生物医药研究院", "110115"),
    ("京畿机器人创新研究院", "110115"),
    ("京城工业大学", "110105"),
    ("房山新材料研究所", "110111"),
    ("北京应急装备研究院", "110106"),
)
_ENTERPRISE_PLACES = (
    "120116",
    "120114",
    "120111",
    "120113",
    "120110",
    "130100",
    "130200",
    "130300",
    "130400",
    "130500",
    "130600",
    "130700",
    "130800",
    "130900",
    "131000",
    "131100",
    "130682",
    "130681",
)
_ENTERPRISE_WORDS = (
    "华北",
    "渤海",
    "津港",
    "冀中",
    "燕赵",
    "太行",
    "滨海",
    "长城",
    "海河",
    "冀东",
    "京南",
    "冀北",
)
_ENTERPRISE_TRADES = (
    "装备制造",
    "新能源科技",
    "精密机械",
    "智能科技",
    "材料科技",
    "电气",
    "汽车零部件",
    "生物科技",
    "电子",
    "重工",
    "化工",
    "自动化",
)

_ACH_SUFFIX = (
    "关键技术",
    "制备工艺",
    "集成系统",
    "检测方法",
    "智能控制技术",
    "国产化方案",
    "低成本制造技术",
    "可靠性提升技术",
    "在线监测系统",
    "设计与验证平台",
)
_PROBLEMS = (
    "进口产品价格高、供货周期长",
    "现有工艺能耗高、良品率低",
    "关键部件长期依赖进口",
    "传统方法效率低、一致性差",
    "检测精度不足、难以在线监测",
    "寿命短、维护成本高",
    "批量生产时性能波动大",
)
_APPROACHES = (
    "多尺度结构设计",
    "新型配方与工艺路线",
    "数字孪生建模",
    "自适应控制算法",
    "模块化集成设计",
    "高通量筛选方法",
    "低温快速成型工艺",
)
_RESULTS = (
    "关键指标达到国际同类产品水平",
    "成本较进口产品降低约{p}%",
    "效率提升约{p}%",
    "使用寿命延长约{x}倍",
    "良品率提高到{q}%以上",
)
_ROUTES = (
    "与制造企业合作建设中试线后许可生产",
    "技术许可给行业龙头企业",
    "作价入股成立产业化公司",
    "与用户单位合作开发、先使用后付费",
)
_DEMAND_TITLES = (
    "寻求{k}国产化替代技术",
    "{k}工艺升级需求",
    "征集{k}{s}解决方案",
    "{k}降本增效技术需求",
    "引进{k}成熟技术",
    "{s}{k}技术合作需求",
)
_CURRENT = (
    "目前依赖进口设备，采购和维护成本高",
    "现有生产线自动化程度低",
    "现有工艺良品率约{q}%",
    "产品性能与国外先进水平存在差距",
    "检测依靠人工抽检，效率低",
)
_INDICATORS = (
    "良品率提高到{q}%以上",
    "单位成本降低{p}%",
    "产能提升{p}%",
    "关键指标达到进口产品水平",
    "连续运行{h}小时无故障",
)
_INSTRUMENTS = (
    ("场发射扫描电子显微镜", "电子光学仪器"),
    ("透射电子显微镜", "电子光学仪器"),
    ("X射线衍射仪", "X射线仪器"),
    ("X射线光电子能谱仪", "X射线仪器"),
    ("核磁共振波谱仪", "波谱仪器"),
    ("高分辨质谱仪", "质谱仪器"),
    ("气相色谱-质谱联用仪", "质谱仪器"),
    ("拉曼光谱仪", "光谱仪器"),
    ("激光共聚焦显微镜", "光学仪器"),
    ("原子力显微镜", "显微仪器"),
    ("电化学工作站", "电化学仪器"),
    ("三坐标测量机", "计量仪器"),
    ("热重分析仪", "热分析仪器"),
    ("疲劳试验机", "力学性能测试"),
    ("电磁兼容测试系统", "电子测量仪器"),
    ("半导体参数分析仪", "电子测量仪器"),
    ("流式细胞仪", "生命科学仪器"),
    ("燃料电池测试台", "工程测试设备"),
    ("电池充放电测试系统", "工程测试设备"),
)


@dataclass(frozen=True)
class SampleOrg:
    """A fictional sample organization."""

    name: str
    kind: str
    place: str


def _sample_phone(prefix: str, draw: int) -> str:
    """A contact number that cannot be dialled: a local number never starts with 0, so
    ``010-0xxxxxxx`` reaches no one (and says it is a sample)."""
    return f"{prefix}-0{draw % 10_000_000:07d}（示例号码，不可拨打）"


def sample_organizations() -> list[SampleOrg]:
    """The sample organizations: Beijing institutions, then Tianjin and Hebei enterprises."""
    orgs = [
        SampleOrg(f"{name}（示例）", "university", place) for name, place in _BEIJING_INSTITUTIONS
    ]
    for i, place in enumerate(_ENTERPRISE_PLACES * 3):
        word = _ENTERPRISE_WORDS[i % len(_ENTERPRISE_WORDS)]
        trade = _ENTERPRISE_TRADES[(i * 5) % len(_ENTERPRISE_TRADES)]
        orgs.append(SampleOrg(f"{word}{trade}有限公司{i + 1:02d}（示例）", "enterprise", place))
    return orgs


def _fill(rng: np.random.Generator, template: str) -> str:
    return template.format(
        p=int(rng.integers(15, 45)),
        x=int(rng.integers(2, 4)),
        q=int(rng.integers(90, 99)),
        h=int(rng.integers(500, 2000)),
    )


def _pick(rng: np.random.Generator, items: tuple[str, ...] | list[str]) -> str:
    return items[int(rng.integers(len(items)))]


def _segments(atlas: Atlas) -> list[tuple[str, Segment]]:
    return [(ind.slug, seg) for ind in atlas.industries for seg in ind.segments]


def generate_listings(
    atlas: Atlas,
    *,
    achievements: int = 5000,
    demands: int = 2000,
    challenges: int = 100,
    instruments: int = 300,
    seed: int = SAMPLE_SEED,
    orgs: dict[str, int] | None = None,
) -> Iterator[dict[str, Any]]:
    """Listing rows (column dicts plus ``_org`` the organization name when ``orgs`` is None)."""
    rng = np.random.default_rng(seed)
    segs = _segments(atlas)
    org_list = sample_organizations()
    supply = [o for o in org_list if o.kind == "university"]
    demand_orgs = [o for o in org_list if o.kind == "enterprise"]
    now = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC)

    def base(kind: str, org: SampleOrg, industry: str, seg: Segment) -> dict[str, Any]:
        age = int(rng.integers(1, 700))
        published = now - timedelta(days=age)
        expired = rng.random() < 0.04
        valid_until = (
            TODAY - timedelta(days=int(rng.integers(1, 60)))
            if expired
            else (TODAY + timedelta(days=int(rng.integers(60, 720))))
        )
        return {
            "kind": kind,
            "status": "published",
            "organization_id": orgs[org.name] if orgs else 0,
            "_org": org.name,
            "place_adcode": org.place,
            "segments": [seg.slug],
            "industries": [industry],
            "provenance": "demo",
            "published_at": published,
            "valid_from": published.date(),
            "valid_until": valid_until,
            "contact_public": bool(rng.random() < 0.3),
            "version": 1,
        }

    for _ in range(achievements):
        industry, seg = segs[int(rng.integers(len(segs)))]
        org = supply[int(rng.integers(len(supply)))]
        words = [
            str(w) for w in rng.choice(seg.keywords, size=min(3, len(seg.keywords)), replace=False)
        ]
        stage_i = int(rng.choice(5, p=[0.12, 0.33, 0.30, 0.15, 0.10]))
        price = float(rng.integers(10, 500)) * (1 + stage_i)
        row = base("achievement", org, industry, seg)
        row.update(
            title=f"{words[0]}{_pick(rng, _ACH_SUFFIX)}",
            summary=(
                f"本成果面向{seg.name}领域，针对{_pick(rng, _PROBLEMS)}的问题，"
                f"采用{_pick(rng, _APPROACHES)}，研制了{words[0]}与{words[1]}相结合的技术方案，"
                f"{_fill(rng, _pick(rng, _RESULTS))}。{seg.description}"
            ),
            keywords=words,
            stage=MATURITY_STAGES[stage_i],
            achievement_type=_pick(rng, ("专利", "专利", "新工艺", "新产品", "软件著作权")),
            patent_numbers=[
                f"ZL20{int(rng.integers(18, 26))}1{int(rng.integers(10_000_000, 99_999_999))}.X"
            ],
            transaction_modes=sorted(
                {
                    _pick(rng, ("转让", "许可", "作价入股", "合作开发", "先使用后付费"))
                    for _ in range(2)
                }
            ),
            price_min=price,
            price_max=price * 1.5,
            problem=f"解决{seg.name}中{_pick(rng, _PROBLEMS)}的问题",
            advantage=_fill(rng, _pick(rng, _RESULTS)),
            economics=_fill(rng, "与进口方案相比，综合成本降低约{p}%")
            if rng.random() < 0.6
            else "",
            commercial_route=_pick(rng, _ROUTES),
            contact=_sample_phone("成果转化办公室 010", int(rng.integers(6000_0000, 6999_9999))),
        )
        yield row

    for i in range(demands + challenges):
        kind = "demand" if i < demands else "challenge"
        industry, seg = segs[int(rng.integers(len(segs)))]
        org = demand_orgs[int(rng.integers(len(demand_orgs)))]
        words = [str(w) for w in rng.choice(seg.keywords, size=2, replace=False)]
        stage_i = int(rng.choice(5, p=[0.03, 0.12, 0.35, 0.30, 0.20]))
        row = base(kind, org, industry, seg)
        title = _pick(rng, _DEMAND_TITLES).format(k=words[0], s=seg.name)
        place_name = atlas.place(org.place).name
        row.update(
            title=title if kind == "demand" else f"揭榜挂帅：{words[0]}关键技术攻关",
            summary=(
                f"我单位位于{place_name}，主要从事{seg.name}相关产品的生产，"
                f"{_fill(rng, _pick(rng, _CURRENT))}。希望引进{words[0]}、{words[1]}方面的技术，"
                f"实现{_fill(rng, _pick(rng, _INDICATORS))}。"
            ),
            keywords=words,
            stage=MATURITY_STAGES[stage_i],
            current_solution=_fill(rng, _pick(rng, _CURRENT)),
            target_indicators=_fill(rng, _pick(rng, _INDICATORS)),
            deadline=TODAY + timedelta(days=int(rng.integers(90, 540))),
            contact=_sample_phone("技术部 022", int(rng.integers(2000_0000, 2999_9999))),
        )
        if kind == "demand":
            row["budget"] = float(rng.integers(20, 800))
        else:
            row.update(
                reward=float(rng.integers(100, 2000)),
                conditions="揭榜方须为京津冀高校、科研院所或企业，具备相关研发基础和中试条件",
                challenge_stage=_pick(rng, ("发榜", "揭榜", "揭榜", "评审")),
            )
        yield row

    for _ in range(instruments):
        name, category = _INSTRUMENTS[int(rng.integers(len(_INSTRUMENTS)))]
        org = supply[int(rng.integers(len(supply)))]
        industry, seg = segs[int(rng.integers(len(segs)))]
        row = base("instrument", org, industry, seg)
        row.update(
            title=f"{name}（{org.name.removesuffix('（示例）')}）",
            summary=f"{name}对外开放共享，可用于{seg.name}等领域的测试分析，提供样品制备与数据解读服务。",
            keywords=[name, category],
            instrument_category=category,
            price_per_hour=float(rng.integers(2, 40) * 50),
            contact=_sample_phone("大型仪器共享平台 010", int(rng.integers(6000_0000, 6999_9999))),
            contact_public=True,
        )
        yield row


def load_sample_listings(session: Session, atlas: Atlas) -> int:
    """Sample-data loader: organizations (by name, if missing) and listings in bulk; does
    nothing when listings exist."""
    from jingjinji.auth import create_organization

    if session.scalar(select(func.count(Listing.id))):
        return 0
    existing = dict(session.execute(select(Organization.name, Organization.id)).all())
    for org in sample_organizations():
        if org.name not in existing:
            existing[org.name] = create_organization(
                session, name=org.name, kind=org.kind, place_adcode=org.place
            ).id
    rows = list(generate_listings(atlas, orgs=existing))
    defaults = {
        "summary": "",
        "keywords": [],
        "patent_numbers": [],
        "transaction_modes": [],
        "problem": "",
        "advantage": "",
        "economics": "",
        "commercial_route": "",
        "current_solution": "",
        "target_indicators": "",
        "conditions": "",
    }
    columns = set(Listing.__table__.columns.keys())
    stamp = {"created_at": utcnow(), "updated_at": utcnow()}
    clean = [
        {**defaults, **{k: v for k, v in row.items() if k in columns}, **stamp} for row in rows
    ]
    ids = session.scalars(
        insert(Listing).returning(Listing.id, sort_by_parameter_order=True), clean
    ).all()
    segment_rows = [
        {"listing_id": listing_id, "segment": seg, "industry": row["industries"][0]}
        for listing_id, row in zip(ids, rows, strict=True)
        for seg in row["segments"]
    ]
    session.execute(insert(ListingSegment), segment_rows)
    return len(ids)
