"""The innovation chain: patents on the atlas segments beside the industry chain.

Pure parts: IPC symbols and the concordance (:mod:`.ipc`), the import table (:mod:`.table`),
applicants' kinds (:mod:`.applicants`), classification (:mod:`.classify`) and the innovation
figures per segment and place (:mod:`.innovation`); :mod:`jingjinji.patents.repository`
moves rows in and out of the store.
"""

from jingjinji.patents.applicants import KIND_NAMES, applicant_kind
from jingjinji.patents.classify import PatentClassifier, patent_classifier_for
from jingjinji.patents.ipc import (
    Concordance,
    ConcordanceRow,
    IpcError,
    concordance_problems,
    load_concordance,
    normalize_ipc,
    split_ipc,
)

__all__ = [
    "KIND_NAMES",
    "Concordance",
    "ConcordanceRow",
    "IpcError",
    "PatentClassifier",
    "applicant_kind",
    "concordance_problems",
    "load_concordance",
    "normalize_ipc",
    "patent_classifier_for",
    "split_ipc",
]
