"""Every operation of the OpenAPI schema has a concise Simplified-Chinese ``summary``: the line
readers of the API docs at ``/docs`` see (FastAPI's default is English, from the function name)."""

from __future__ import annotations

import re

from fastapi import FastAPI

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
#: Latin words a Chinese summary may contain (formats and terms users know by these names).
ALLOWED_WORDS = frozenset({"API", "Excel", "XLSX", "CSV", "JSON", "PDF", "Token", "GeoJSON"})
METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _problem(summary: object) -> str | None:
    if not isinstance(summary, str) or not summary.strip():
        return "no summary"
    if not CJK.search(summary):
        return "no Chinese character"
    english = [w for w in LATIN_WORD.findall(summary) if w not in ALLOWED_WORDS]
    if english:
        return f"English words {english}"
    return None


def test_every_operation_has_a_chinese_summary(app: FastAPI) -> None:
    problems = []
    count = 0
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            count += 1
            summary = operation.get("summary")
            problem = _problem(summary)
            if problem:
                problems.append(f"{method.upper()} {path}: {problem} ({summary!r})")
    assert count > 0
    assert not problems, "operations without a Chinese summary:\n" + "\n".join(problems)


def test_the_check_catches_default_and_english_summaries() -> None:
    assert _problem(None) == "no summary"
    assert _problem("List Listings") == "no Chinese character"
    assert _problem("读取 Listing") is not None
    assert _problem("导出项目（XLSX 或 CSV）") is None
    assert _problem("行政区边界 GeoJSON") is None
