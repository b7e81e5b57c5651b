"""The chain map: enterprises on segments, coverage, gaps and 强链·补链·延链 suggestions.

Pure analytics over the atlas and plain tables; nothing here imports ``store`` or ``web``.
"""

from jingjinji.chains.classify import (
    CONFIRMED_AT,
    FIELD_GRADES,
    GRADE_WEIGHTS,
    UNCERTAIN_AT,
    Classifier,
    Decision,
    Grade,
    SegmentMatch,
    classifier_for,
    classify_text,
    decide,
    normalize_text,
)

__all__ = [
    "CONFIRMED_AT",
    "FIELD_GRADES",
    "GRADE_WEIGHTS",
    "UNCERTAIN_AT",
    "Classifier",
    "Decision",
    "Grade",
    "SegmentMatch",
    "classifier_for",
    "classify_text",
    "decide",
    "normalize_text",
]
