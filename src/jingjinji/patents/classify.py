"""Patents on segments: by IPC through the concordance, and by text through the classifier.

Evidence per segment, combined by the same noisy-OR as the enterprise classifier
(:mod:`jingjinji.chains.classify`), ``confidence = 1 - Π (1 - w_i)``:

==============================================  ========================================
evidence                                        weight
==============================================  ========================================
main IPC under a row, basis IPC类目定义         0.60 / √n
main IPC under a row, basis 领域整理            0.45 / √n
another IPC under a row                         0.40 / √n (IPC类目定义), 0.30 (领域整理)
a segment word in the title                     0.60 (the classifier's *strong* grade)
a segment word in the abstract                  0.40 (*medium*)
==============================================  ========================================

with n the number of segments the row's symbol is listed for (a group serving two segments
is evidence for each, but less) — unless the title or abstract points to some of them, k of
them: then the symbol goes to those only, ÷ √k. Only the most specific row of a code counts,
and a code counts once per segment. A patent is ``confirmed`` at ≥ 0.60 (a main IPC class defined as
the segment's technology, or a title word), ``uncertain`` at ≥ 0.30, else left out.

>>> from jingjinji.atlas import load_atlas
>>> clf = patent_classifier_for(load_atlas())
>>> [(m.segment, m.decision) for m in clf.classify("一种电堆", "", ["C25B1/04"])][:1]
[('hydrogen-electrolyzer', 'confirmed')]
"""

from __future__ import annotations

import functools
import math
import weakref
from collections.abc import Collection, Sequence

from jingjinji.atlas import Atlas
from jingjinji.chains import Classifier, SegmentMatch, classifier_for, decide
from jingjinji.patents.ipc import Concordance, load_concordance

__all__ = ["IPC_WEIGHTS", "PatentClassifier", "patent_classifier_for"]

#: (main symbol?, basis) → weight of a concordance row's evidence.
IPC_WEIGHTS: dict[tuple[bool, str], float] = {
    (True, "IPC类目定义"): 0.60,
    (True, "领域整理"): 0.45,
    (False, "IPC类目定义"): 0.40,
    (False, "领域整理"): 0.30,
}


class PatentClassifier:
    """Segments of a patent from its IPC symbols (main first), title and abstract."""

    def __init__(self, atlas: Atlas, concordance: Concordance | None = None) -> None:
        self.text: Classifier = classifier_for(atlas)
        self.concordance = concordance or load_concordance()
        self._industry = {s.slug: i.slug for i in atlas.industries for s in i.segments}
        listed: dict[str, set[str]] = {}
        for row in self.concordance.rows:
            listed.setdefault(row.ipc, set()).add(row.segment)
        self._owners = {code: len(segments) for code, segments in listed.items()}
        self._code_cache = functools.lru_cache(maxsize=262144)(self._code_rows)

    def _code_rows(
        self, code: str
    ) -> tuple[tuple[str, float, float, int, dict[str, str], dict[str, str]], ...]:
        """Per segment a code points to (its most specific row): the unscaled weight as main
        and as another symbol, and the evidence entry of each (shared, read-only)."""
        found: dict[str, tuple[str, float, float, int, dict[str, str], dict[str, str]]] = {}
        for row in self.concordance.rows_for(code):  # most specific first
            if row.segment in found:
                continue
            entry = {
                "kind": "ipc",
                "ipc": code,
                "group": row.ipc,
                "basis": row.basis,
                "note": row.note,
            }
            found[row.segment] = (
                row.segment,
                IPC_WEIGHTS[(True, row.basis)],
                IPC_WEIGHTS[(False, row.basis)],
                self._owners[row.ipc],
                {**entry, "main": "是"},
                {**entry, "main": "否"},
            )
        return tuple(found.values())

    def ipc_evidence(
        self, codes: Sequence[str], pointed: Collection[str] = ()
    ) -> dict[str, list[tuple[float, dict[str, str]]]]:
        """Segment → (weight, evidence) of each IPC symbol pointing to it (one per symbol). A
        symbol goes to those of its segments the text also points to (``pointed``), k of
        them, at weight ÷ √k; when the text points to none of them, to all, each at ÷ √n with
        n the segments its row's group is listed for (as an industry code does in
        :mod:`jingjinji.chains.classify`)."""
        found: dict[str, list[tuple[float, dict[str, str]]]] = {}
        for position, code in enumerate(codes):
            rows = self._code_cache(code)
            if not rows:
                continue
            backed = [row for row in rows if row[0] in pointed]
            for segment, main, other, owners, main_entry, other_entry in backed or rows:
                scale = math.sqrt(len(backed) if backed else owners)
                item = (main / scale, main_entry) if position == 0 else (other / scale, other_entry)
                found.setdefault(segment, []).append(item)
        return found

    def classify(
        self,
        title: str,
        abstract: str,
        codes: Sequence[str],
        *,
        include_rejected: bool = False,
    ) -> list[SegmentMatch]:
        """The segments of one patent, best first; evidence entries are ``{kind: ipc, …}``
        for IPC rows and ``{word, field, grade}`` (``field`` title or abstract) for words."""
        words = self.text.classify_fields(
            {"patents": title, "text": abstract}, include_rejected=True
        )
        text = {match.segment: match for match in words}
        ipc = self.ipc_evidence(codes, text)
        matches = []
        for segment in set(ipc) | set(text):
            miss = 1.0
            evidence: list[dict[str, str]] = []
            for weight, item in ipc.get(segment, ()):
                miss *= 1.0 - weight
                evidence.append(item)
            word_match = text.get(segment)
            if word_match is not None:
                miss *= 1.0 - word_match.confidence
                evidence.extend(
                    {**item, "field": "title" if item["field"] == "patents" else "abstract"}
                    for item in word_match.evidence
                )
            confidence = round(1.0 - miss, 4)
            decision = decide(confidence)
            if decision == "rejected" and not include_rejected:
                continue
            matches.append(
                SegmentMatch(
                    segment=segment,
                    industry=self._industry[segment],
                    confidence=confidence,
                    decision=decision,
                    evidence=evidence,
                )
            )
        matches.sort(key=lambda m: (-m.confidence, m.segment))
        return matches

    @staticmethod
    def source_of(match: SegmentMatch) -> str:
        """``ipc``, ``text`` or ``both``: which evidence put the patent on the segment."""
        kinds = {"ipc" if item.get("kind") == "ipc" else "text" for item in match.evidence}
        return "both" if len(kinds) == 2 else kinds.pop()


_CACHE: weakref.WeakKeyDictionary[Atlas, PatentClassifier] = weakref.WeakKeyDictionary()


def patent_classifier_for(atlas: Atlas) -> PatentClassifier:
    """The classifier of ``atlas`` with the packaged concordance, built once per atlas."""
    found = _CACHE.get(atlas)
    if found is None:
        found = _CACHE[atlas] = PatentClassifier(atlas)
    return found
