"""Data access of the chain map: the enterprise registry and the chain context built from it.

Import, classification and review (:mod:`.registry`), the cached chain context
(:mod:`.context`), sample enterprises (:mod:`.samples`) and the XLSX export (:mod:`.workbook`).
The pure parsing of an import table lives in :mod:`jingjinji.chains.table`.
"""

from jingjinji.chains.repository.context import chain_context, presence_rows
from jingjinji.chains.repository.registry import (
    ImportReport,
    classify_enterprise,
    import_enterprises,
    review_segment,
)
from jingjinji.chains.repository.samples import load_sample_enterprises
from jingjinji.chains.repository.workbook import chain_workbook
from jingjinji.chains.table import COLUMNS, KEY_TAGS, RowProblem, canonical_tags

__all__ = [
    "COLUMNS",
    "KEY_TAGS",
    "ImportReport",
    "RowProblem",
    "canonical_tags",
    "chain_context",
    "chain_workbook",
    "classify_enterprise",
    "import_enterprises",
    "load_sample_enterprises",
    "presence_rows",
    "review_segment",
]
