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
    ("achievements_present_share", "(a) 成果环节在津冀有产业的比重"),
    ("beijing_deals_share", "(b) 北京成果成交落在津冀的比重"),
)


def _fmt(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key.endswith("_share"):
        return f"{value * 100:.1f}%"
    return f"{value:g}" if isinstance(value, float) else str(value)


def loop(
    industry: str = typer.Option("", "--industry", help="Industry slug (all nine if empty)."),
    place: str = typer.Option("region", "--place", help="Adcode, or region."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """协同成效: gaps, demands, deals, projects and the chain matching degree over the years."""
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
    for key, label in _TOTALS:
        table.add_row(label, _fmt(key, report["totals"].get(key)))
    console.print(table)
    ref = report["reference"]
    if ref:
        console.print(
            f"对照（来源文件）：{ref['subject']} {ref['year']} 年 {ref['value']:g}{ref['unit']}"
            f"（{ref['provenance']}）",
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
