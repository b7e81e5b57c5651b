"""Spreadsheet imports over HTTP: every row problem in one 422, nothing written."""

from __future__ import annotations

from typing import Any

from jingjinji.web.errors import ApiError

__all__ = ["ImportFailed", "import_error"]


class ImportFailed(Exception):
    """An import with row problems; ``problems`` lists each with sheet, row and column."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def import_error(problems: list[dict[str, Any]]) -> ApiError:
    """A 422 whose message gives the first problem and the count; ``fields`` lists all of them
    (up to 500) as ``{"field": "sheet!row:column", "message": "…"}``."""
    first = problems[0]["message_zh"]
    if len(problems) > 1:
        more = f"（共 {len(problems)} 处错误，未导入任何数据）"
    else:
        more = "（未导入任何数据）"
    fields = [
        {"field": f"{p.get('sheet') or ''}!{p['row']}:{p['column']}", "message": p["message_zh"]}
        for p in problems[:500]
    ]
    return ApiError(422, first + more, code="invalid_rows", fields=fields)
