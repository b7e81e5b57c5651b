"""Import templates: ``GET /api/templates/{kind}`` — an XLSX whose headers are the labels of
the matching web form, one example row (示例) that imports as it is, and a 填写说明 sheet
explaining each column and its allowed values."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from jingjinji.chains.template import ENTERPRISE_COLUMNS, enterprise_example
from jingjinji.indicators.runs import EvaluationError, indicator_system
from jingjinji.market.listings import KIND_LABELS
from jingjinji.market.template import listing_template
from jingjinji.patents.template import PATENT_COLUMNS, patent_examples
from jingjinji.policies.template import policy_template
from jingjinji.projects.template import project_template
from jingjinji.store.tabular import TemplateColumn, template_workbook
from jingjinji.web.errors import ApiError
from jingjinji.web.params import XLSX

router = APIRouter(prefix="/api", tags=["templates"])

TemplateKind = Literal[
    "enterprises",
    "patents",
    "achievement",
    "demand",
    "challenge",
    "instrument",
    "projects",
    "policies",
    "panel",
]
#: What each template imports, as its file is named.
TITLES: dict[str, str] = {
    "enterprises": "企业名录",
    "patents": "专利清单",
    **{kind: f"{label}清单" for kind, label in KIND_LABELS.items()},
    "projects": "协同项目",
    "policies": "政策清单",
    "panel": "指标面板",
}


def _panel(system_name: str) -> tuple[list[TemplateColumn], list[Any], str]:
    try:
        system = indicator_system(system_name)
    except EvaluationError as error:
        raise ApiError(404, error.message_zh, code=error.code) from error
    columns = [
        TemplateColumn("地区", "地市、区县或省份名称", True),
        TemplateColumn("年份", "四位年份，如 2023", True),
        *(
            TemplateColumn(
                ind.name,
                f"单位：{ind.unit or '无'}；{'正向' if ind.direction == 1 else '负向'}指标",
            )
            for ind in system.indicators
        ),
    ]
    example = ["北京市", 2023, *("" for _ in system.indicators)]
    return columns, example, f"指标体系：{system.name}。每行一个地区一年，数值留空表示缺失。"


@router.get(
    "/templates/{kind}",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
    summary="下载导入模板",
)
def read_template(
    kind: Annotated[TemplateKind, Path(description="模板种类")],
    system: Annotated[
        str, Query(max_length=64, description="指标面板模板所用的指标体系")
    ] = "collaborative_innovation",
) -> Response:
    """The import template of ``kind`` as XLSX (headers, one example row, 填写说明)."""
    intro = (
        "第一行为列名（与网页表单一致），第二行为示例，可删除后填写自己的数据；全部行无误才会导入。"
    )
    if kind == "enterprises":
        columns, example = list(ENTERPRISE_COLUMNS), enterprise_example()
    elif kind == "patents":
        columns, example = list(PATENT_COLUMNS), patent_examples()[0]
    elif kind in KIND_LABELS:
        columns, example = listing_template(kind)
    elif kind == "projects":
        columns, example = project_template()
    elif kind == "policies":
        columns, example = policy_template()
    else:
        columns, example, intro = _panel(system)
    title = TITLES[kind]
    content = template_workbook(columns, example, sheet=title, intro=intro)
    name = quote(f"{title}导入模板.xlsx")
    return Response(
        content,
        media_type=XLSX,
        headers={
            "Content-Disposition": f"attachment; filename=template.xlsx; filename*=UTF-8''{name}"
        },
    )
