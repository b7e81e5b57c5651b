"""The chain map as a workbook: coverage and 招商 suggestions in one XLSX."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from jingjinji.chains.coverage import Coverage
from jingjinji.chains.export import coverage_table, suggestion_table
from jingjinji.chains.suggest import Suggestion
from jingjinji.store.tabular import write_xlsx

__all__ = ["chain_workbook"]

log = logging.getLogger(__name__)


def chain_workbook(cov: Coverage, items: Sequence[Suggestion], *, is_sample: bool) -> bytes:
    """XLSX with two sheets, 覆盖情况 (coverage) and 招商建议 (suggestions)."""
    return write_xlsx(
        {
            "覆盖情况": coverage_table(cov, is_sample=is_sample),
            "招商建议": suggestion_table(items, is_sample=is_sample),
        }
    )
