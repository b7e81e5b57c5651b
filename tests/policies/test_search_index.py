"""The kept policy search index: the same answers as an index built per request over the
filtered rows (the previous implementation, copied below as the reference), built once per
state of the policy table, only changed policies tokenized again, readers never waiting for a
rebuild."""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from jingjinji.atlas import Atlas, load_atlas
from jingjinji.policies.queries import (
    PolicySearchIndex,
    SearchResult,
    filtered_policies,
    search_policies,
)
from jingjinji.policies.repository import PolicyFilter, load_sample_policies
from jingjinji.policies.search import (
    K1,
    MAX_QUERY_LENGTH,
    TITLE_WEIGHT,
    B,
    atlas_words,
    normalize,
    parse_query,
    tokenize,
)
from jingjinji.projects.places import atlas_name, place_label
from jingjinji.store import make_session_factory
from jingjinji.store.models import Policy

pytestmark = pytest.mark.db

QUERIES = [
    "氢能 补贴",
    "人才",
    '"专精特新"',
    "集成电路 研发费用加计扣除",
    "京津冀 协同创新 中试",
    "机器人 首台套",
    "“小巨人” 奖励",
    "不存在的词语组合",
]
FILTERS = [
    PolicyFilter(),
    PolicyFilter(place="130600"),
    PolicyFilter(type="资金"),
    PolicyFilter(industry="hydrogen"),
    PolicyFilter(expired=False),
    PolicyFilter(place="110000", industry="integrated-circuits"),
]


# -- the previous implementation (a BM25 index built over the filtered rows per request) --


@dataclass(frozen=True)
class _OldDoc:
    key: int
    counts: Counter[str]
    length: int
    text: str


class _OldPolicyIndex:
    def __init__(self, docs: Iterable[tuple[int, str, str]], *, atlas: Atlas | None = None):
        self.words = atlas_words(atlas)
        self.docs: list[_OldDoc] = []
        for key, title, body in docs:
            terms = tokenize(title, words=self.words) * TITLE_WEIGHT
            terms += tokenize(body, words=self.words)
            text = normalize(f"{title}\n{body}")
            self.docs.append(_OldDoc(key, Counter(terms), len(terms), text))
        self.n = len(self.docs)
        self.avgdl = (sum(d.length for d in self.docs) / self.n) if self.n else 0.0
        frequency: Counter[str] = Counter()
        for doc in self.docs:
            frequency.update(doc.counts.keys())
        self.df = frequency

    def idf(self, term: str) -> float:
        n = self.df.get(term, 0)
        return math.log(1 + (self.n - n + 0.5) / (n + 0.5))

    def score(self, doc: _OldDoc, terms: Sequence[str]) -> float:
        total = 0.0
        norm = K1 * (1 - B + B * doc.length / self.avgdl) if self.avgdl else K1
        for term in terms:
            f = doc.counts.get(term, 0)
            if f:
                total += self.idf(term) * f * (K1 + 1) / (f + norm)
        return total

    def search(self, query: str) -> list[tuple[int, float, tuple[str, ...]]]:
        phrases, rest = parse_query(query[: MAX_QUERY_LENGTH * 5])
        terms = list(dict.fromkeys(tokenize(rest, words=self.words)))
        for phrase in phrases:
            terms.extend(t for t in tokenize(phrase, words=self.words) if t not in terms)
        if not terms and not phrases:
            return []
        hits = []
        for doc in self.docs:
            if any(phrase not in doc.text for phrase in phrases):
                continue
            value = self.score(doc, terms)
            if value > 0 or (phrases and not terms):
                matched = tuple(t for t in terms if t in doc.counts)
                hits.append((doc.key, round(value, 6), matched))
        hits.sort(key=lambda h: (-h[1], h[0]))
        return hits


def _old_body(row: Policy, atlas: Atlas) -> str:
    industries = [atlas_name(atlas, "industry", s) for s in row.target_industries or []]
    segments = [atlas_name(atlas, "segment", s) for s in row.target_segments or []]
    parts = [
        row.department,
        row.number or "",
        place_label(row.place_adcode, atlas),
        row.type,
        row.summary,
        row.benefits,
        row.full_text,
        *industries,
        *segments,
        *(row.target_tags or []),
    ]
    return "\n".join(p for p in parts if p)


def _old_search(
    db: Session, q: str, filt: PolicyFilter, atlas: Atlas
) -> list[tuple[int, float, tuple[str, ...]]]:
    rows = filtered_policies(db, filt, atlas)
    return _OldPolicyIndex(
        ((r.id, r.title, _old_body(r, atlas)) for r in rows), atlas=atlas
    ).search(q)


def _hits(result: SearchResult) -> list[tuple[int, float, tuple[str, ...]]]:
    return [(hit.key, hit.score, hit.terms) for hit, _row in result.hits]


# -- fixtures ----------------------------------------------------------------------------


@pytest.fixture
def atlas() -> Atlas:
    return load_atlas()


def _add_long_policies(db: Session, count: int = 3) -> None:
    """Long policies (an editor pasting full texts), owned by the sample organization."""
    owner = db.scalar(select(Policy.organization_id).limit(1))
    paragraph = (
        "支持氢能与燃料电池汽车产业链协同创新，对中试平台、首台套装备和研发费用加计扣除给予补贴。"
    )
    for i in range(count):
        db.add(
            Policy(
                title=f"京津冀产业协同长篇政策{i}",
                place_adcode=("110000", "120000", "130600")[i % 3],
                type="资金",
                department="测试部门",
                full_text=paragraph * (200 + 50 * i),
                organization_id=owner,
                provenance="manual",
            )
        )
    db.commit()


# -- answers ------------------------------------------------------------------------------


def test_kept_index_answers_like_an_index_built_per_request(db: Session, atlas: Atlas) -> None:
    load_sample_policies(db, atlas)
    _add_long_policies(db)
    index = PolicySearchIndex(atlas)
    for q in QUERIES:
        for filt in FILTERS:
            kept = search_policies(db, q, filt, atlas, limit=200, index=index)
            assert _hits(kept) == _old_search(db, q, filt, atlas), (q, filt)
            fresh = search_policies(db, q, filt, atlas, limit=200)  # built for this call
            assert _hits(kept) == _hits(fresh) and kept.terms == fresh.terms
            assert kept.count == fresh.count
            assert [row.id for _hit, row in kept.hits] == [row.id for _hit, row in fresh.hits]
            assert [row.title for _h, row in kept.hits] == [row.title for _h, row in fresh.hits]
    assert index.builds == 1  # one build for 48 searches
    assert (
        _hits(search_policies(db, "氢能", PolicyFilter(), atlas, limit=2, index=index))
        == (_old_search(db, "氢能", PolicyFilter(), atlas)[:2])
    )


# -- building once, tokenizing what changed ----------------------------------------------


def test_api_builds_once_and_tokenizes_only_changed_policies(
    client: TestClient, db: Session, atlas: Atlas
) -> None:
    total = load_sample_policies(db, atlas)
    db.commit()
    first = client.get("/api/policies/search", params={"q": "氢能"}).json()
    index: PolicySearchIndex = client.app.state.policy_index  # type: ignore[attr-defined]
    # the app builds the index at start-up (here of no policies), the first search after the
    # sample policies were stored brings it up to date
    base = index.builds
    assert base in (1, 2) and index.tokenized == total
    for q in ("氢能", "人才 补贴", "氢能"):
        client.get("/api/policies/search", params={"q": q})
    assert client.get("/policies", params={"q": "氢能"}).status_code == 200  # the page too
    assert (index.builds, index.tokenized) == (base, total)  # nothing changed: no rebuild

    # an editor renames one policy: one policy tokenized, the answer changes at once
    target = db.get(Policy, first["data"][-1]["policy"]["id"])
    assert target is not None
    target.title = "量子精密测量专项扶持办法"
    db.commit()
    found = client.get("/api/policies/search", params={"q": "量子精密测量"}).json()
    assert found["data"][0]["policy"]["title"] == "量子精密测量专项扶持办法"
    assert found["data"][0]["terms"] == ["量子", "精密", "测量"]
    assert (index.builds, index.tokenized) == (base + 1, total + 1)

    # a new policy: one more; a deleted one: none tokenized, and it is gone
    owner = target.organization_id
    db.add(
        Policy(title="量子计算应用示范", place_adcode="120000", type="平台", organization_id=owner)
    )
    db.commit()
    found = client.get("/api/policies/search", params={"q": "量子"}).json()
    assert {hit["policy"]["title"] for hit in found["data"]} == {
        "量子精密测量专项扶持办法",
        "量子计算应用示范",
    }
    assert (index.builds, index.tokenized) == (base + 2, total + 2)
    db.execute(delete(Policy).where(Policy.id == target.id))
    db.commit()
    found = client.get("/api/policies/search", params={"q": "量子"}).json()
    assert [hit["policy"]["title"] for hit in found["data"]] == ["量子计算应用示范"]
    assert (index.builds, index.tokenized) == (base + 3, total + 2)


def test_many_changes_rebuild_in_the_background_while_the_old_snapshot_serves(
    db: Session, atlas: Atlas
) -> None:
    factory = make_session_factory(db.get_bind().engine)
    load_sample_policies(db, atlas)
    db.commit()
    index = PolicySearchIndex(atlas, session_factory=factory)
    index.inline_limit = 2
    old = index.snapshot(db)
    _add_long_policies(db, count=3)  # more than inline_limit changed
    assert index.snapshot(db) is old  # served at once; the rebuild runs in a thread
    index.wait_for_rebuild(60)
    new = index.snapshot(db)
    assert new is not old and len(new.rows) == len(old.rows) + 3
    assert index.builds == 2 and index.tokenized == len(old.rows) + 3
    found = index.search(db, '"长篇政策"', PolicyFilter(), limit=10)
    assert sorted(row.title for _hit, row in found.hits) == [
        f"京津冀产业协同长篇政策{i}" for i in range(3)
    ]


def test_readers_keep_the_current_snapshot_while_another_caller_builds(
    db: Session, atlas: Atlas
) -> None:
    load_sample_policies(db, atlas)
    db.commit()
    index = PolicySearchIndex(atlas)
    old = index.snapshot(db)
    _add_long_policies(db, count=1)
    with index._build_lock:  # another caller is building
        assert index.snapshot(db) is old  # not waited for
    assert index.snapshot(db) is not old and index.builds == 2


def test_concurrent_first_searches_build_once(db: Session, atlas: Atlas) -> None:
    load_sample_policies(db, atlas)
    db.commit()
    factory: sessionmaker[Session] = make_session_factory(db.get_bind().engine)
    index = PolicySearchIndex(atlas, session_factory=factory)
    start = threading.Barrier(6)
    found: list[int] = []
    errors: list[BaseException] = []

    def search() -> None:
        try:
            start.wait()
            with factory() as session:
                found.append(index.search(session, "氢能", PolicyFilter(), limit=5).count)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=search) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors and len(found) == 6 and len(set(found)) == 1
    assert index.builds == 1


def test_expiry_is_judged_per_request_not_per_build(db: Session, atlas: Atlas) -> None:
    load_sample_policies(db, atlas)
    db.commit()
    index = PolicySearchIndex(atlas)
    current = index.search(db, "补贴", PolicyFilter(expired=False), limit=200)
    lapsed = index.search(db, "补贴", PolicyFilter(expired=True), limit=200)
    assert current.count and lapsed.count and index.builds == 1
    today = date.today()
    assert all(row.expires_on is None or row.expires_on >= today for _h, row in current.hits)
    assert all(row.expires_on is not None and row.expires_on < today for _h, row in lapsed.hits)
