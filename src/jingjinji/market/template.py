"""Import templates of the market lists: the labels of the 发布 form of each kind as headers,
one fictional example row (示例) that imports as it is."""

from __future__ import annotations

from typing import Any

from jingjinji.market.listings import ACHIEVEMENT_TYPES, REQUIRED_FIELDS, TRANSACTION_MODES
from jingjinji.matching import MATURITY_STAGES
from jingjinji.store.tabular import TemplateColumn

__all__ = ["listing_template"]

_LIST = "多项用、或，分隔"


def _common(kind: str) -> list[tuple[TemplateColumn, Any]]:
    labels = REQUIRED_FIELDS[kind]
    return [
        (TemplateColumn(labels["title"], "不超过 200 字", True), _EXAMPLES[kind]["title"]),
        (TemplateColumn(labels["summary"], "不超过 4000 字", True), _EXAMPLES[kind]["summary"]),
        (
            TemplateColumn("所在地", "地市或区县名称，如 保定市、海淀区", True),
            _EXAMPLES[kind]["place"],
        ),
        (
            TemplateColumn(
                "产业环节", f"产业链环节名称（见产业链图谱），{_LIST}；不填则按内容推荐"
            ),
            _EXAMPLES[kind]["segments"],
        ),
    ]


_EXAMPLES: dict[str, dict[str, Any]] = {
    "achievement": {
        "title": "低温启动燃料电池电堆（示例）",
        "summary": "金属双极板电堆，零下 30℃ 无辅助冷启动，适用于北方城市公交。",
        "place": "海淀区",
        "segments": "燃料电池电堆",
    },
    "demand": {
        "title": "燃料电池公交冬季冷启动改造（示例）",
        "summary": "现有燃料电池公交在冬季清晨启动困难，需要低温冷启动方案。",
        "place": "张家口市",
        "segments": "燃料电池电堆",
    },
    "challenge": {
        "title": "氢燃料电池低温冷启动揭榜攻关（示例）",
        "summary": "攻关零下 30℃ 无辅助冷启动电堆与控制策略，完成整车示范。",
        "place": "张家口市",
        "segments": "燃料电池电堆",
    },
    "instrument": {
        "title": "燃料电池电堆测试台（示例）",
        "summary": "可测试 150 kW 以下电堆的极化曲线、冷启动与耐久性能。",
        "place": "海淀区",
        "segments": "燃料电池电堆",
    },
}

_SPECIFIC: dict[str, list[tuple[TemplateColumn, Any]]] = {
    "achievement": [
        (TemplateColumn("关键词", _LIST), "金属双极板、冷启动"),
        (TemplateColumn("成熟度", "可选：" + "、".join(MATURITY_STAGES)), "中试"),
        (TemplateColumn("成果类型", "可选：" + "、".join(ACHIEVEMENT_TYPES)), ACHIEVEMENT_TYPES[0]),
        (
            TemplateColumn("交易方式", "可选：" + "、".join(TRANSACTION_MODES) + "，" + _LIST),
            "许可",
        ),
        (TemplateColumn("价格下限（万元）", "非负数"), 50),
        (TemplateColumn("价格上限（万元）", "非负数"), 200),
        (TemplateColumn("解决的问题", ""), "北方冬季燃料电池车辆启动困难"),
        (TemplateColumn("相对现有方案的优势", ""), "无需辅助加热，启动时间缩短一半"),
        (TemplateColumn("经济性对比", ""), "省去加热系统，单车成本降低约 2 万元"),
        (TemplateColumn("商业化路径", ""), "先在公交示范线小批量装车"),
    ],
    "demand": [
        (TemplateColumn("关键词", _LIST), "冷启动、燃料电池"),
        (TemplateColumn("所需成熟度", "可选：" + "、".join(MATURITY_STAGES)), "小批量"),
        (TemplateColumn("预算（万元）", "非负数"), 300),
        (TemplateColumn("现有解决方案", ""), "夜间保温停放"),
        (TemplateColumn("目标指标", ""), "零下 30℃ 30 秒内启动"),
        (TemplateColumn("期望完成时间", "日期，如 2027-06-30"), "2027-06-30"),
    ],
    "challenge": [
        (TemplateColumn("关键词", _LIST), "冷启动、电堆"),
        (TemplateColumn("所需成熟度", "可选：" + "、".join(MATURITY_STAGES)), "中试"),
        (TemplateColumn("榜额（万元）", "非负数"), 500),
        (TemplateColumn("揭榜条件", ""), "具备电堆研发与整车测试能力"),
        (TemplateColumn("目标指标", ""), "零下 30℃ 无辅助启动"),
        (TemplateColumn("揭榜截止日期", "日期，如 2027-03-31"), "2027-03-31"),
    ],
    "instrument": [
        (TemplateColumn("仪器类别", "不超过 50 字"), "测试设备"),
        (TemplateColumn("每小时价格（元）", "非负数"), 800),
    ],
}

_TAIL: list[tuple[TemplateColumn, Any]] = [
    (
        TemplateColumn("联系方式", "不超过 200 字；默认仅登录的对接方可见"),
        "示例联系人 010-00000000（示例号码）",
    ),
    (TemplateColumn("有效期至", "日期，如 2027-12-31"), "2027-12-31"),
]


def listing_template(kind: str) -> tuple[list[TemplateColumn], list[Any]]:
    """Columns and example row of the import template of ``kind`` (achievement, demand,
    challenge, instrument); ``KeyError`` for another kind."""
    pairs = [*_common(kind), *_SPECIFIC[kind], *_TAIL]
    return [column for column, _ in pairs], [value for _, value in pairs]
