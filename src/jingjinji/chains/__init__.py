"""The chain map: enterprises on segments, coverage, gaps and 强链·补链·延链 suggestions.

Pure analytics over the atlas and plain tables; nothing here imports ``store`` or ``web``
except :mod:`jingjinji.chains.repository`, which moves the registry's rows in and out.
Classification (:mod:`.classify`), the import table (:mod:`.table`), places and scopes
(:mod:`.places`), coverage and the location quotient (:mod:`.coverage`), suggestions
(:mod:`.suggest`) and export tables (:mod:`.export`).
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
from jingjinji.chains.coverage import ChainContext, Coverage, completeness_by_place, coverage
from jingjinji.chains.opening import opening_place
from jingjinji.chains.places import AddressError, PlaceScope, resolve_address, scope_of
from jingjinji.chains.suggest import Suggestion, suggest

__all__ = [
    "CONFIRMED_AT",
    "FIELD_GRADES",
    "GRADE_WEIGHTS",
    "UNCERTAIN_AT",
    "AddressError",
    "ChainContext",
    "Classifier",
    "Coverage",
    "Decision",
    "Grade",
    "PlaceScope",
    "SegmentMatch",
    "Suggestion",
    "classifier_for",
    "classify_text",
    "completeness_by_place",
    "coverage",
    "decide",
    "normalize_text",
    "opening_place",
    "resolve_address",
    "scope_of",
    "suggest",
]
