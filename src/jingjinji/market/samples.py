"""Generated sample listings (示例数据): achievements of Beijing universities and institutes,
demands and challenge calls of Tianjin and Hebei enterprises, shareable instruments.

Everything is generated with a fixed seed from the atlas segments (names, keywords, stages)
and phrase templates; organizations are fictional, named with the suffix （示例）, and every
listing has provenance ``demo``. A listing is kept coherent: each organization works in a few
industries (an institute named after a field in that field only, an enterprise in what its
trade word says) and publishes only there; each instrument serves the segments it is used in;
the phrases fit the kind of segment (a material, a device, a chip, software, a drug, a process,
a service); a figure drawn once reads the same in the summary and in the field that holds it.
:func:`generate_listings` is pure (used by the tests and the benchmark);
:func:`load_sample_listings` writes them in bulk.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas, Segment
from jingjinji.matching import MATURITY_STAGES
from jingjinji.store.base import utcnow
from jingjinji.store.models import Listing, ListingSegment, Organization

__all__ = [
    "SAMPLE_SEED",
    "TODAY",
    "SampleOrg",
    "generate_listings",
    "load_sample_listings",
    "sample_organizations",
]

SAMPLE_SEED = 20261128
TODAY = date(2026, 11, 28)  # generation is reproducible: dates are relative to this day

_T = TypeVar("_T")

# -- who works where -----------------------------------------------------------------------
# An organization (or an instrument) names industries and, optionally, segments (atlas slugs,
# space-separated): an industry none of whose segments is named is covered whole, otherwise
# only its named segments.

_ALL = "hydrogen nev-icv cybersecurity machine-tools biomedicine robotics integrated-circuits \
power-equipment emergency-equipment"
#: Segments whose product is a material (materials institutes, 材料科技 enterprises).
_MATERIALS = """hydrogen-fc-catalyst hydrogen-fc-membrane hydrogen-fc-gdl hydrogen-fc-bipolar-plate
    hydrogen-solid-storage hydrogen-compressed-storage nev-battery-materials nev-chassis-body
    nev-battery-recycling ic-silicon-wafer ic-gases-chemicals ic-photoresist-mask ic-cmp-targets
    pe-electrical-steel pe-insulation pe-pv-cells pe-cables em-protective-materials
    em-personal-protection bio-excipients-packaging bio-process-materials bio-implants
    mt-castings mt-cutting-tools mt-additive"""
_MATERIAL_INDUSTRIES = "hydrogen nev-icv integrated-circuits power-equipment emergency-equipment \
biomedicine machine-tools"

#: Beijing institutions: name, district, industries, segments (general universities cover
#: several fields or all; an institute named after a field only that field).
_BEIJING_INSTITUTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("京华理工大学", "110108", _ALL, ""),
    ("燕山北路科技大学", "110108", _ALL.replace(" biomedicine", ""), ""),
    ("西郊先进材料研究院", "110108", _MATERIAL_INDUSTRIES, _MATERIALS),
    ("北方能源工程研究院", "110114", "hydrogen power-equipment nev-icv",
     "nev-battery-materials nev-power-battery nev-bms nev-charging nev-battery-recycling"),
    ("京西化工大学", "110105", "hydrogen nev-icv integrated-circuits biomedicine power-equipment "
     "emergency-equipment",
     "hydrogen-green-production hydrogen-fossil-production hydrogen-byproduct "
     "hydrogen-fc-catalyst hydrogen-fc-membrane hydrogen-solid-storage hydrogen-chemicals "
     "nev-battery-materials nev-power-battery nev-battery-recycling ic-gases-chemicals "
     "ic-photoresist-mask ic-cmp-targets bio-api bio-excipients-packaging bio-process-materials "
     "bio-chemical-drugs pe-insulation pe-energy-storage em-protective-materials "
     "em-personal-protection"),
    ("北辰智能制造研究院", "110115", "machine-tools robotics", ""),
    ("未来科学城氢能研究所", "110114", "hydrogen", ""),
    ("京北医科大学", "110108", "biomedicine", ""),
    ("京畿精密机械研究所", "110106", "machine-tools", ""),
    ("海淀集成电路设计研究院", "110108", "integrated-circuits",  # design, not fabs or materials
     "ic-eda-ip ic-design-digital ic-design-analog ic-memory ic-power-compound ic-mems-sensors "
     "ic-packaging ic-testing ic-computing-comms ic-automotive-industrial "
     "ic-consumer-electronics"),
    ("京南交通大学", "110106", "nev-icv power-equipment emergency-equipment cybersecurity "
     "robotics machine-tools hydrogen", ""),
    ("清河电力科学研究院", "110108", "power-equipment", ""),
    ("京畿网络安全技术研究院", "110105", "cybersecurity", ""),
    ("亦庄生物医药研究院", "110115", "biomedicine", ""),
    ("京畿机器人创新研究院", "110115", "robotics", ""),
    ("京城工业大学", "110105", _ALL, ""),
    ("房山新材料研究所", "110111",
     "hydrogen nev-icv power-equipment emergency-equipment machine-tools",
     " ".join(s for s in _MATERIALS.split() if not s.startswith(("ic-", "bio-")))),
    ("北京应急装备研究院", "110106", "emergency-equipment", ""),
)  # fmt: skip
_ENTERPRISE_PLACES = (
    "120116", "120114", "120111", "120113", "120110", "130100", "130200", "130300", "130400",
    "130500", "130600", "130700", "130800", "130900", "131000", "131100", "130682", "130681",
)  # fmt: skip
_ENTERPRISE_WORDS = (
    "华北", "渤海", "津港", "冀中", "燕赵", "太行", "滨海", "长城", "海河", "冀东", "京南", "冀北",
)  # fmt: skip
#: Trade words of the enterprise names, with the industries and segments such a firm works in.
_ENTERPRISE_TRADES: tuple[tuple[str, str, str], ...] = (
    ("装备制造", "machine-tools robotics emergency-equipment hydrogen power-equipment biomedicine "
     "integrated-circuits",
     "robot-industrial robot-mobile robot-special robot-integration em-core-components "
     "em-firefighting em-rescue em-flood-water-rescue em-power-lighting em-medical-rescue "
     "hydrogen-electrolyzer hydrogen-refueling-station hydrogen-liquid-storage pe-wind-turbines "
     "pe-thermal-nuclear-hydro pe-transformers pe-switchgear bio-pharma-equipment ic-equipment "
     "ic-equipment-parts"),
    ("新能源科技", "hydrogen nev-icv power-equipment",
     "hydrogen-green-production hydrogen-electrolyzer hydrogen-fc-mea hydrogen-fc-stack "
     "hydrogen-fc-system hydrogen-testing hydrogen-refueling-station hydrogen-power "
     "nev-battery-materials nev-power-battery nev-bms nev-passenger-vehicle nev-charging "
     "nev-battery-recycling pe-pv-cells pe-pv-modules pe-wind-turbines pe-energy-storage "
     "pe-power-plants pe-energy-services"),
    ("精密机械", "machine-tools robotics", "robot-reducer robot-servo robot-end-effector"),
    ("智能科技", "robotics nev-icv emergency-equipment power-equipment",
     "nev-sensors nev-vehicle-os nev-hd-map nev-autonomous-driving nev-smart-cockpit nev-v2x "
     "nev-mobility-demo nev-testing em-software-platform em-monitoring em-industry-solutions "
     "pe-grid-automation pe-energy-services"),
    ("材料科技", _MATERIAL_INDUSTRIES, _MATERIALS),
    ("电气", "power-equipment nev-icv emergency-equipment machine-tools",
     "nev-e-motor nev-motor-controller nev-charging em-power-lighting mt-servo-drive"),
    ("汽车零部件", "nev-icv hydrogen machine-tools",
     "nev-bms nev-e-motor nev-motor-controller nev-sensors nev-chassis-body nev-smart-cockpit "
     "nev-power-battery hydrogen-fc-bop hydrogen-fc-system hydrogen-compressed-storage "
     "mt-auto-machining mt-mold-die"),
    ("生物科技", "biomedicine",
     "bio-drug-discovery bio-clinical-research bio-process-materials bio-biologics bio-vaccines "
     "bio-cell-gene-therapy bio-ivd bio-cdmo bio-medical-services"),
    ("电子", "integrated-circuits nev-icv emergency-equipment power-equipment cybersecurity",
     "nev-auto-chips nev-sensors nev-smart-cockpit em-sensors em-communication "
     "pe-power-electronics cyber-crypto-chips"),
    ("重工", "machine-tools power-equipment hydrogen emergency-equipment nev-icv robotics",
     "mt-castings mt-machining-center mt-gear-machines mt-grinding mt-forming "
     "pe-thermal-nuclear-hydro pe-wind-components pe-wind-turbines pe-transformers "
     "hydrogen-metallurgy hydrogen-liquid-storage hydrogen-compressed-storage hydrogen-pipeline "
     "hydrogen-fc-vehicle em-core-components em-firefighting em-rescue nev-commercial-vehicle "
     "robot-special"),
    ("化工", "hydrogen nev-icv integrated-circuits biomedicine emergency-equipment power-equipment",
     "hydrogen-fossil-production hydrogen-byproduct hydrogen-chemicals hydrogen-fc-catalyst "
     "hydrogen-fc-membrane nev-battery-materials nev-battery-recycling ic-gases-chemicals "
     "ic-photoresist-mask ic-cmp-targets bio-api bio-excipients-packaging "
     "em-protective-materials pe-insulation"),
    ("自动化", "robotics machine-tools power-equipment integrated-circuits emergency-equipment "
     "cybersecurity",
     "mt-cnc-system mt-servo-drive mt-metrology mt-flexible-line pe-grid-automation "
     "pe-motors-drives ic-automotive-industrial em-sensors em-monitoring cyber-ics-security"),
    ("网络科技", "cybersecurity emergency-equipment nev-icv integrated-circuits",
     "em-software-platform em-industry-solutions nev-v2x nev-vehicle-os ic-computing-comms"),
    ("医药", "biomedicine",
     "bio-api bio-excipients-packaging bio-tcm-materials bio-chemical-drugs bio-vaccines "
     "bio-tcm-products bio-cdmo bio-distribution"),
    ("医疗器械", "biomedicine robotics emergency-equipment",
     "bio-imaging-devices bio-ivd bio-implants robot-medical em-medical-rescue"),
    ("安全科技", "emergency-equipment", ""),
)  # fmt: skip
#: Shareable instruments: name, category, industries and segments it serves (as above), and
#: the usual range of its hourly fee (元).
_INSTRUMENTS: tuple[tuple[str, str, str, str, tuple[int, int]], ...] = (
    ("场发射扫描电子显微镜", "电子光学仪器", _MATERIAL_INDUSTRIES,
     "hydrogen-fc-catalyst hydrogen-fc-membrane hydrogen-fc-gdl hydrogen-fc-bipolar-plate "
     "hydrogen-fc-mea nev-battery-materials nev-power-battery ic-silicon-wafer ic-cmp-targets "
     "ic-foundry ic-packaging pe-electrical-steel pe-insulation pe-pv-cells mt-cutting-tools "
     "mt-additive bio-implants em-protective-materials", (300, 600)),
    ("透射电子显微镜", "电子光学仪器",
     "hydrogen nev-icv integrated-circuits power-equipment biomedicine",
     "hydrogen-fc-catalyst hydrogen-solid-storage nev-battery-materials ic-foundry "
     "ic-power-compound ic-silicon-wafer pe-pv-cells bio-vaccines bio-cell-gene-therapy",
     (800, 1500)),
    ("X射线衍射仪", "X射线仪器",
     "hydrogen nev-icv integrated-circuits power-equipment machine-tools biomedicine",
     "hydrogen-fc-catalyst hydrogen-solid-storage nev-battery-materials ic-silicon-wafer "
     "ic-power-compound pe-electrical-steel pe-pv-cells mt-cutting-tools mt-additive bio-api "
     "bio-chemical-drugs", (150, 400)),
    ("X射线光电子能谱仪", "X射线仪器",
     "hydrogen nev-icv integrated-circuits power-equipment machine-tools",
     "hydrogen-fc-catalyst hydrogen-fc-bipolar-plate nev-battery-materials ic-silicon-wafer "
     "ic-cmp-targets ic-photoresist-mask pe-pv-cells mt-cutting-tools", (400, 900)),
    ("核磁共振波谱仪", "波谱仪器", "biomedicine",
     "bio-drug-discovery bio-api bio-chemical-drugs bio-biologics bio-tcm-products "
     "bio-excipients-packaging", (300, 800)),
    ("高分辨质谱仪", "质谱仪器", "biomedicine",
     "bio-drug-discovery bio-api bio-chemical-drugs bio-biologics bio-clinical-research "
     "bio-tcm-products bio-medical-services", (400, 1000)),
    ("气相色谱-质谱联用仪", "质谱仪器", "biomedicine hydrogen integrated-circuits",
     "bio-api bio-tcm-materials bio-tcm-products bio-chemical-drugs bio-excipients-packaging "
     "hydrogen-testing hydrogen-byproduct ic-gases-chemicals", (200, 500)),  # 氢气、电子特气纯度
    ("拉曼光谱仪", "光谱仪器",
     "hydrogen nev-icv integrated-circuits biomedicine emergency-equipment",
     "hydrogen-fc-catalyst hydrogen-fc-gdl nev-battery-materials ic-silicon-wafer "
     "ic-power-compound bio-api bio-chemical-drugs em-public-security", (150, 400)),
    ("激光共聚焦显微镜", "光学仪器", "biomedicine",
     "bio-drug-discovery bio-cell-gene-therapy bio-biologics bio-vaccines bio-ivd bio-implants",
     (200, 500)),
    ("原子力显微镜", "显微仪器", "integrated-circuits hydrogen nev-icv",
     "ic-silicon-wafer ic-photoresist-mask ic-cmp-targets ic-mems-sensors ic-foundry "
     "hydrogen-fc-membrane nev-battery-materials", (300, 700)),
    ("电化学工作站", "电化学仪器", "hydrogen nev-icv power-equipment emergency-equipment",
     "hydrogen-electrolyzer hydrogen-fc-catalyst hydrogen-fc-membrane hydrogen-fc-mea "
     "hydrogen-fc-bipolar-plate hydrogen-fc-stack nev-battery-materials nev-power-battery "
     "pe-energy-storage em-sensors", (100, 300)),
    ("三坐标测量机", "计量仪器", "machine-tools robotics nev-icv",
     "mt-metrology mt-machining-center mt-auto-machining mt-aerospace-machining mt-mold-die "
     "mt-castings mt-linear-motion mt-spindle robot-reducer robot-industrial "
     "robot-testing-service nev-chassis-body nev-e-motor", (200, 500)),
    ("热重分析仪", "热分析仪器", "hydrogen nev-icv biomedicine power-equipment emergency-equipment",
     "hydrogen-fc-membrane hydrogen-fc-catalyst hydrogen-solid-storage nev-battery-materials "
     "nev-battery-recycling bio-api bio-excipients-packaging pe-insulation "
     "em-protective-materials", (100, 250)),  # 材料热稳定性：绝缘、阻燃材料也用
    ("疲劳试验机", "力学性能测试", "machine-tools robotics nev-icv",
     "mt-linear-motion mt-precision-bearings mt-spindle mt-additive mt-aerospace-machining "
     "robot-reducer robot-servo robot-humanoid robot-end-effector nev-chassis-body nev-e-motor",
     (200, 600)),
    ("电磁兼容测试系统", "电子测量仪器", "nev-icv power-equipment emergency-equipment",
     "nev-testing nev-motor-controller nev-sensors nev-smart-cockpit nev-auto-chips "
     "nev-charging nev-bms pe-testing pe-grid-automation pe-power-electronics pe-pv-modules "
     "pe-switchgear em-communication em-monitoring em-sensors", (500, 1200)),
    ("半导体参数分析仪", "电子测量仪器", "integrated-circuits power-equipment",
     "ic-power-compound ic-design-analog ic-mems-sensors ic-testing ic-foundry ic-memory "
     "pe-power-electronics", (200, 500)),
    ("流式细胞仪", "生命科学仪器", "biomedicine",
     "bio-cell-gene-therapy bio-biologics bio-vaccines bio-drug-discovery bio-ivd "
     "bio-medical-services", (200, 400)),
    ("燃料电池测试台", "工程测试设备", "hydrogen",
     "hydrogen-fc-stack hydrogen-fc-mea hydrogen-fc-system hydrogen-fc-bop hydrogen-testing "
     "hydrogen-power", (300, 800)),
    ("电池充放电测试系统", "工程测试设备", "nev-icv power-equipment",
     "nev-power-battery nev-battery-materials nev-bms nev-battery-recycling pe-energy-storage",
     (100, 300)),
    ("激光跟踪仪", "计量仪器", "robotics machine-tools",
     "robot-industrial robot-collaborative robot-integration robot-testing-service "
     "mt-metrology mt-aerospace-machining mt-machining-center", (300, 800)),
    ("网络安全测试仪", "电子测量仪器", "cybersecurity nev-icv integrated-circuits",
     "cyber-network-security cyber-ics-security cyber-assessment cyber-crypto-products "
     "cyber-cloud-security nev-v2x ic-computing-comms", (300, 800)),
    ("高低温湿热试验箱", "环境试验设备",
     "nev-icv integrated-circuits power-equipment emergency-equipment",
     "nev-power-battery nev-auto-chips nev-sensors ic-testing ic-packaging pe-pv-modules "
     "pe-insulation em-communication em-personal-protection", (100, 300)),
)  # fmt: skip
#: Categories whose users send samples (others test a part or a system in place).
_SAMPLE_CATEGORIES = frozenset(
    ("电子光学仪器", "X射线仪器", "波谱仪器", "质谱仪器", "光谱仪器", "光学仪器", "显微仪器",
     "热分析仪器", "生命科学仪器", "电化学仪器")
)  # fmt: skip

# -- how listings are worded, by kind of segment ------------------------------------------


@dataclass(frozen=True)
class _Voice:
    """Phrases for listings of one kind of segment. Templates take {p} a percentage, {x} a
    factor, {q} a rate in per cent, {q0} a lower current rate, {h} hours, {n} a purity."""

    suffixes: tuple[str, ...]  # achievement title: a keyword and a suffix
    problems: tuple[str, ...]
    approaches: tuple[str, ...]
    results: tuple[str, ...]
    routes: tuple[str, ...]
    types: tuple[str, ...]  # achievement types, repeated by weight
    verb: str
    economics: str
    titles: tuple[str, ...]  # demand titles: {k} a keyword, {s} the segment name
    business: str  # 主要从事{segment}{business}
    current: tuple[str, ...]
    targets: tuple[str, ...]  # read after 实现
    condition: str  # what a challenge's applicant needs


_MAKER_ROUTES = (
    "与制造企业合作建设中试线后许可生产", "技术许可给行业龙头企业", "作价入股成立产业化公司",
    "与用户单位合作开发、先使用后付费",
)  # fmt: skip
_SOFTWARE_ROUTES = (
    "软件许可给行业用户、按年收取服务费", "与系统集成商合作推广", "作价入股成立产业化公司",
    "与用户单位合作开发、先使用后付费",
)  # fmt: skip
_MAKER_TITLES = (
    "寻求{k}国产化替代技术", "{k}工艺升级需求", "征集{s}领域{k}解决方案", "{k}降本增效技术需求",
    "引进{k}成熟技术", "{s}：{k}技术合作需求",
)  # fmt: skip
_SOFTWARE_TITLES = (
    "寻求{k}国产化替代方案", "{k}系统升级需求", "征集{s}领域{k}解决方案", "引进{k}成熟产品",
    "{s}：{k}技术合作需求",
)  # fmt: skip
_SOFTWARE_TYPES = ("软件著作权", "软件著作权", "专利", "新产品")
_IMPORT_ECONOMICS = "与进口方案相比，综合成本降低约{p}%"
_MAKER_TARGETS = (
    "良品率提高到{q}%以上", "单位成本降低{p}%", "产能提升{p}%", "关键指标达到进口产品水平",
)  # fmt: skip

_VOICES: dict[str, _Voice] = {
    "material": _Voice(
        suffixes=("关键技术", "制备工艺", "低成本制造技术", "批量化生产工艺", "检测方法",
                  "可靠性提升技术", "国产化方案"),
        problems=("进口产品价格高、供货周期长", "关键材料长期依赖进口", "现有工艺能耗高、良品率低",
                  "批量生产时性能波动大", "寿命短、稳定性差"),
        approaches=("多尺度结构设计", "新型配方与工艺路线", "高通量筛选方法", "表面改性与界面调控",
                    "低温快速成型工艺"),
        results=("关键指标达到国际同类产品水平", "成本较进口产品降低约{p}%", "使用寿命延长约{x}倍",
                 "良品率提高到{q}%以上"),
        routes=_MAKER_ROUTES, types=("专利", "专利", "专利", "新工艺", "新产品", "技术秘密"),
        verb="研制了", economics=_IMPORT_ECONOMICS, titles=_MAKER_TITLES, business="相关产品的生产",
        current=("目前依赖进口材料，采购成本高、供货周期长", "现有工艺良品率约{q0}%",
                 "产品性能与国外先进水平存在差距", "批次间性能一致性差"),
        targets=_MAKER_TARGETS, condition="中试条件",
    ),
    "device": _Voice(
        suffixes=("关键技术", "集成系统", "智能控制技术", "低成本制造技术", "可靠性提升技术",
                  "在线监测系统", "设计与验证平台", "检测方法", "国产化方案"),
        problems=("进口产品价格高、供货周期长", "关键部件长期依赖进口", "传统方法效率低、一致性差",
                  "检测精度不足、难以在线监测", "寿命短、维护成本高", "批量生产时性能波动大"),
        approaches=("多尺度结构设计", "数字孪生建模", "自适应控制算法", "模块化集成设计",
                    "多物理场耦合仿真"),
        results=("关键指标达到国际同类产品水平", "成本较进口产品降低约{p}%", "效率提升约{p}%",
                 "使用寿命延长约{x}倍", "良品率提高到{q}%以上"),
        routes=_MAKER_ROUTES, types=("专利", "专利", "专利", "新产品", "新产品", "新工艺"),
        verb="研制了", economics=_IMPORT_ECONOMICS, titles=_MAKER_TITLES, business="相关产品的生产",
        current=("目前依赖进口设备，采购和维护成本高", "现有生产线自动化程度低",
                 "现有工艺良品率约{q0}%", "产品性能与国外先进水平存在差距",
                 "检测依靠人工抽检，效率低"),
        targets=(*_MAKER_TARGETS, "连续运行{h}小时无故障"), condition="中试条件",
    ),
    "chip": _Voice(
        suffixes=("关键技术", "架构设计", "低功耗设计技术", "设计与验证平台", "可靠性提升技术",
                  "国产化方案"),
        problems=("进口芯片价格高、供货周期长", "关键芯片长期依赖进口", "功耗高、性能不足",
                  "国产方案配套生态不完善"),
        approaches=("新型电路架构", "低功耗设计方法", "软硬件协同设计", "国产工艺平台适配",
                    "可测性设计"),
        results=("关键指标达到国际同类产品水平", "成本较进口芯片降低约{p}%", "功耗降低约{p}%",
                 "性能提升约{p}%"),
        routes=("与晶圆厂合作流片验证后许可量产", "技术许可给芯片设计企业",
                "作价入股成立产业化公司", "与整机企业合作开发、先使用后付费"),
        types=("专利", "专利", "新产品", "技术秘密"), verb="设计了",
        economics="与进口芯片相比，综合成本降低约{p}%",
        titles=("寻求{k}国产化替代方案", "征集{s}领域{k}解决方案", "引进{k}成熟技术",
                "{s}：{k}联合研发需求"),
        business="相关产品的研发",
        current=("目前依赖进口芯片，供货周期长", "现有方案功耗偏高",
                 "产品性能与国外先进水平存在差距", "国产替代方案尚未完成验证"),
        targets=("功耗降低{p}%", "单位成本降低{p}%", "关键指标达到进口产品水平",
                 "核心芯片国产化替代"),
        condition="流片验证条件",
    ),
    "software": _Voice(
        suffixes=("关键技术", "软件平台", "智能分析系统", "关键算法", "一体化解决方案",
                  "国产化方案"),
        problems=("国外软件难以满足自主可控要求", "国外软件授权费用高、定制困难",
                  "系统间数据孤立、难以协同", "人工处理工作量大、效率低", "实时性和准确性不足"),
        approaches=("数字孪生建模", "机器学习模型", "知识图谱技术", "微服务架构",
                    "多源数据融合方法"),
        results=("关键指标达到国际同类产品水平", "处理效率提升约{p}%", "准确率提高到{q}%以上",
                 "成本较国外同类软件降低约{p}%"),
        routes=_SOFTWARE_ROUTES, types=_SOFTWARE_TYPES, verb="开发了",
        economics="与国外同类软件相比，总体拥有成本降低约{p}%", titles=_SOFTWARE_TITLES,
        business="相关产品的研发与服务",
        current=("现有系统依赖国外软件，授权费用高", "各业务系统数据不互通", "数据分析主要依靠人工",
                 "现有软件难以满足自主可控要求"),
        targets=("处理效率提升{p}%", "运维成本降低{p}%", "核心软件自主可控", "准确率达到{q}%以上"),
        condition="测试验证环境",
    ),
    "security": _Voice(
        suffixes=("关键技术", "防护系统", "检测与响应平台", "国产化方案", "一体化解决方案"),
        problems=("误报率高、人工研判工作量大", "难以发现新型攻击和未知威胁",
                  "国外产品难以满足自主可控要求", "安全设备各自为战、难以协同",
                  "合规要求提高、现有防护能力不足"),
        approaches=("机器学习检测模型", "威胁情报关联分析", "零信任架构", "国密算法",
                    "行为基线建模"),
        results=("检出率提高到{q}%以上", "误报率降低约{p}%", "关键指标达到国际同类产品水平",
                 "响应时间缩短约{p}%"),
        routes=_SOFTWARE_ROUTES, types=_SOFTWARE_TYPES, verb="开发了",
        economics="与国外同类产品相比，总体拥有成本降低约{p}%",
        titles=("寻求{k}国产化替代方案", "征集{s}领域{k}解决方案", "{k}能力建设需求",
                "引进{k}成熟产品", "{s}：{k}技术合作需求"),
        business="相关产品的研发与服务",
        current=("现有安全设备各自为战，告警量大", "安全事件主要依靠人工研判",
                 "现有防护难以满足等级保护要求", "核心安全产品依赖国外厂商"),
        targets=("告警误报率降低{p}%", "威胁检出率达到{q}%以上", "安全事件响应时间缩短{p}%",
                 "核心安全产品自主可控"),
        condition="测试验证环境",
    ),
    "bio": _Voice(
        suffixes=("关键技术", "制备工艺", "质量控制方法", "产业化工艺", "检测方法"),
        problems=("进口产品价格高、供货周期长", "现有工艺收率低、成本高", "批间质量一致性差",
                  "关键原料长期依赖进口", "质量标准和检测方法不完善"),
        approaches=("高通量筛选方法", "新型配方与工艺路线", "连续化生产工艺", "过程分析技术（PAT）",
                    "质量源于设计（QbD）方法"),
        results=("关键指标达到国际同类产品水平", "成本较进口产品降低约{p}%", "收率提高约{p}%",
                 "产品纯度达到{n}%以上"),
        routes=("与药企合作完成中试放大后转让", "技术许可给行业龙头企业", "作价入股成立产业化公司",
                "与CDMO企业合作开发、按里程碑付费"),
        types=("专利", "专利", "专利", "新工艺", "新产品", "技术秘密"), verb="建立了",
        economics=_IMPORT_ECONOMICS, titles=_MAKER_TITLES, business="相关产品的生产",
        current=("关键原料依赖进口，供货周期长", "现有工艺收率约{q0}%", "批间质量波动大",
                 "质量检测依靠离线取样，周期长"),
        targets=("收率提高到{q}%以上", "单位成本降低{p}%", "产能提升{p}%",
                 "质量指标达到进口产品水平"),
        condition="符合GMP要求的中试条件",
    ),
    "process": _Voice(
        suffixes=("关键技术", "工艺包", "集成系统", "在线监测系统", "低能耗工艺"),
        problems=("现有工艺能耗高、成本高", "转化效率低", "碳排放强度高", "关键催化剂依赖进口",
                  "装置运行稳定性不足"),
        approaches=("新型催化剂", "工艺流程优化", "过程强化技术", "数字孪生建模", "余热回收利用"),
        results=("能耗降低约{p}%", "转化效率提升约{p}%", "碳排放降低约{p}%",
                 "产品纯度达到{n}%以上"),
        routes=_MAKER_ROUTES, types=("专利", "专利", "新工艺", "新工艺", "技术秘密"), verb="开发了",
        economics="与现有工艺相比，综合成本降低约{p}%",
        titles=("{k}工艺升级需求", "征集{s}领域{k}解决方案", "{k}降本增效技术需求",
                "引进{k}成熟技术", "{s}：{k}技术合作需求"),
        business="相关产品的生产",
        current=("现有工艺能耗高", "现有装置转化效率约{q0}%", "关键催化剂依赖进口",
                 "碳排放强度高、面临减排压力"),
        targets=("单位能耗降低{p}%", "转化效率提高到{q}%以上", "碳排放降低{p}%",
                 "装置连续运行{h}小时无故障"),
        condition="中试条件",
    ),
    "service": _Voice(
        suffixes=("关键技术", "技术服务平台", "一体化解决方案", "标准化方法", "数字化管理系统"),
        problems=("人工作业效率低、成本高", "缺少统一标准和数字化手段", "服务质量不稳定、周期长",
                  "服务响应慢、覆盖范围有限"),
        approaches=("数字化管理平台", "标准化作业流程", "大数据分析方法", "远程监测与诊断",
                    "模块化服务方案"),
        results=("效率提升约{p}%", "服务成本降低约{p}%", "服务周期缩短约{p}%",
                 "关键指标达到国际同类水平"),
        routes=("与行业用户合作开展示范应用", "作价入股成立技术服务公司", "技术许可给专业服务机构",
                "与用户单位合作开发、先使用后付费"),
        types=("专利", "软件著作权", "新工艺", "技术秘密"), verb="形成了",
        economics="与传统方式相比，综合成本降低约{p}%",
        titles=("征集{s}领域{k}解决方案", "{k}服务能力提升需求", "{k}数字化升级需求",
                "{s}：{k}技术合作需求"),
        business="相关业务",
        current=("现场作业主要依靠人工，效率低", "缺少数字化管理手段", "服务成本高、响应慢",
                 "服务周期长、质量依赖个人经验"),
        targets=("作业效率提升{p}%", "服务成本降低{p}%", "响应时间缩短{p}%", "服务周期缩短{p}%"),
        condition="示范应用条件",
    ),
}  # fmt: skip
#: Segments whose kind the GB/T 4754 code alone gets wrong.
_KIND_OF = {
    **dict.fromkeys(
        ("hydrogen-green-production", "hydrogen-fossil-production", "hydrogen-byproduct",
         "hydrogen-metallurgy", "hydrogen-chemicals"), "process"),
    **dict.fromkeys(("hydrogen-pipeline", "hydrogen-power"), "device"),
    **dict.fromkeys(("nev-hd-map", "nev-autonomous-driving"), "software"),
    **dict.fromkeys(("mt-castings", "pe-insulation"), "material"),
    **dict.fromkeys(("nev-battery-recycling", "mt-remanufacturing", "bio-drug-discovery",
                     "bio-clinical-research", "bio-cdmo"), "service"),
    **dict.fromkeys(("cyber-crypto-chips", "ic-memory", "ic-power-compound", "ic-mems-sensors"),
                    "chip"),
    "bio-tcm-materials": "bio",
}  # fmt: skip
_MATERIAL_CODES = ("25", "26", "28", "29", "30", "31", "32", "3985", "3091")


def _kind(industry: str, seg: Segment) -> str:
    """The kind of segment (a key of ``_VOICES``), from its first GB/T 4754 code."""
    if seg.slug in _KIND_OF:
        return _KIND_OF[seg.slug]
    if industry == "cybersecurity":
        return "security"
    code = seg.gbt4754[0] if seg.gbt4754 else "3499"
    if code == "6520":
        return "chip"
    if code[:2] in ("63", "64", "65"):
        return "software"
    if code[:2] == "27" or code == "7340":
        return "bio"
    if code.startswith(_MATERIAL_CODES):
        return "material"
    return "device" if "13" <= code[:2] <= "43" else "service"


@dataclass(frozen=True)
class SampleOrg:
    """A fictional sample organization and the industries it works in (an industry none of
    whose segments is in ``segments`` is covered whole, otherwise only those segments)."""

    name: str
    kind: str
    place: str
    industries: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()

    def coverage(self, atlas: Atlas) -> frozenset[str]:
        """The slugs of the atlas segments it works in."""
        return _coverage(atlas, self.industries, self.segments)


def _coverage(atlas: Atlas, industries: Sequence[str], segments: Sequence[str]) -> frozenset[str]:
    covered: set[str] = set()
    for slug in industries:
        whole = [seg.slug for seg in atlas.industry(slug).segments]
        covered.update([s for s in whole if s in segments] or whole)
    return frozenset(covered)


def _area_code(adcode: str) -> str:
    """The telephone area code of a place: Beijing, Tianjin, or the Hebei city it is in."""
    if adcode.startswith(("11", "12")):
        return "010" if adcode.startswith("11") else "022"
    hebei = {"01": "0311", "02": "0315", "03": "0335", "04": "0310", "05": "0319", "06": "0312"}
    hebei |= {"07": "0313", "08": "0314", "09": "0317", "10": "0316", "11": "0318"}
    return hebei.get(adcode[2:4], "0311")


def _sample_phone(prefix: str, draw: int) -> str:
    """A contact number that cannot be dialled: a local number never starts with 0, so
    ``010-0xxxxxxx`` reaches no one (and says it is a sample)."""
    return f"{prefix}-0{draw % 10_000_000:07d}（示例号码，不可拨打）"


def sample_organizations() -> list[SampleOrg]:
    """The sample organizations: Beijing institutions, then Tianjin and Hebei enterprises."""

    def org(name: str, kind: str, place: str, fields: str, segments: str) -> SampleOrg:
        return SampleOrg(name, kind, place, tuple(fields.split()), tuple(segments.split()))

    orgs = [org(f"{name}（示例）", "university", *row) for name, *row in _BEIJING_INSTITUTIONS]
    # the first 54 keep the names (and trades) of earlier releases: `jjj demo remove` finds
    # sample organizations by name; the trades added since come after them
    first, added = _ENTERPRISE_TRADES[:12], _ENTERPRISE_TRADES[12:]
    for i in range(3 * len(_ENTERPRISE_PLACES) + 3 * len(added)):
        place = _ENTERPRISE_PLACES[i % len(_ENTERPRISE_PLACES)]
        word = _ENTERPRISE_WORDS[i % len(_ENTERPRISE_WORDS)]
        later = i - 3 * len(_ENTERPRISE_PLACES)
        trade, fields, segments = first[(i * 5) % 12] if later < 0 else added[later % len(added)]
        orgs.append(
            org(f"{word}{trade}有限公司{i + 1:02d}（示例）", "enterprise", place, fields, segments)
        )
    return orgs


def _values(rng: np.random.Generator) -> dict[str, Any]:
    """The figures of one listing, drawn once: every phrase of the listing uses the same."""
    q = int(rng.integers(90, 99))
    return {
        "p": int(rng.integers(15, 45)),
        "x": int(rng.integers(2, 4)),
        "q": q,
        "q0": q - int(rng.integers(6, 16)),  # a current rate, below the target one
        "h": int(rng.integers(5, 21)) * 100,
        "n": f"99.{int(rng.integers(5, 10))}",
    }


def _pick(rng: np.random.Generator, items: Sequence[_T]) -> _T:
    return items[int(rng.integers(len(items)))]


def _fitting(word: str, templates: Sequence[str], after: str = "") -> list[str]:
    """Templates that do not repeat the word's ending (电池管理系统 + 集成系统)."""
    end = word[-2:]
    fit = [t for t in templates if end not in (t.split(after, 1)[-1][:4] if after else t)]
    return fit or list(templates)


def _patents(rng: np.random.Generator, kind: str, voice: str, before: int) -> list[str]:
    """Granted patent numbers (ZL + application number and its check digit), filed before
    the listing's year: one or two for a 专利, maybe one for a 新工艺 or 新产品."""
    if kind == "专利":
        count = 1 + int(rng.random() < 0.3)
    elif kind in ("新工艺", "新产品"):
        count = int(rng.random() < 0.5)
    else:
        return []
    numbers = []
    for _ in range(count):
        utility = voice == "device" and rng.random() < 0.3  # 实用新型, for devices only
        digits = f"{int(rng.integers(2016, before))}{2 if utility else 1}"
        digits += f"{int(rng.integers(0, 10_000_000)):07d}"
        weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
        check = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        numbers.append(f"ZL{digits}.{'X' if check == 10 else check}")
    return numbers


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
    """Listing rows (column dicts plus ``_org`` the organization name when ``orgs`` is None).

    A segment is drawn first, then the organization among those working in it; an
    instrument's segment among those it serves, then its owner among the institutions
    working in that segment."""
    rng = np.random.default_rng(seed)
    segs = _segments(atlas)
    org_list = sample_organizations()
    coverage = {org.name: org.coverage(atlas) for org in org_list}

    def working_in(kind: str) -> dict[str, tuple[list[SampleOrg], np.ndarray]]:
        """Per segment, the organizations working in it and their cumulative weights: a
        specialist publishes more in its field than a university spread over all."""
        table = {}
        for _, seg in segs:
            found = [o for o in org_list if o.kind == kind and seg.slug in coverage[o.name]]
            weights = np.sqrt([len(segs) / len(coverage[o.name]) for o in found])
            table[seg.slug] = (found, np.cumsum(weights) / weights.sum())
        return table

    def choose(pool: tuple[list[SampleOrg], np.ndarray]) -> SampleOrg:
        found, cumulative = pool
        return found[min(int(np.searchsorted(cumulative, rng.random())), len(found) - 1)]

    suppliers, demanders = working_in("university"), working_in("enterprise")
    voices = {seg.slug: _VOICES[_kind(industry, seg)] for industry, seg in segs}
    kinds = {seg.slug: _kind(industry, seg) for industry, seg in segs}
    now = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC)

    def base(kind: str, org: SampleOrg, industry: str, seg: Segment) -> dict[str, Any]:
        age = int(rng.integers(1, 700))
        published = now - timedelta(days=age)
        expired = age > 90 and rng.random() < 0.04  # expired after at least a month online
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
        org = choose(suppliers[seg.slug])
        voice = voices[seg.slug]
        words = [
            str(w) for w in rng.choice(seg.keywords, size=min(3, len(seg.keywords)), replace=False)
        ]
        stage_i = int(rng.choice(5, p=[0.12, 0.33, 0.30, 0.15, 0.10]))
        price = float(rng.integers(10, 500)) * (1 + stage_i)
        row = base("achievement", org, industry, seg)
        values = _values(rng)
        problem = _pick(rng, voice.problems)
        result = _pick(rng, voice.results).format(**values)
        achievement_type = _pick(rng, voice.types)
        row.update(
            title=f"{words[0]}{_pick(rng, _fitting(words[0], voice.suffixes))}",
            summary=(
                f"本成果面向{seg.name}领域，针对{problem}的问题，"
                f"采用{_pick(rng, voice.approaches)}，"
                f"{voice.verb}{words[0]}与{words[1]}相结合的技术方案，{result}。{seg.description}"
            ),
            keywords=words,
            stage=MATURITY_STAGES[stage_i],
            achievement_type=achievement_type,
            patent_numbers=_patents(
                rng, achievement_type, kinds[seg.slug], row["published_at"].year
            ),
            transaction_modes=sorted(
                {
                    _pick(rng, ("转让", "许可", "作价入股", "合作开发", "先使用后付费"))
                    for _ in range(2)
                }
            ),
            price_min=price,
            price_max=price * 1.5,
            problem=f"解决{seg.name}中{problem}的问题",
            advantage=result,
            economics=voice.economics.format(**values) if rng.random() < 0.6 else "",
            commercial_route=_pick(rng, voice.routes),
            contact=_sample_phone("成果转化办公室 010", int(rng.integers(6000_0000, 6999_9999))),
        )
        yield row

    for i in range(demands + challenges):
        kind = "demand" if i < demands else "challenge"
        industry, seg = segs[int(rng.integers(len(segs)))]
        org = choose(demanders[seg.slug])
        voice = voices[seg.slug]
        words = [str(w) for w in rng.choice(seg.keywords, size=2, replace=False)]
        stage_i = int(rng.choice(5, p=[0.03, 0.12, 0.35, 0.30, 0.20]))
        row = base(kind, org, industry, seg)
        values = _values(rng)
        current = _pick(rng, voice.current).format(**values)
        target = _pick(rng, voice.targets).format(**values)
        title = _pick(rng, _fitting(words[0], voice.titles, "{k}")).format(k=words[0], s=seg.name)
        place_name = atlas.place(org.place).name
        valid_until: date = row["valid_until"]
        row.update(
            title=title if kind == "demand" else f"揭榜挂帅：{words[0]}关键技术攻关",
            summary=(
                f"我单位位于{place_name}，主要从事{seg.name}{voice.business}，{current}。"
                f"希望引进{words[0]}、{words[1]}方面的技术，实现{target}。"
            ),
            keywords=words,
            stage=MATURITY_STAGES[stage_i],
            current_solution=current,
            target_indicators=target,
            deadline=min(TODAY + timedelta(days=int(rng.integers(90, 540))), valid_until),
            contact=_sample_phone(
                f"技术部 {_area_code(org.place)}", int(rng.integers(2000_0000, 2999_9999))
            ),
        )
        if kind == "demand":
            row["budget"] = float(rng.integers(20, 800))
        else:
            age = (TODAY - row["valid_from"]).days  # a call is reviewed after months, not days
            stages = ("发榜",) if age < 30 else ("发榜", "揭榜") if age < 120 else None
            row.update(
                reward=float(rng.integers(100, 2000)),
                conditions=(
                    f"揭榜方须为京津冀高校、科研院所或企业，具备相关研发基础和{voice.condition}"
                ),
                challenge_stage=_pick(rng, stages or ("发榜", "揭榜", "揭榜", "评审")),
            )
        yield row

    instrument_segments = [
        [(ind, seg) for ind, seg in segs if seg.slug in _coverage(atlas, fields.split(), focus)]
        for _, _, fields, focus, _ in _INSTRUMENTS
    ]
    copies: dict[tuple[str, str], int] = {}
    for _ in range(instruments):
        which = int(rng.integers(len(_INSTRUMENTS)))
        name, category, _, _, (low, high) = _INSTRUMENTS[which]
        industry, seg = _pick(rng, instrument_segments[which])
        org = choose(suppliers[seg.slug])
        row = base("instrument", org, industry, seg)
        owner = org.name.removesuffix("（示例）")
        copies[name, owner] = copy = copies.get((name, owner), 0) + 1
        service = "样品制备与数据解读" if category in _SAMPLE_CATEGORIES else "测试方案与数据分析"
        row.update(
            title=f"{name}（{owner}）" if copy == 1 else f"{name}（{owner}，{copy}号机）",
            summary=f"{name}对外开放共享，可用于{seg.name}等领域的测试分析，提供{service}服务。",
            keywords=[name, category],
            instrument_category=category,
            price_per_hour=float(rng.integers(low // 50, high // 50 + 1) * 50),
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
    defaults: dict[str, Any] = {"keywords": [], "patent_numbers": [], "transaction_modes": []}
    defaults |= dict.fromkeys(
        ("summary", "problem", "advantage", "economics", "commercial_route", "current_solution",
         "target_indicators", "conditions"), ""
    )  # fmt: skip
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
