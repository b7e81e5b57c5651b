"""``jjj loop``: the 协同成效 figures of an industry in a place."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.table import Table

from jingjinji.atlas import AtlasLookupError, load_atlas
from jingjinji.cli._common import CliError, console, session_scope

__all__ = ["loop"]

_TOTALS = (
    ("gaps", "缺口（补链·延链）"),
    ("gaps_open", "  未补"),
    ("gaps_closed", "  已补（项目投产）"),
    ("demands", "技术需求与揭榜"),
    ("demands_matched", "  已对接（意向及以后）"),
    ("deals_signed", "签约成交"),
    ("projects", "协同项目"),
    ("projects_operating", "  已投产"),
    ("investment", "项目投资（亿元）"),
    ("beijing_deals_placed", "北京成果的签约成交（需求方所在地已知，项）"),
    ("beijing_deals_local", "  需求方在北京（项）"),
    ("beijing_deals_with_amount", "  有合同金额（项）"),
    ("beijing_deals_without_amount", "  无合同金额，不计入金额比重（项）"),
    ("beijing_deal_value", "  合同金额（万元）"),
    ("beijing_deal_value_to_tj_hb", "  其中需求方在津冀（万元）"),
    ("beijing_deal_value_share", "流向津冀的合同金额比重"),
    ("beijing_deals_count_share", "流向津冀的成交项数比重（按项数，与来源文件数据不可比）"),
)
#: The share of contract value, the counterpart of the source documents' figure.
_VALUE_SHARE = "beijing_deal_value_share"


def _fmt(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key.endswith("_share"):
        return f"{value * 100:.1f}%"
    if isinstance(value, float):  # not :g, which turns 1 234 567.8 万元 into 1.23457e+06
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def loop(
    industry: str = typer.Option("", "--industry", help="Industry slug (all nine if empty)."),
    place: str = typer.Option("region", "--place", help="Adcode, or region."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """协同成效: gaps, demands, deals, projects, and where Beijing's deals go (share of contract
    value going to Tianjin and Hebei, beside the source documents' 7.8%) over the years."""
    from jingjinji.chains.repository import chain_context
    from jingjinji.loop.repository import loop_report

    atlas = load_atlas()
    with session_scope() as session:
        try:
            report = loop_report(
                session,
                atlas,
                chain_context(session, atlas),
                industry=industry or None,
                place=place or None,
            )
        except AtlasLookupError as error:
            raise CliError(f"--industry/--place: {error}") from error
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        return
    sample = "（示例数据）" if report["is_sample"] else ""
    table = Table(title=f"协同成效 · {report['industry_name']} · {report['place_name']}{sample}")
    table.add_column("指标")
    table.add_column("平台数据", justify="right")
    notes = report.get("notes") or {}
    for key, label in _TOTALS:
        table.add_row(label, _fmt(key, report["totals"].get(key)))
    console.print(table)
    for key in (_VALUE_SHARE, "beijing_deals_count_share"):
        if key in notes:
            console.print(f"— {notes[key]}", highlight=False)
    console.print(
        "合同金额比重：平台上登记的北京成果签约成交中，需求方在天津、河北的合同金额所占比重"
        "（分母含需求方在北京的成交；平台只登记京津冀的地点）。只含平台记录的成交，不是北京"
        "全部技术合同；来源文件的分母是流向外省市的合同（不含北京本地，含其他省市）。",
        highlight=False,
    )
    ref = report["reference"]
    if ref:
        console.print(
            f"对照（来源文件，同为合同成交额比重）：{ref['subject']} {ref['year']} 年 "
            f"{ref['value']:g}{ref['unit']}（{ref['provenance']}）",
            highlight=False,
        )
    years = report["years"]
    if years:
        series = report["series"]
        by_year = Table(title="逐年")
        for column in ("年", "未补缺口", "已补", "需求", "对接", "签约", "项目", "投资（亿元）"):
            by_year.add_column(column, justify="right")
        for i, year in enumerate(years):
            by_year.add_row(
                str(year),
                *(
                    _fmt(k, series[k][i])
                    for k in (
                        "gaps_open",
                        "gaps_closed",
                        "demands",
                        "demands_matched",
                        "deals_signed",
                        "projects_signed",
                        "investment",
                    )
                ),
            )
        console.print(by_year)
