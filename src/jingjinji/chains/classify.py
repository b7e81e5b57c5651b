"""Classification of enterprises and free text into the segments of the atlas industries.

One Aho-Corasick automaton (Aho & Corasick 1975, *Efficient string matching*, CACM 18(6))
holds every keyword, synonym and registry term of every segment, plus the generic registry
phrases; a text is scanned once whatever the number of words. Matches strictly contained in
a longer match are dropped (``质子交换膜`` inside ``质子交换膜燃料电池`` counts only for the
longer word), and ASCII keywords (``SOEC``, ``CT``) must stand as whole words.

Registry terms are the standard business-scope phrases (经营范围规范表述) a segment's
enterprises register, e.g. ``工业机器人制造``; a keyword that contains one (``数字集成电路设计``
holds ``集成电路设计``) counts as one. Generic registry phrases (``软件开发``,
``第三类医疗器械经营``, from ``classification/registry_generic.yaml``) own no segment: they
confirm nothing, and a keyword found only inside one of them is dropped with it.

Scoring, per segment, is a noisy-OR over its distinct pieces of evidence::

    confidence = 1 - Π_i (1 - w_i)

with ``w_i`` the weight of the evidence grade, scaled down for short (≤ 2 characters) or
shared words (÷ √n for n owning segments) and for shared industry codes:

=========  ===================================================  ===========
grade      evidence                                             weight
=========  ===================================================  ===========
strong     a word in products or patents; a registry term in    0.60
           any field but the name
medium     a word in scope, description, text, title, tags      0.40
medium     the industry code (GB/T 4754, ``C3973`` or ``3973``)  0.35 / √n
weak       a word in the name                                   0.20
=========  ===================================================  ===========

An industry code listed by several segments goes to those of them the texts (other than the
name) also point to, n of them, or, when the texts point to none, is shared by all n.

A segment is ``confirmed`` at confidence ≥ 0.60 (one product word, one registry term, two
distinct scope words, or a scope word backed by the industry code), ``uncertain`` at ≥ 0.30
(one scope word; an industry code listed by one segment alone) and ``rejected`` below (a
name-only hint, an industry code shared by several segments): the reviewer sees why from
the evidence.

>>> from jingjinji.atlas import load_atlas
>>> matches = classify_text("主营质子交换膜燃料电池电堆与膜电极", load_atlas())
>>> [(m.segment, m.decision) for m in matches][:2]
[('hydrogen-fc-stack', 'confirmed'), ('hydrogen-fc-mea', 'uncertain')]
>>> clf = classifier_for(load_atlas())
>>> scope = "一般项目：工业机器人制造；软件开发；技术服务、技术开发"
>>> [(m.segment, m.decision) for m in clf.classify({"scope": scope})]
[('robot-industrial', 'confirmed')]
"""

from __future__ import annotations

import math
import re
import unicodedata
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import ahocorasick_rs

from jingjinji.atlas import Atlas
from jingjinji.atlas.loader import read_registry_generic

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

Grade = Literal["strong", "medium", "weak"]
Decision = Literal["confirmed", "uncertain", "rejected"]

#: Grade of a word found in each field; unknown fields count as ``medium``.
FIELD_GRADES: dict[str, Grade] = {
    "products": "strong",
    "patents": "strong",
    "scope": "medium",
    "description": "medium",
    "text": "medium",
    "title": "medium",
    "industry_code": "medium",
    "tags": "medium",
    "name": "weak",
}
GRADE_WEIGHTS: dict[Grade, float] = {"strong": 0.60, "medium": 0.40, "weak": 0.20}
#: Weight of an industry-code match owned by one segment; divided by √n when n segments share it.
CODE_WEIGHT = 0.35
#: Grade of a registry term (经营范围规范表述) found in any field but the name.
REGISTRY_GRADE: Grade = "strong"
#: Factor for words of at most two characters (``电堆``, ``加注``): often generic or partial.
SHORT_WORD_FACTOR = 0.75
CONFIRMED_AT = 0.60
UNCERTAIN_AT = 0.30

#: Fields of an enterprise record read by :meth:`Classifier.classify`, in scan order.
RECORD_FIELDS = ("name", "scope", "products", "patents", "description")

_ASCII_WORD = re.compile(r"[0-9a-z]")
_CODE = re.compile(r"\d{4}")


@dataclass(frozen=True, slots=True)
class SegmentMatch:
    """A segment suggested for a text or record, with the evidence that supports it.

    ``evidence`` is a list of ``{"word", "field", "grade"}`` dicts; ``confidence`` is in
    [0, 1]; ``decision`` follows :func:`decide`.
    """

    segment: str
    industry: str
    confidence: float
    decision: Decision
    evidence: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the evidence copied)."""
        return asdict(self)


def decide(confidence: float) -> Decision:
    """``confirmed`` at ≥ :data:`CONFIRMED_AT`, ``uncertain`` at ≥ :data:`UNCERTAIN_AT`."""
    if confidence >= CONFIRMED_AT - 1e-9:
        return "confirmed"
    if confidence >= UNCERTAIN_AT - 1e-9:
        return "uncertain"
    return "rejected"


#: Full-width punctuation of registry texts, replaced by plain ``str.replace`` first so that
#: most texts are already NFKC and skip the (much slower) normalisation.
_FULL_WIDTH_PUNCTUATION = (("；", ";"), ("，", ","), ("（", "("), ("）", ")"), ("：", ":"))


def normalize_text(text: str) -> str:
    """NFKC (full-width → half-width) and lower case, so ``ＰＥＭ`` matches ``pem``.

    >>> normalize_text("ＰＥＭ电解槽；（含）")
    'pem电解槽;(含)'
    """
    for wide, narrow in _FULL_WIDTH_PUNCTUATION:
        if wide in text:
            text = text.replace(wide, narrow)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


class Classifier:
    """Classifier over one atlas, built once (automaton + code table) and reused.

    >>> from jingjinji.atlas import load_atlas
    >>> clf = Classifier(load_atlas())
    >>> [m.segment for m in clf.classify({"name": "某某公司", "products": "IV型瓶"})]
    ['hydrogen-compressed-storage']
    """

    def __init__(self, atlas: Atlas) -> None:
        words: dict[str, list[str]] = {}
        display: dict[str, str] = {}
        registry: set[str] = set()
        self._industry: dict[str, str] = {}

        def add(word: str, slug: str | None) -> str:
            key = normalize_text(word).strip()
            if key:
                display.setdefault(key, word)
                slugs = words.setdefault(key, [])
                if slug is not None and slug not in slugs:
                    slugs.append(slug)
            return key

        for industry in atlas.industries:
            for segment in industry.segments:
                self._industry[segment.slug] = industry.slug
                for word in (*segment.keywords, *segment.synonyms):
                    add(word, segment.slug)
                for word in segment.registry_terms:
                    registry.add(add(word, segment.slug))
        for phrase in read_registry_generic(atlas.root):
            add(phrase, None)  # owns no segment: it only shadows the words inside it
        registry.discard("")
        # A word holding a registry term is at least as specific: it counts as one.
        self.registry: frozenset[str] = frozenset(
            word for word in words if words[word] and any(term in word for term in registry)
        )
        self.words: dict[str, tuple[str, ...]] = {w: tuple(s) for w, s in words.items()}
        patterns = list(self.words)
        # per pattern: (what _scan returns, ascii edges or None when neither edge is ASCII)
        self._payloads: list[tuple[tuple[str, tuple[str, ...], float, bool], Any]] = []
        for word in patterns:
            owners = self.words[word]
            factor = SHORT_WORD_FACTOR if len(word) <= 2 else 1.0
            factor /= math.sqrt(max(1, len(owners)))
            left, right = bool(_ASCII_WORD.match(word[0])), bool(_ASCII_WORD.match(word[-1]))
            entry = (display[word], owners, factor, word in self.registry)
            self._payloads.append((entry, (left, right) if left or right else None))
        # every occurrence of every word (overlapping), as character offsets of the text
        self._automaton = ahocorasick_rs.AhoCorasick(patterns)
        codes: dict[str, list[str]] = {}
        for industry in atlas.industries:
            for segment in industry.segments:
                for code in segment.gbt4754:
                    codes.setdefault(code, []).append(segment.slug)
        self.codes: dict[str, tuple[str, ...]] = {c: tuple(s) for c, s in codes.items()}

    # -- scanning ---------------------------------------------------------------------------

    def _scan(self, text: str) -> list[tuple[str, tuple[str, ...], float, bool]]:
        """Words found in one normalised text: (word, segments, factor, registry), longest wins.

        A match inside a longer match is dropped: spans sorted by start (longer first) are
        contained in an earlier one exactly when they end no later than the furthest end seen.
        Generic registry phrases take part in this and are then left out (they own nothing).
        """
        spans: list[tuple[int, int, tuple[str, tuple[str, ...], float, bool]]] = []
        append = spans.append
        payloads = self._payloads
        for index, start, stop in self._automaton.find_matches_as_indexes(text, overlapping=True):
            entry, edges = payloads[index]
            end = stop - 1
            if edges is not None:
                if edges[0] and start > 0 and _ASCII_WORD.match(text[start - 1]):
                    continue
                if edges[1] and end + 1 < len(text) and _ASCII_WORD.match(text[end + 1]):
                    continue
            append((start, -end, entry))
        if len(spans) < 2:
            return [entry for _, _, entry in spans if entry[1]]
        spans.sort()
        kept: list[tuple[str, tuple[str, ...], float, bool]] = []
        furthest = -1
        for _start, negative_end, entry in spans:
            if -negative_end <= furthest:
                continue
            furthest = -negative_end
            if entry[1]:
                kept.append(entry)
        return kept

    # -- classification ---------------------------------------------------------------------

    def classify_fields(
        self,
        fields: Mapping[str, str | None],
        *,
        industry_code: str | None = None,
        include_rejected: bool = True,
    ) -> list[SegmentMatch]:
        """Classify texts by field name (``{"scope": ..., "products": ...}``).

        Each field's words are graded by :data:`FIELD_GRADES` (registry terms ``strong`` in
        every field but the name); ``industry_code`` (GB/T 4754, e.g. ``C3849`` or ``3849``)
        adds medium evidence to the segments listing that code, preferring those the texts
        point to.
        Returns matches sorted by confidence (highest first), then segment slug.
        """
        # Per segment: best weight per word (a word found in several fields counts once, at
        # its best grade) and the evidence, one entry per (word, field).
        best: dict[str, dict[str, float]] = {}
        evidence: dict[str, dict[tuple[str, str], Grade]] = {}
        pointed: set[str] = set()  # segments with evidence beyond a name hint
        for name, raw in fields.items():
            if not raw:
                continue
            field_grade = FIELD_GRADES.get(name, "medium")
            for word, owners, factor, registry in self._scan(normalize_text(raw)):
                grade = REGISTRY_GRADE if registry and field_grade != "weak" else field_grade
                value = GRADE_WEIGHTS[grade] * factor
                if grade != "weak":
                    pointed.update(owners)
                for segment in owners:
                    words = best.get(segment)
                    if words is None:
                        best[segment] = {word: value}
                        evidence[segment] = {(word, name): grade}
                        continue
                    if value > words.get(word, 0.0):
                        words[word] = value
                    evidence[segment].setdefault((word, name), grade)
        digits = _CODE.search(industry_code) if industry_code else None
        if digits:
            code = digits.group(0)
            owners_code = self.codes.get(code, ())
            # The code goes to the segments the texts also point to, else to all its owners.
            backed = [segment for segment in owners_code if segment in pointed] or owners_code
            value = CODE_WEIGHT / math.sqrt(len(backed)) if backed else 0.0
            for segment in backed:
                best.setdefault(segment, {})[code] = value
                evidence.setdefault(segment, {})[(code, "industry_code")] = "medium"
        matches = []
        for segment, words in best.items():
            miss = 1.0
            for value in words.values():
                miss *= 1.0 - value
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
                    evidence=[
                        {"word": word, "field": name, "grade": grade}
                        for (word, name), grade in evidence[segment].items()
                    ],
                )
            )
        matches.sort(key=lambda m: (-m.confidence, m.segment))
        return matches

    def classify(
        self, record: Mapping[str, Any], *, include_rejected: bool = True
    ) -> list[SegmentMatch]:
        """Classify an enterprise record with ``name``, ``scope``, ``products``,
        ``industry_code`` (optional ``patents``, ``description``); missing fields are skipped.
        """
        texts: dict[str, str | None] = {}
        for name in RECORD_FIELDS:
            value = record.get(name)
            if value:
                texts[name] = value if isinstance(value, str) else "；".join(map(str, value))
        code = record.get("industry_code")
        return self.classify_fields(
            texts, industry_code=str(code) if code else None, include_rejected=include_rejected
        )

    def classify_many(
        self, records: Iterable[Mapping[str, Any]], *, include_rejected: bool = True
    ) -> list[list[SegmentMatch]]:
        """:meth:`classify` for each record, in order."""
        return [self.classify(record, include_rejected=include_rejected) for record in records]


_CACHE: weakref.WeakKeyDictionary[Atlas, Classifier] = weakref.WeakKeyDictionary()


def classifier_for(atlas: Atlas) -> Classifier:
    """The :class:`Classifier` of an atlas, built on first use and cached per atlas."""
    classifier = _CACHE.get(atlas)
    if classifier is None:
        classifier = Classifier(atlas)
        _CACHE[atlas] = classifier
    return classifier


def classify_text(
    text: str,
    atlas: Atlas,
    *,
    fields: dict[str, str] | None = None,
    industry_code: str | None = None,
    include_rejected: bool = False,
) -> list[SegmentMatch]:
    """Segments a text is about (a listing, a project description), best first.

    ``text`` is graded as a description (medium); ``fields`` adds texts by field name
    (``{"title": ..., "products": ..., "name": ...}``) graded by :data:`FIELD_GRADES`.
    Rejected matches are left out unless ``include_rejected``; callers that suggest segments
    usually keep ``confirmed`` and show ``uncertain`` for review.

    >>> from jingjinji.atlas import load_atlas
    >>> [m.segment for m in classify_text("建设风光制氢一体化项目，配套加氢站", load_atlas())]
    ['hydrogen-green-production', 'hydrogen-refueling-station']
    """
    texts: dict[str, str | None] = {"text": text}
    if fields:
        texts.update(fields)
    return classifier_for(atlas).classify_fields(
        texts, industry_code=industry_code, include_rejected=include_rejected
    )
