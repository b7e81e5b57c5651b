"""Chinese text pipeline: jieba with a domain dictionary generated from the atlas.

Every segment's name, keywords and synonyms, every industry name and every place name become
dictionary words with a high frequency, so jieba keeps ``质子交换膜电解槽`` or ``膜电极`` whole;
search mode (``cut_for_search``) then also emits the dictionary words inside a compound, which
helps recall when a demand says ``电解槽`` and an achievement ``PEM电解槽`` (Sun, *jieba*,
https://github.com/fxsjy/jieba). Tokens are lower-cased; punctuation, single characters and
a short list of function words and listing boilerplate are dropped.

>>> pipeline = TextPipeline(["膜电极", "质子交换膜"])
>>> pipeline.tokens("膜电极的批量制备与质子交换膜")
['电极', '膜电极', '批量', '制备', '质子', '交换', '质子交换膜']
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Sequence

import jieba

from jingjinji.atlas import Atlas

__all__ = ["FILLER", "STOPWORDS", "TextPipeline", "domain_terms", "pipeline_for"]

_STOPWORD_TEXT = """
    一种 一个 一些 以及 及其 其中 我们 本项 本成果 成果 本项目 项目 需求 企业 公司 单位 技术
    方法 研究 开发 研发 应用 相关 进行 实现 提高 提升 具有 通过 采用 基于 能够 可以 用于 对于
    以上 以下 其他 主要 目前 现有 已经 同时 以及 包括 方面 问题 需要 希望 寻求 合作 要求 解决
    这个 那个 如果 因为 所以 但是 而且 并且 或者 还是 没有 不是 可以 得到 达到 其 的 了 和 与
    及 等 在 对 为 是 由 将 把 被 并 也 都 而 从 向 到 以 于 之 中 上 下 或 个 有 无 该 此 本
"""
#: Function words and boilerplate of listings that carry no topic.
STOPWORDS: frozenset[str] = frozenset(_STOPWORD_TEXT.split())

_FILLER_TEXT = """
    成本 时间 费用 价格 周期 效率 情况 能力 水平 工作 方式 过程 效果 服务 产品 质量 国内 国外
    行业 领域 市场 客户 用户 生产 使用 工艺 我方 贵方 目标 现状 一直 经常 比较 非常 较高 较低
"""
#: Words a match may share that say nothing about why it fits: never shown as a shared
#: keyword (they still count in BM25).
FILLER: frozenset[str] = frozenset(_FILLER_TEXT.split())
_NUMBER = re.compile(r"^[0-9.+/\-]+[a-z%]{0,3}$")

#: How many recent texts a pipeline remembers the tokens of (a few megabytes).
_RECENT_TEXTS = 16_384
_KEEP = re.compile(r"^[0-9a-z\u4e00-\u9fff][0-9a-z\u4e00-\u9fff+./\-]*$")
_SPACES = re.compile(r"\s+")


def domain_terms(atlas: Atlas) -> list[str]:
    """The dictionary words taken from the atlas: segment names, keywords and synonyms,
    industry names, and the names and short names of places (sorted, unique)."""
    terms: set[str] = set()
    for industry in atlas.industries:
        terms.add(industry.name)
        for segment in industry.segments:
            terms.add(segment.name)
            terms.update(segment.keywords)
            terms.update(segment.synonyms)
    for place in atlas.places:
        terms.add(place.name)
        if len(place.short_name) >= 2:
            terms.add(place.short_name)
    return sorted(term for term in terms if len(term) >= 2)


class TextPipeline:
    """Tokenizer for listings and queries; one jieba ``Tokenizer`` of its own per pipeline.

    ``tokens(text)`` is deterministic for a given dictionary; the same pipeline must tokenize
    the corpus and the queries.
    """

    def __init__(self, terms: Iterable[str] = (), *, stopwords: frozenset[str] = STOPWORDS):
        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self.terms: tuple[str, ...] = tuple(sorted(set(terms)))
        for term in self.terms:
            # A high frequency makes jieba prefer the whole domain word over its pieces.
            self._jieba.add_word(term.lower(), freq=200_000)
        self.stopwords = stopwords
        # the texts tokenized lately (an index built again in this process, e.g. after the
        # sample data are loaded anew, tokenizes nothing twice); tokens depend on the text only
        self._recent = functools.lru_cache(maxsize=_RECENT_TEXTS)(self._tokenize)

    def tokens(self, text: str) -> list[str]:
        """Search-mode tokens of ``text`` in order (repeats kept: they are term frequencies)."""
        if not text:
            return []
        return list(self._recent(text))

    def _tokenize(self, text: str) -> tuple[str, ...]:
        cleaned = _SPACES.sub(" ", text.lower())
        return tuple(
            token
            for token in self._jieba.lcut_for_search(cleaned, HMM=False)
            if len(token) >= 2 and token not in self.stopwords and _KEEP.match(token)
        )

    def readable(self, terms: Iterable[str], text: str) -> list[str]:
        """Those of ``terms`` (tokens of ``text``, in their order) a reader recognises as
        words of ``text``: a word of its precise-mode segmentation or a dictionary word of
        the atlas, not a number and not filler (:data:`FILLER`). Search mode also emits the
        overlapping pieces of a compound (``全集`` from ``安全集成``): they help recall but
        are not shown as a reason."""
        words = self._words(text)
        dictionary = self._dictionary
        return [
            term
            for term in terms
            if (term in words or term in dictionary)
            and term not in FILLER
            and not _NUMBER.match(term)
        ]

    @functools.cached_property
    def _dictionary(self) -> frozenset[str]:
        return frozenset(term.lower() for term in self.terms)

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one pipeline per dictionary, kept for good
    def _words(self, text: str) -> frozenset[str]:
        """The precise-mode words of ``text`` and, inside each compound, the pieces that
        begin or end it or what is left of it once such a piece is taken off
        (质子交换膜电解槽: 质子, 电解槽, 交换; not 全集 in 安全集成)."""
        words = set(self._jieba.lcut(_SPACES.sub(" ", text.lower()), HMM=False))
        readable = set(words)
        for word in words:
            if len(word) < 3:
                continue
            pieces = {p for p in self._jieba.lcut_for_search(word, HMM=False) if p != word}
            ends = {p for p in pieces if word.startswith(p) or word.endswith(p)}
            rests = {word[len(p) :] for p in ends if word.startswith(p)}
            rests |= {word[: -len(p)] for p in ends if word.endswith(p)}
            readable |= ends
            readable |= {p for p in pieces for r in rests if r.startswith(p) or r.endswith(p)}
        return frozenset(readable)

    def tokens_many(self, texts: Sequence[str]) -> list[list[str]]:
        """``tokens`` of each text."""
        return [self.tokens(text) for text in texts]


@functools.cache
def _cached(terms: tuple[str, ...]) -> TextPipeline:
    return TextPipeline(terms)


def pipeline_for(atlas: Atlas) -> TextPipeline:
    """The shared pipeline with the atlas dictionary (built once per process, ~1 s)."""
    return _cached(tuple(domain_terms(atlas)))
