"""The patent import template: the columns of a patent export the importer reads, two
fictional example rows (示例) that import as they are (the template holds the first).

The example application numbers carry a deliberately wrong check character (see
:func:`jingjinji.patents.table.check_character`), so they cannot be the number of any real
patent; the applicants are fictional.
"""

from __future__ import annotations

from jingjinji.patents.table import check_character
from jingjinji.store.tabular import TemplateColumn, template_workbook

__all__ = ["PATENT_COLUMNS", "patent_examples", "patent_template", "sample_number"]

PATENT_COLUMNS: tuple[TemplateColumn, ...] = (
    TemplateColumn("申请号", "如 CN202310123456.7；重复导入时据此更新", required=True),
    TemplateColumn("公开(公告)号", "如 CN116000000A"),
    TemplateColumn("名称", "专利名称；也认“专利名称”“发明名称”", required=True),
    TemplateColumn("摘要", "摘要全文，用于按文本归入产业环节"),
    TemplateColumn("申请日", "如 2023-05-08 或 2023年5月8日", required=True),
    TemplateColumn("公开(公告)日", "如 2023-11-21"),
    TemplateColumn("主分类号", "国际专利分类号，如 H01M8/1004"),
    TemplateColumn("IPC分类号", "全部分类号，用；分隔，主分类号在前"),
    TemplateColumn("申请(专利权)人", "多个申请人用；分隔，第一申请人在前", required=True),
    TemplateColumn("申请人地址", "第一申请人地址，写明区县；也可用“省份/城市/区县”三列"),
    TemplateColumn("专利类型", "发明、实用新型 或 外观设计（不填时按申请号判断）"),
    TemplateColumn("法律状态", "有效、失效、审中 或检索系统导出的写法（如“专利权维持”）"),
    TemplateColumn("当前权利人", "转让后的权利人（可选）"),
)


def sample_number(year: int, kind_digit: int, serial: int) -> str:
    """A non-existent application number: ``CN`` + year + type digit + 7-digit serial + a
    check character that is *not* the right one (the right one plus 1, modulo 11)."""
    digits = f"{year:04d}{kind_digit}{serial:07d}"
    right = check_character(digits)
    value = (10 if right == "X" else int(right)) + 1
    wrong = "0" if value == 11 else ("X" if value == 10 else str(value))
    return f"CN{digits}.{wrong}"


def patent_examples() -> list[list[object]]:
    """Two fictional patents, in the order of :data:`PATENT_COLUMNS`."""
    return [
        [
            sample_number(2023, 1, 9000001),
            "",
            "一种低温冷启动的质子交换膜燃料电池电堆（示例）",
            "本发明公开了一种可在零下三十摄氏度无辅助启动的燃料电池电堆，包括膜电极与金属双极板。",
            "2023-03-15",
            "2023-09-01",
            "H01M8/04223",
            "H01M8/04223；H01M8/0202",
            "某某理工大学（示例）",
            "北京市海淀区学院路1号",
            "发明",
            "审中",
            "",
        ],
        [
            sample_number(2022, 2, 9000002),
            "",
            "一种高压储氢气瓶的阀门组件（示例）",
            "本实用新型公开了一种用于车载高压储氢气瓶的瓶口阀组件，提高了密封可靠性。",
            "2022-06-20",
            "2022-12-02",
            "F17C13/04",
            "F17C13/04",
            "保定某某氢能装备有限公司（示例）",
            "河北省保定市莲池区东风中路1号",
            "实用新型",
            "有效",
            "",
        ],
    ]


def patent_template() -> bytes:
    """The template as XLSX (the data sheet 专利清单 with the first example, and 填写说明)."""
    intro = (
        "第一行为列名（与常见专利检索导出一致，其他导出的列名也可识别），第二行为示例，"
        "可删除后填写；全部行无误才会导入，重复导入按申请号更新。"
    )
    return template_workbook(PATENT_COLUMNS, patent_examples()[0], sheet="专利清单", intro=intro)
