"""Suggestions keep the nearest partners with a bounded heap: the same output as the
implementation that built and sorted every candidate (captured before the change in
``data/suggestions_before.json``, and copied below as the reference); the chain context's
cache key costs stamps only."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas, load_atlas
from jingjinji.chains.coverage import coverage
from jingjinji.chains.places import scope_of
from jingjinji.chains.repository import chain_context, load_sample_enterprises
from jingjinji.chains.suggest import (
    CORRIDOR_DISCOUNT,
    PARTNER_LIMIT,
    Partner,
    _county_table,
    _partners,
    suggest,
)
from jingjinji.store.models import Enterprise, EnterpriseSegment

pytestmark = pytest.mark.db

CAPTURED = json.loads(
    (Path(__file__).with_name("data") / "suggestions_before.json").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


@pytest.fixture
def registry(db: Session, atlas: Atlas) -> Session:
    """The sample registry the captured output was computed on."""
    assert load_sample_enterprises(db, atlas, count=CAPTURED["enterprises"]) == 1500
    db.commit()
    return db


@pytest.fixture
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def _old_partners(
    rows: pd.DataFrame,
    *,
    place_counties: frozenset[str],
    counties: dict[str, tuple[float, bool, str, str]],
    keys_only: bool,
) -> list[Partner]:
    """The previous ``_partners``: every candidate built, all sorted, five kept (verbatim)."""
    candidates = rows[~rows["county"].isin(place_counties)]
    if keys_only:
        candidates = candidates[candidates["key"]]
    scored: list[tuple[float, int, float, str, Partner]] = []
    for row in candidates.to_dict("records"):
        distance, same, county_name, prefecture = counties[str(row["county"])]
        effective = distance * (CORRIDOR_DISCOUNT if same else 1.0)
        partner = Partner(
            enterprise_id=int(row["enterprise_id"]),
            name=str(row["name"]),
            county=str(row["county"]),
            county_name=county_name,
            prefecture=prefecture,
            distance_km=distance,
            same_corridor=same,
            key=bool(row["key"]),
        )
        revenue = float(row["revenue"]) if pd.notna(row["revenue"]) else 0.0
        scored.append(
            (round(effective, 3), 0 if row["key"] else 1, -revenue, partner.name, partner)
        )
    scored.sort(key=lambda item: item[:4])
    return [item[4] for item in scored[:PARTNER_LIMIT]]


def test_suggestions_are_those_captured_before_the_change(registry: Session, atlas: Atlas) -> None:
    context = chain_context(registry, atlas)
    for slug in CAPTURED["industries"]:
        industry = atlas.industry(slug)
        for place in CAPTURED["places"]:
            cov = coverage(industry, place=scope_of(atlas, place), context=context)
            items = suggest(industry, cov=cov, context=context)
            captured = CAPTURED["suggestions"][f"{slug}@{place}"]
            assert [
                [s.id, repr(s.score), [p.enterprise_id for p in s.partners]] for s in items
            ] == captured["items"], (slug, place)
            full = json.dumps([asdict(s) for s in items], ensure_ascii=False, sort_keys=True)
            assert hashlib.sha256(full.encode()).hexdigest() == captured["sha256"], (slug, place)


def test_bounded_heap_keeps_the_partners_a_full_sort_kept(registry: Session, atlas: Atlas) -> None:
    context = chain_context(registry, atlas)
    industry = atlas.industry("hydrogen")
    frame = context.frame
    rows_of_industry = frame[frame["segment"].isin([s.slug for s in industry.segments])]
    grouped = {slug: rows for slug, rows in rows_of_industry.groupby("segment")}
    compared = 0
    for place in ("130600", "120000", "region", "110108"):
        cov = coverage(industry, place=scope_of(atlas, place), context=context)
        counties = _county_table(cov, context)
        for rows in grouped.values():
            for keys_only in (False, True):
                new = _partners(
                    rows, place_counties=cov.place.counties, counties=counties, keys_only=keys_only
                )
                old = _old_partners(
                    rows, place_counties=cov.place.counties, counties=counties, keys_only=keys_only
                )
                assert new == old, (place, keys_only)
                compared += len(new)
    assert compared > 100
    # ties (same distance, key flag, revenue and name) keep the order of the rows
    tied = pd.DataFrame(
        {
            "enterprise_id": [5, 3, 9, 1, 7, 2, 8],
            "name": ["同名企业"] * 7,
            "county": ["130602"] * 7,
            "key": [False] * 7,
            "revenue": [None] * 7,
        }
    )
    table = {"130602": (12.0, False, "竞秀区", "保定市")}
    new = _partners(tied, place_counties=frozenset(), counties=table, keys_only=False)
    old = _old_partners(tied, place_counties=frozenset(), counties=table, keys_only=False)
    assert [p.enterprise_id for p in new] == [p.enterprise_id for p in old] == [5, 3, 9, 1, 7]


def test_chain_context_key_costs_stamps_only(
    registry: Session, atlas: Atlas, statements: list[str]
) -> None:
    context = chain_context(registry, atlas)
    statements.clear()
    assert chain_context(registry, atlas) is context
    assert len(statements) == 2, statements  # the registry stamp and the 投产 projects' stamp
    assert all(s.startswith("SELECT (SELECT count(*)") for s in statements)
    assert "enterprises.name" not in " ".join(statements)  # no registry row is read
    # a new enterprise with a confirmed segment: a new context that counts it
    row = Enterprise(
        name="测试膜电极企业", credit_code="91130600MA0TEST01X", place_adcode="130602", tags=""
    )
    registry.add(row)
    registry.flush()
    registry.add(
        EnterpriseSegment(
            enterprise_id=row.id,
            segment="hydrogen-fc-mea",
            industry="hydrogen",
            confidence=0.9,
            decision="confirmed",
            evidence=[],
        )
    )
    registry.commit()
    fresh = chain_context(registry, atlas)
    assert fresh is not context
    assert fresh.county_counts.loc["130602", "hydrogen-fc-mea"] == (
        context.county_counts.loc["130602", "hydrogen-fc-mea"] + 1
    )
    # a reviewer's change of one decision (no row added) is seen too
    segment = registry.scalar(
        select(EnterpriseSegment).where(EnterpriseSegment.enterprise_id == row.id)
    )
    assert segment is not None
    segment.decision = "rejected"
    registry.commit()
    reviewed = chain_context(registry, atlas)
    assert reviewed is not fresh
    assert (
        reviewed.county_counts.loc["130602", "hydrogen-fc-mea"]
        == (context.county_counts.loc["130602", "hydrogen-fc-mea"])
    )
