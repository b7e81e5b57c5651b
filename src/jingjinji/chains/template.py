"""The registry import template: the columns the 导入企业名录 page lists, one example row.

The example is fictional (示例), with a valid 统一社会信用代码 and the standard registration
wording, so a template filled in with it imports as it is.
"""

from __future__ import annotations

from jingjinji.chains.credit_code import check_character, organization_check_character
from jingjinji.chains.registry_fields import STATUSES
from jingjinji.store.tabular import TemplateColumn

__all__ = ["ENTERPRISE_COLUMNS", "enterprise_example"]

ENTERPRISE_COLUMNS: tuple[TemplateColumn, ...] = (
    TemplateColumn("企业名称", "营业执照上的名称；也认“公司名称”", required=True),
    TemplateColumn("统一社会信用代码", "18 位，按 GB 32100-2015 校验；重复导入时据此更新", True),
    TemplateColumn("登记状态", f"可选：{'、'.join(STATUSES)}；注销、吊销的企业不计入图谱"),
    TemplateColumn("成立日期", "如 2019-03-08 或 2019年3月8日"),
    TemplateColumn("注册地址", "写明区县；也可用“所属省份/所属城市/所属区县”三列代替", True),
    TemplateColumn("所属区县", "区县名称（可选，地址中已有区县时可不填）"),
    TemplateColumn("所属行业", "GB/T 4754-2017 小类名称或代码，如“锂离子电池制造”或 C3841"),
    TemplateColumn("经营范围", "按营业执照照录（经营范围规范表述），用；分隔"),
    TemplateColumn("主要产品", "用、分隔"),
    TemplateColumn("标签", "如 链主、专精特新“小巨人”、高新技术企业，用、分隔"),
    TemplateColumn("规模", "大型、中型、小型 或 微型"),
    TemplateColumn("营业收入(万元)", "非负数，单位万元"),
)


def _example_code() -> str:
    body = "MA0EXAMP"
    organization = body + organization_check_character(body)
    first = "91130606" + organization[:9]
    return first + check_character(first)


def enterprise_example() -> list[object]:
    """One fictional enterprise in 保定市莲池区, in the order of :data:`ENTERPRISE_COLUMNS`."""
    return [
        "保定某某动力电池有限公司（示例）",
        _example_code(),
        "存续",
        "2019-03-08",
        "河北省保定市莲池区东风中路1号",
        "莲池区",
        "锂离子电池制造",
        "一般项目：电池制造；电池销售；动力电池电芯、电池模组与电池包的研发制造；技术服务、技术开发",
        "动力电池电芯、电池模组",
        "高新技术企业",
        "中型",
        12000,
    ]
