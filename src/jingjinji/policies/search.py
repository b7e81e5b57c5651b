"""Full-text search of policies in Chinese: jieba segmentation and Okapi BM25 ranking.

Text is normalised (NFKC, lower case), cut with jieba's search mode (long words also yield
their parts: 新能源汽车 → 新能源, 汽车, 新能源汽车) using a tokenizer that knows the atlas's
chain, segment and place names, and scored with Okapi BM25 (Robertson & Zaragoza, *The
Probabilistic Relevance Framework: BM25 and Beyond*, 2009):

    score(D, Q) = Σ_{q ∈ Q} IDF(q) · f(q, D) · (k1 + 1) / (f(q, D) + k1 · (1 − b + b · |D| / avgdl))
    IDF(q) = ln(1 + (N − n(q) + 0.5) / (n(q) + 0.5))

with k1 = 1.5 and b = 0.75, f(q, D) the frequency of term q in document D, |D| its length in
terms, avgdl the mean length, N the number of documents and n(q) those containing q. The title
counts three times (a simple field weighting). A phrase in quotes (``"专精特新"``, “…” or 「…」)
must also appear verbatim in the policy. Queries are matched as data, never as patterns: quotes,
``%``, ``_`` and backslashes are ordinary characters.

Documents are tokenized once (:func:`index_document`) and an index is assembled from them
(:meth:`PolicyIndex.from_documents`), so a kept index is searched over any subset of its
documents (:meth:`PolicyIndex.search` with ``keys``) with N, avgdl and n(q) of that subset —
the same scores as an index built over the subset alone.
"""

from __future__ import annotations

import functools
import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jingjinji.atlas import Atlas

__all__ = [
    "K1",
    "MAX_QUERY_LENGTH",
    "POLICY_WORDS",
    "B",
    "IndexedDocument",
    "PolicyIndex",
    "SearchHit",
    "atlas_words",
    "index_document",
    "parse_query",
    "tokenize",
]

K1 = 1.5
B = 0.75
TITLE_WEIGHT = 3
MAX_QUERY_LENGTH = 200
_PHRASE = re.compile(r'"([^"]+)"|“([^”]+)”|「([^」]+)」')
_WORDLIKE = re.compile(r"[^\W_]", re.UNICODE)
_STOPWORDS = frozenset(
    (
        "的",
        "了",
        "和",
        "与",
        "及",
        "等",
        "在",
        "对",
        "为",
        "是",
        "或",
        "其",
        "中",
        "之",
        "于",
        "以",
        "按",
        "将",
        "并",
        "由",
        "向",
        "从",
        "个",
        "有",
    )
)
#: Policy words jieba's dictionary lacks.
POLICY_WORDS: tuple[str, ...] = (
    "专精特新",
    "小巨人",
    "高新技术企业",
    "科技型中小企业",
    "瞪羚企业",
    "独角兽企业",
    "首台套",
    "揭榜挂帅",
    "研发费用加计扣除",
    "贷款贴息",
    "人才公寓",
    "产业用地",
    "中试",
    "孵化器",
    "众创空间",
    "京津冀",
    "协同创新",
)


@functools.cache
def _tokenizer(words: tuple[str, ...]) -> object:
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in words:
        tokenizer.add_word(word, freq=2000)
    return tokenizer


@functools.lru_cache(maxsize=16)
def atlas_words(atlas: Atlas | None) -> tuple[str, ...]:
    """Domain words for the tokenizer: chain, segment and place names, synonyms, keywords;
    worked out once per atlas (an atlas does not change once loaded)."""
    words: set[str] = set(POLICY_WORDS)
    if atlas is None:
        return tuple(sorted(words))
    for industry in atlas.industries:
        words.add(industry.name)
        for segment in industry.segments:
            words.update([segment.name, *segment.synonyms, *segment.keywords])
    for place in atlas.places:
        words.update([place.name, place.short_name])
    for item in (*atlas.platforms, *atlas.parks, *atlas.corridors):
        words.add(item.name)
    return tuple(sorted(w for w in words if 2 <= len(w) <= 20 and not any(c.isspace() for c in w)))


def normalize(text: str) -> str:
    """NFKC (full-width to half-width) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def _cut_text(text: str, words: tuple[str, ...]) -> tuple[str, ...]:
    tokenizer = _tokenizer(words)
    pieces = tokenizer.cut_for_search(text)  # type: ignore[attr-defined]
    return tuple(
        token
        for piece in pieces
        if (token := piece.strip()) and _WORDLIKE.search(token) and token not in _STOPWORDS
    )


#: Queries and short texts repeat: their cuts are kept (documents are kept by their index).
_cut = functools.lru_cache(maxsize=8192)(_cut_text)


def tokenize(text: str, *, words: tuple[str, ...] = ()) -> list[str]:
    """Terms of ``text``: normalised jieba search-mode tokens, punctuation and stop words
    dropped. ``words`` are extra dictionary words (see :func:`atlas_words`)."""
    return list(_cut(normalize(text), words))


def parse_query(query: str) -> tuple[list[str], str]:
    """Quoted phrases of a query and the rest of it.

    >>> parse_query('氢能 "专精特新" 补贴')
    (['专精特新'], '氢能   补贴')
    """
    phrases = [normalize(next(g for g in m.groups() if g)) for m in _PHRASE.finditer(query)]
    rest = _PHRASE.sub(" ", query)
    return [p.strip() for p in phrases if p.strip()], rest


@dataclass(frozen=True)
class SearchHit:
    """A matching document: its key, BM25 score and the query terms it contains."""

    key: int
    score: float
    terms: tuple[str, ...]


@dataclass(frozen=True)
class IndexedDocument:
    """A tokenized document: its key, term frequencies (title terms counted
    :data:`TITLE_WEIGHT` times), length in terms and normalised text (for phrases)."""

    key: int
    counts: Counter[str]
    length: int
    text: str


def index_document(key: int, title: str, body: str, *, words: tuple[str, ...]) -> IndexedDocument:
    """Tokenize one document (the expensive part of building an index); the cuts of long
    texts are not kept by :func:`tokenize`'s cache, the caller keeps the document."""
    terms = list(_cut_text(normalize(title), words)) * TITLE_WEIGHT
    terms += _cut_text(normalize(body), words)
    return IndexedDocument(key, Counter(terms), len(terms), normalize(f"{title}\n{body}"))


def _idf(n_docs: int, n: int) -> float:
    return math.log(1 + (n_docs - n + 0.5) / (n + 0.5))


class PolicyIndex:
    """A BM25 index over documents given as ``(key, title, body)``.

    >>> index = PolicyIndex([(1, "氢能产业支持措施", "对电解水制氢项目给予补贴"),
    ...                      (2, "人才引进办法", "高层次人才安家补贴")])
    >>> [hit.key for hit in index.search("氢能 补贴")]
    [1, 2]
    >>> [hit.key for hit in index.search("补贴", keys=[2])]
    [2]
    """

    def __init__(self, docs: Iterable[tuple[int, str, str]], *, atlas: Atlas | None = None):
        words = atlas_words(atlas)
        built = []
        for key, title, body in docs:
            terms = tokenize(title, words=words) * TITLE_WEIGHT
            terms += tokenize(body, words=words)
            built.append(
                IndexedDocument(key, Counter(terms), len(terms), normalize(f"{title}\n{body}"))
            )
        self._setup(built, words)

    @classmethod
    def from_documents(
        cls, documents: Iterable[IndexedDocument], *, words: tuple[str, ...]
    ) -> PolicyIndex:
        """An index of documents tokenized already (:func:`index_document` with ``words``)."""
        index = cls.__new__(cls)
        index._setup(list(documents), words)
        return index

    def _setup(self, docs: list[IndexedDocument], words: tuple[str, ...]) -> None:
        self.words = words
        self.docs = docs
        self.by_key = {doc.key: doc for doc in docs}
        self.n = len(docs)
        self.avgdl = (sum(d.length for d in docs) / self.n) if self.n else 0.0

    def df(self, term: str, docs: Sequence[IndexedDocument] | None = None) -> int:
        """n(q): how many of ``docs`` (default: all) contain ``term``."""
        return sum(1 for doc in (self.docs if docs is None else docs) if term in doc.counts)

    def idf(self, term: str) -> float:
        """ln(1 + (N − n + 0.5) / (n + 0.5)); positive for every term."""
        return _idf(self.n, self.df(term))

    def score(self, doc: IndexedDocument, terms: Sequence[str]) -> float:
        """BM25 score of one document for de-duplicated query terms."""
        return _score(doc, terms, {t: self.idf(t) for t in terms}, self.avgdl)

    def search(
        self, query: str, *, limit: int | None = None, keys: Iterable[int] | None = None
    ) -> list[SearchHit]:
        """Documents matching ``query``, best first (ties by key); [] for a query without
        terms. Every quoted phrase must occur verbatim. With ``keys``, only those documents
        are searched and N, avgdl and n(q) are theirs (unknown keys are left out)."""
        phrases, rest = parse_query(query[: MAX_QUERY_LENGTH * 5])
        terms = list(dict.fromkeys(tokenize(rest, words=self.words)))
        for phrase in phrases:
            terms.extend(t for t in tokenize(phrase, words=self.words) if t not in terms)
        if not terms and not phrases:
            return []
        if keys is None:
            docs, avgdl = self.docs, self.avgdl
        else:
            docs = [self.by_key[key] for key in keys if key in self.by_key]
            avgdl = (sum(d.length for d in docs) / len(docs)) if docs else 0.0
        idf = {term: _idf(len(docs), self.df(term, docs)) for term in terms}
        hits = []
        for doc in docs:
            if any(phrase not in doc.text for phrase in phrases):
                continue
            value = _score(doc, terms, idf, avgdl)
            if value > 0 or (phrases and not terms):
                matched = tuple(t for t in terms if t in doc.counts)
                hits.append(SearchHit(doc.key, round(value, 6), matched))
        hits.sort(key=lambda h: (-h.score, h.key))
        return hits[:limit] if limit is not None else hits


def _score(
    doc: IndexedDocument, terms: Sequence[str], idf: dict[str, float], avgdl: float
) -> float:
    """BM25 score of one document for de-duplicated query terms, given their IDF."""
    total = 0.0
    norm = K1 * (1 - B + B * doc.length / avgdl) if avgdl else K1
    for term in terms:
        f = doc.counts.get(term, 0)
        if f:
            total += idf[term] * f * (K1 + 1) / (f + norm)
    return total
