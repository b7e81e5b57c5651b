"""The matcher: lexical and dense retrieval per listing kind, fused, then the structured
re-ranking with reasons.

A demand (or challenge call) is matched against achievements; an achievement against demands
and challenge calls. Retrieval takes the ``candidates`` best BM25 hits of the right kind that
have not expired (the query expanded, see :meth:`Matcher.expansion`) and, with an embedding
model (:mod:`jingjinji.matching.embedding`), the ``candidates`` nearest by the cosine of
dense vectors of the listing's own words; the two lists are fused by reciprocal rank
(:mod:`jingjinji.matching.fusion`) and :func:`~jingjinji.matching.scoring.score_candidate`
re-ranks the union. ``retrieval="lexical"`` or ``"dense"`` uses one list alone.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np
import numpy.typing as npt

from jingjinji.matching.dense import DenseIndex
from jingjinji.matching.embedding import StaticEmbedder, sentences
from jingjinji.matching.fusion import SHARPNESS, fuse_ranks
from jingjinji.matching.index import NEVER, BM25Index
from jingjinji.matching.scoring import AtlasContext, MatchWeights, Profile, Scored, score_candidate
from jingjinji.matching.text import TextPipeline

__all__ = ["KINDS", "RETRIEVALS", "TARGETS", "Document", "Matcher", "document_text"]

#: How candidates are found: BM25 alone, dense vectors alone, or both fused (the default).
RETRIEVALS: tuple[str, ...] = ("lexical", "dense", "hybrid")

KINDS: tuple[str, ...] = ("achievement", "demand", "challenge", "instrument")
#: What each kind of listing is matched against.
TARGETS: dict[str, tuple[str, ...]] = {
    "demand": ("achievement",),
    "challenge": ("achievement",),
    "achievement": ("demand", "challenge"),
    "instrument": ("instrument",),
}


def document_text(title: str, summary: str = "", keywords: Sequence[str] = ()) -> str:
    """The indexed text of a listing: the title twice (a field weight of 2), keywords, summary."""
    return "\n".join([title, title, " ".join(keywords), summary])


@dataclass(frozen=True)
class Document:
    """One listing to index: its text, its profile and the last day it is valid."""

    profile: Profile
    text: str
    expires: date | None = None

    @property
    def key(self) -> int:
        return self.profile.key


def _ordinal(day: date | None) -> int:
    return NEVER if day is None else day.toordinal()


class Matcher:
    """Indexes per kind plus the profiles; ``match`` returns scored candidates with reasons.

    Answers of :meth:`match` are kept (at most ``answers_kept``) until the matcher changes
    (:meth:`build`, :meth:`upsert`, :meth:`remove`, :meth:`load_indexes`, or ``profiles`` set
    anew): the market index swaps in a changed fork rather than changing a serving matcher,
    so a page asked for again costs a lookup. With :attr:`stale_seconds`, a fork takes the
    answers along and serves each up to that many seconds after it was computed, so that a
    stream of publications does not make every page compute its matches again; the listing
    that changed has a key of its own (its text and profile), and the caller drops
    counterparts no longer published.
    """

    answers_kept = 4096

    def __init__(
        self,
        pipeline: TextPipeline,
        context: AtlasContext,
        weights: MatchWeights | None = None,
        embedder: StaticEmbedder | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.context = context
        self.weights = weights or MatchWeights()
        #: the dense model; ``None``: lexical retrieval only
        self.embedder = embedder
        self.indexes: dict[str, BM25Index] = {kind: BM25Index() for kind in KINDS}
        self.dense: dict[str, DenseIndex] = self._empty_dense()
        #: (query, text) → the passage of :meth:`passage`, and the segments' vectors: derived
        #: from the model alone, so shared by forks, with their lock
        self._passages: OrderedDict[tuple[str, str], tuple[str, float] | None] = OrderedDict()
        self._derived_lock = threading.Lock()
        self._segments: tuple[list[str], npt.NDArray[np.float32]] | None = None
        self._profiles: dict[int, Profile] = {}
        #: key → (answer, when computed, generation of the matcher it was computed on)
        self._answers: OrderedDict[Hashable, tuple[list[Scored], float, int]] = OrderedDict()
        self._answers_lock = threading.Lock()
        self._generation = 0
        #: the tokens of an indexed listing by key, for pseudo-relevance feedback (``None``:
        #: unknown); :meth:`build` and :meth:`upsert` keep them when no cache is given
        self.token_source: Callable[[int], list[str] | None] | None = None
        self._doc_tokens: dict[int, list[str]] = {}
        #: pseudo-relevance feedback: terms taken from the first documents (0: off)
        self.feedback_docs = 0
        self.feedback_terms = 8
        #: How long an answer computed before the latest change may still be served (s): 0
        #: serves only answers of the current state (the market index sets the platform's
        #: JJJ_PUBLIC_REFRESH_SECONDS, the staleness visitors' pages accept anyway).
        self.stale_seconds = 0.0

    def _empty_dense(self) -> dict[str, DenseIndex]:
        if self.embedder is None:
            return {}
        model = self.embedder
        return {kind: DenseIndex(model.dims, fingerprint=model.fingerprint) for kind in KINDS}

    @property
    def profiles(self) -> dict[int, Profile]:
        """The profile of every indexed listing by key (replace it whole, or call
        :meth:`upsert` and :meth:`remove`, so that kept answers are dropped)."""
        return self._profiles

    @profiles.setter
    def profiles(self, value: dict[int, Profile]) -> None:
        self._profiles = value
        self._forget()

    def _forget(self) -> None:
        """The matcher changed: answers kept so far are of an older state (dropped at once,
        or served up to :attr:`stale_seconds` after they were computed)."""
        with self._answers_lock:
            self._generation += 1
            if self.stale_seconds <= 0:
                self._answers.clear()

    def build(
        self,
        documents: Iterable[Document],
        *,
        tokens: Callable[[Document], list[str]] | None = None,
    ) -> None:
        """Replace everything with ``documents`` (one BM25 build per kind); ``tokens`` gives
        a document's tokens (default: the pipeline's, e.g. replaced by a cache)."""
        tokenize = tokens or self._tokens
        grouped: dict[str, list[Document]] = {kind: [] for kind in KINDS}
        for doc in documents:
            grouped.setdefault(doc.profile.kind, []).append(doc)
        indexes: dict[str, BM25Index] = {}
        dense: dict[str, DenseIndex] = {}
        profiles: dict[int, Profile] = {}
        for kind, docs in grouped.items():
            token_lists = [tokenize(doc) for doc in docs]
            if tokens is None:  # no cache outside: keep them for feedback
                self._doc_tokens.update(
                    (doc.key, t) for doc, t in zip(docs, token_lists, strict=True)
                )
            indexes[kind] = BM25Index.build(
                [doc.key for doc in docs],
                token_lists,
                expires=[_ordinal(doc.expires) for doc in docs],
            )
            if self.embedder is not None:
                dense[kind] = DenseIndex.build(
                    [doc.key for doc in docs],
                    self.embedder.embed_many(token_lists),
                    expires=[_ordinal(doc.expires) for doc in docs],
                    fingerprint=self.embedder.fingerprint,
                )
            profiles.update((doc.key, doc.profile) for doc in docs)
        self.indexes, self.dense = indexes, dense
        self.profiles = profiles  # the setter drops kept answers

    def _tokens(self, doc: Document) -> list[str]:
        return self.pipeline.tokens(doc.text)

    def fork(self) -> Matcher:
        """A copy that can be changed while this one keeps serving searches (copy on write:
        the main segments' arrays are shared, only what :meth:`upsert` and :meth:`remove`
        change is copied)."""
        other = Matcher(self.pipeline, self.context, self.weights, self.embedder)
        other.stale_seconds = self.stale_seconds
        other.token_source = self.token_source
        other._passages, other._derived_lock = self._passages, self._derived_lock
        other._segments = self._segments
        other.suggest_segments, other.suggest_floor = self.suggest_segments, self.suggest_floor
        other._doc_tokens = self._doc_tokens
        other.feedback_docs, other.feedback_terms = self.feedback_docs, self.feedback_terms
        if self.stale_seconds > 0:
            with self._answers_lock:
                other._answers = OrderedDict(self._answers)
                other._generation = self._generation
        other.indexes = {kind: index.fork() for kind, index in self.indexes.items()}
        other.dense = {kind: index.fork() for kind, index in self.dense.items()}
        other.profiles = dict(self.profiles)  # a change: the copied answers are of the past
        return other

    def upsert(self, doc: Document, tokens: list[str] | None = None) -> None:
        """Add or replace one listing; searchable at once (the index delta). ``tokens``
        defaults to the pipeline's tokens of the document's text."""
        self.remove(doc.key)
        self._forget()
        doc_tokens = self.pipeline.tokens(doc.text) if tokens is None else tokens
        if self.token_source is None:
            self._doc_tokens = {**self._doc_tokens, doc.key: doc_tokens}
        self.indexes[doc.profile.kind].add(doc.key, doc_tokens, expires=_ordinal(doc.expires))
        if self.embedder is not None:
            vector = self.embedder.embed(doc_tokens)
            self.dense[doc.profile.kind].add(doc.key, vector, expires=_ordinal(doc.expires))
        self.profiles[doc.key] = doc.profile

    def remove(self, key: int) -> None:
        """Withdraw a listing (closed, expired, unpublished or deleted)."""
        old = self.profiles.pop(key, None)
        if old is not None:
            self._forget()
            self.indexes[old.kind].remove(key)
            if old.kind in self.dense:
                self.dense[old.kind].remove(key)

    @property
    def delta_size(self) -> int:
        return sum(index.delta_size for index in self.indexes.values())

    @property
    def retrieval(self) -> str:
        """The default retrieval: hybrid with an embedding model, else lexical."""
        return "hybrid" if self.embedder is not None else "lexical"

    def search(
        self, text: str, *, kinds: Sequence[str] = KINDS, k: int = 50, today: date | None = None
    ) -> list[tuple[int, float]]:
        """BM25 hits of ``text`` among ``kinds``, best first."""
        tokens = self.pipeline.tokens(text)
        day = (today or date.today()).toordinal()
        hits: list[tuple[int, float]] = []
        for kind in kinds:
            hits.extend(self.indexes[kind].search(tokens, k=k, today=day))
        hits.sort(key=lambda pair: (-pair[1], pair[0]))
        return hits[:k]

    def match(
        self,
        listing: Profile,
        text: str,
        *,
        top: int = 10,
        candidates: int = 100,
        today: date | None = None,
        text_only: bool = False,
        expand: bool = True,
        retrieval: str | None = None,
    ) -> list[Scored]:
        """The ``top`` counterparts of ``listing`` by the full formula (or by text relevance
        alone when ``text_only``), each with its reasons (kept until the matcher changes, and
        then between half and all of :attr:`stale_seconds` longer). ``retrieval``: one of
        :data:`RETRIEVALS` (default :attr:`retrieval`). With ``expand`` the lexical query is
        ``text`` and the words of :meth:`expansion`: a demand in an enterprise's own words
        finds achievements in the segment's technical terms."""
        day = today or date.today()
        how = self._retrieval(retrieval)
        key = (listing, text, top, candidates, day, text_only, expand, how)
        now = time.monotonic()
        with self._answers_lock:
            kept = self._answers.get(key)
            if kept is not None:
                answer, computed, generation = kept
                if generation == self._generation or now - computed <= self._window(key):
                    self._answers.move_to_end(key)
                    return list(answer)
                del self._answers[key]
            generation = self._generation
        answer = self._match(listing, text, top, candidates, day, text_only, expand, how)
        with self._answers_lock:
            self._answers[key] = (answer, now, generation)
            while len(self._answers) > self.answers_kept:
                self._answers.popitem(last=False)
        return list(answer)

    def _retrieval(self, retrieval: str | None) -> str:
        how = retrieval or self.retrieval
        if how not in RETRIEVALS:
            raise ValueError(f"unknown retrieval {how!r}; known: {list(RETRIEVALS)}")
        if how != "lexical" and self.embedder is None:
            raise ValueError(f"retrieval {how!r} needs an embedding model")
        return how

    def _window(self, key: Hashable) -> float:
        """How long (s) the answer of ``key`` computed before a change may be served: between
        half and all of :attr:`stale_seconds`, spread by the key, so that answers computed
        together (at start-up, say) do not all fall due together."""
        return self.stale_seconds * (1.0 - 0.5 * (hash(key) & 0xFFFF) / 0xFFFF)

    #: a listing without segments is expanded with the vocabulary of the segments whose
    #: vectors are nearest its text: at most this many, each at least this cosine
    #: (measured with ``jjj match evaluate``, hybrid nDCG@10 / MRR: one segment at 0.5 took
    #: the problem set from 0.625 / 0.622 to 0.628 / 0.637, and with the demands' segments
    #: removed (``--no-segments``) from 0.490 / 0.544 to 0.512 / 0.565; the easy set stays at
    #: 1.000, without segments 0.993 / 1.000 → 0.987 / 1.000)
    suggest_segments = 1
    suggest_floor = 0.5

    def suggested_segments(self, text: str) -> list[tuple[str, float]]:
        """The :attr:`suggest_segments` atlas segments nearest ``text`` by the cosine of its
        dense vector with each segment's (of its name, keywords and synonyms), best first,
        at least :attr:`suggest_floor`; none without a model."""
        vector = self.query_vector(text) if self.suggest_segments > 0 else None
        if vector is None or not np.any(vector):
            return []
        slugs, matrix = self._segment_vectors()
        cosines = matrix @ vector
        best = np.argsort(-cosines, kind="stable")[: self.suggest_segments]
        return [(slugs[i], float(cosines[i])) for i in best if cosines[i] >= self.suggest_floor]

    def _segment_vectors(self) -> tuple[list[str], npt.NDArray[np.float32]]:
        with self._derived_lock:
            if self._segments is None:
                assert self.embedder is not None
                slugs = sorted(self.context.segment_terms)
                tokens = [
                    self.pipeline.tokens(" ".join(self.context.segment_terms[slug]))
                    for slug in slugs
                ]
                self._segments = (slugs, self.embedder.embed_many(tokens))
            return self._segments

    def expansion_segments(self, listing: Profile, text: str) -> tuple[str, ...]:
        """The segments whose vocabulary expands the query: the listing's own, or when it
        names none its :meth:`suggested_segments`."""
        if listing.segments:
            return listing.segments
        return tuple(slug for slug, _cosine in self.suggested_segments(text))

    def expansion(self, listing: Profile, text: str) -> list[str]:
        """The words of the vocabulary of ``listing``'s segments (name, keywords, synonyms in
        the atlas) that ``text`` does not contain, in order; for a listing without segments,
        of its :meth:`suggested_segments` (none when that is off)."""
        words: dict[str, None] = {}
        for segment in self.expansion_segments(listing, text):
            for term in self.context.segment_terms.get(segment, ()):
                if term.lower() not in text.lower():
                    words[term] = None
        return list(words)

    def _query(
        self, listing: Profile, text: str, expand: bool
    ) -> tuple[str, list[str], frozenset[str]]:
        """The query text (with :meth:`expansion` when ``expand``), its tokens, and the tokens
        only the expansion brought."""
        added = self.expansion(listing, text) if expand else []
        base = self.pipeline.tokens(text)
        # the words are joined by spaces, which the tokenizer never joins across: the query's
        # tokens are the text's and the words' (tests/matching checks this on the sample)
        extra = self.pipeline.tokens(" ".join(added)) if added else []
        feedback = self.feedback(listing, base + extra) if expand else []
        if not added and not feedback:
            return text, base, frozenset()
        query = " ".join([text, *added, *feedback])
        return query, base + extra + feedback, frozenset(extra + feedback) - frozenset(base)

    def feedback(self, listing: Profile, tokens: list[str]) -> list[str]:
        """Pseudo-relevance feedback (Rocchio 1971; the RM3 weighting of Abdul-Jaleel et al.
        2004, simplified): the ``feedback_terms`` terms of the first ``feedback_docs`` BM25
        hits among the counterparts, weighted Σ_d score(d)/max score · tf(t, d)/|d| · idf(t),
        that the query does not hold; none when off or nothing is found."""
        if self.feedback_docs <= 0:
            return []
        hits: list[tuple[int, float, str]] = []
        for kind in TARGETS.get(listing.kind, ()):
            index = self.indexes[kind]
            hits.extend(
                (key, score, kind)
                for key, score in index.search(tokens, k=self.feedback_docs)
                if key != listing.key
            )
        hits.sort(key=lambda item: (-item[1], item[0]))
        hits = hits[: self.feedback_docs]
        if not hits or hits[0][1] <= 0:
            return []
        have = set(tokens)
        weights: dict[str, float] = {}
        for key, score, kind in hits:
            doc = (self.token_source or self._doc_tokens.get)(key)
            if not doc:
                continue
            share = score / hits[0][1] / len(doc)
            index = self.indexes[kind]
            for term in doc:
                if term in have or len(term) < 2 or term.isdigit():
                    continue
                weights[term] = weights.get(term, 0.0) + share * index.idf(term)
        ranked = sorted(weights.items(), key=lambda pair: (-pair[1], pair[0]))
        return [term for term, _weight in ranked[: self.feedback_terms]]

    def query_vector(self, text: str) -> npt.NDArray[np.float32] | None:
        """The dense vector of ``text`` (its own words, no expansion); ``None`` without a model."""
        if self.embedder is None:
            return None
        return self.embedder.embed(self.pipeline.tokens(text))

    def _candidates(
        self,
        listing: Profile,
        text: str,
        candidates: int,
        day: date,
        expand: bool,
        how: str,
    ) -> tuple[
        str,
        list[str],
        frozenset[str],
        dict[str, list[tuple[int, float, str]]],
        npt.NDArray[np.float32] | None,
    ]:
        """The lexical query's text, tokens and expansion, each retriever's hits among the
        targets of ``listing`` (best first, ``candidates`` at most) and the dense query
        vector (of ``text`` alone)."""
        query, tokens, expansion = self._query(listing, text, expand)
        targets = TARGETS.get(listing.kind, ())
        lists: dict[str, list[tuple[int, float, str]]] = {}

        def merged(
            search: Callable[[str], list[tuple[int, float]]],
        ) -> list[tuple[int, float, str]]:
            found = [
                (key, score, kind)
                for kind in targets
                for key, score in search(kind)
                if key != listing.key
            ]
            found.sort(key=lambda item: (-item[1], item[0]))
            return found[:candidates]

        today = day.toordinal()
        if how in ("lexical", "hybrid"):
            lists["lexical"] = merged(
                lambda kind: self.indexes[kind].search(tokens, k=candidates, today=today)
            )
        vector = self.query_vector(text) if how in ("dense", "hybrid") else None
        if vector is not None:
            query_vector = vector
            lists["dense"] = merged(
                lambda kind: self.dense[kind].search(query_vector, k=candidates, today=today)
            )
        return query, tokens, expansion, lists, vector

    def _match(
        self,
        listing: Profile,
        text: str,
        top: int,
        candidates: int,
        day: date,
        text_only: bool,
        expand: bool,
        how: str,
    ) -> list[Scored]:
        query, tokens, expansion, lists, vector = self._candidates(
            listing, text, candidates, day, expand, how
        )
        fused = _text_values(lists)
        if not fused:
            return []
        bm25 = {key: score for key, score, _kind in lists.get("lexical", ())}
        best = max(bm25.values(), default=0.0)
        kinds = {key: kind for found in lists.values() for key, _score, kind in found}
        order = sorted(fused, key=lambda key: (-fused[key][0], -bm25.get(key, 0.0), key))
        if text_only:
            order = order[:top]

        def scored_one(
            key: int,
            terms: list[tuple[str, float]],
            explain: bool = True,
            similarity: float | None = None,
        ) -> Scored | None:
            other = self.profiles.get(key)
            if other is None:
                return None
            need, offer = (other, listing) if listing.kind == "achievement" else (listing, other)
            value, ranks = fused[key]
            return score_candidate(
                need,
                offer,
                bm25=bm25.get(key, 0.0),
                bm25_max=best,
                terms=terms,
                ctx=self.context,
                weights=self.weights,
                today=day,
                explain=explain,
                expansion=expansion,
                key=key,
                text_value=value,
                found_by=ranks if explain else None,
                similarity=similarity,
            )

        # First pass without the per-term breakdown and without reasons (cheap), then explain
        # only the winners.
        ranked = [s for key in order if (s := scored_one(key, [], False)) is not None]
        if not text_only:
            ranked.sort(key=lambda item: (-item.score, -item.bm25, item.key))
        winners = ranked[:top]
        parts: dict[int, dict[str, float]] = {}
        similar: dict[int, float] = {}
        for kind in dict.fromkeys(kinds[item.key] for item in winners):
            of_kind = [item.key for item in winners if kinds[item.key] == kind]
            parts.update(self.indexes[kind].contributions_of(tokens, of_kind))
            if vector is not None:
                similar.update(self.dense[kind].similarities(vector, of_kind))
        explained: list[Scored] = []
        for item in winners:
            shown = self._shown(parts.get(item.key, {}), query)
            again = scored_one(item.key, shown, similarity=similar.get(item.key))
            if again is not None:
                explained.append(again)
        return explained

    def passage(
        self, query: str, text: str, vector: npt.NDArray[np.float32] | None = None
    ) -> tuple[str, float] | None:
        """The sentence of ``text`` closest to ``query`` (whose dense vector ``vector`` is, when
        the caller has it) by the dense cosine, with the cosine; ``None`` without a model or
        when no sentence shares a known word."""
        with self._derived_lock:
            if (query, text) in self._passages:
                self._passages.move_to_end((query, text))
                return self._passages[(query, text)]
        best = self._passage(query, text, vector)
        with self._derived_lock:
            self._passages[(query, text)] = best
            while len(self._passages) > self.answers_kept:
                self._passages.popitem(last=False)
        return best

    def _passage(
        self, query: str, text: str, vector: npt.NDArray[np.float32] | None
    ) -> tuple[str, float] | None:
        if vector is None:
            vector = self.query_vector(query)
        parts = sentences(text)[:64]
        if vector is None or not np.any(vector) or not parts:
            return None
        assert self.embedder is not None
        cosines = self.embedder.embed_many(self.pipeline.tokens_many(parts)) @ vector
        best = int(np.argmax(cosines))
        return (parts[best], float(cosines[best])) if cosines[best] > 0 else None

    def with_passages(
        self, query: str, scored: Sequence[Scored], texts: Mapping[int, str]
    ) -> list[Scored]:
        """``scored`` with, in the text reason of each one the dense retriever found, the
        sentence of its text (``texts`` by key) closest to ``query`` (see :meth:`passage`)."""
        out: list[Scored] = []
        vector = self.query_vector(query) if scored else None
        for item in scored:
            reasons = list(item.reasons)
            for i, reason in enumerate(reasons):
                dense = any(name == "dense" for name, _rank in reason.found_by)
                if reason.factor != "text" or not dense or item.key not in texts:
                    continue
                found = self.passage(query, texts[item.key], vector)
                if found is not None:
                    sentence = found[0] if len(found[0]) <= 160 else found[0][:159] + "…"
                    reasons[i] = replace(reason, passage=sentence)
            out.append(replace(item, reasons=tuple(reasons)))
        return out

    def score_pair(
        self,
        listing: Profile,
        text: str,
        key: int,
        *,
        today: date | None = None,
        expand: bool = True,
        candidates: int = 100,
    ) -> Scored | None:
        """The full score of one counterpart ``key`` of ``listing`` with its reasons, as
        :meth:`match` would rank it among ``candidates``: lexical retrieval normalises its
        BM25 by the best hit among the same targets; hybrid retrieval fuses its ranks in
        both lists (T = 0 when neither holds it). ``None`` when ``key`` is not indexed or is
        not a target of ``listing``'s kind."""
        other = self.profiles.get(key)
        if other is None or other.kind not in TARGETS.get(listing.kind, ()):
            return None
        day = today or date.today()
        how = self.retrieval
        query, tokens, expansion, lists, vector = self._candidates(
            listing, text, candidates, day, expand, how
        )
        parts = self.indexes[other.kind].contributions(tokens, key)
        bm25 = sum(parts.values())
        lexical = lists.get("lexical")
        best = max(lexical[0][1], bm25) if lexical else bm25
        if how == "lexical":
            value, ranks = None, None
        else:
            value, ranks = _text_values(lists).get(key, (0.0, {}))
        similarity = None
        if vector is not None:
            similarity = self.dense[other.kind].similarities(vector, [key]).get(key)
        need, offer = (other, listing) if listing.kind == "achievement" else (listing, other)
        return score_candidate(
            need,
            offer,
            bm25=bm25,
            bm25_max=best,  # T is ``value`` when the lists were fused
            terms=self._shown(parts, query),
            ctx=self.context,
            weights=self.weights,
            today=day,
            expansion=expansion,
            key=key,
            text_value=value,
            found_by=ranks,
            similarity=similarity,
        )

    def _shown(self, parts: dict[str, float], text: str) -> list[tuple[str, float]]:
        """The shared terms a reason shows: those a reader recognises in the query ``text``
        (see :meth:`TextPipeline.readable`), with their BM25 parts."""
        return [(term, parts[term]) for term in self.pipeline.readable(parts, text)]

    def save(self, folder: Path | str) -> None:
        """Write the indexes, lexical and dense (profiles are rebuilt from the database by the
        owner)."""
        root = Path(folder)
        for kind, index in self.indexes.items():
            index.save(root / kind)
        for kind, dense in self.dense.items():
            dense.save(root / kind / "dense")

    def load_indexes(self, folder: Path | str) -> None:
        """Read indexes written by :meth:`save`; ``ValueError`` if any is missing or broken,
        or (with a model) when the dense ones are missing or of another model."""
        root = Path(folder)
        indexes = {kind: BM25Index.load(root / kind) for kind in KINDS}
        dense: dict[str, DenseIndex] = {}
        if self.embedder is not None:
            fingerprint = self.embedder.fingerprint
            dense = {
                kind: DenseIndex.load(root / kind / "dense", fingerprint=fingerprint)
                for kind in KINDS
            }
        self.indexes, self.dense = indexes, dense
        self._forget()


def _text_values(
    lists: Mapping[str, Sequence[tuple[int, float, str]]],
) -> dict[int, tuple[float, dict[str, int]]]:
    """T and the ranks of every candidate: fused by reciprocal rank when both retrievers
    ran, else the one list's score over its best (BM25 or cosine, clipped at 0)."""
    if len(lists) > 1:
        ranked = {name: [key for key, _s, _k in found] for name, found in lists.items()}
        return fuse_ranks(ranked, power=SHARPNESS)
    values: dict[int, tuple[float, dict[str, int]]] = {}
    for name, found in lists.items():
        best = found[0][1] if found else 0.0
        for rank, (key, score, _kind) in enumerate(found, start=1):
            values[key] = (max(score, 0.0) / best if best > 0 else 0.0, {name: rank})
    return values
