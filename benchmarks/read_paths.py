"""Benchmark: the read paths every visitor hits, the old way and the new, on the sample data.

    .venv/bin/python benchmarks/read_paths.py [--repeat 7] [--long-policies 20]
        [--long-chars 20000] [--rebuild]

The sample database of ``jjj db init`` (20,000 enterprises, 7,400 listings, 753 deals, 2,000
projects, 24 policies; fixed seeds) is built once under ``var/bench-read-paths/`` and copied
for each run; ``--long-policies`` policies of ``--long-chars`` characters are added to the
copy (an editor pasting full texts: the case that took policy search from 1.9 s to 59 s).
Each path is timed the old way and the new way on the same data in the same run, the answers
are checked to be equal, and the medians and their ratio (old / new) are printed:

1. policy search (``GET /api/policies/search``): old — an index built over the filtered rows
   on every request (``search_policies`` without ``index``); new — the kept
   :class:`~jingjinji.policies.queries.PolicySearchIndex` (its first build, and the update
   after one edit, are timed apart);
2. project statistics and flows (``GET /api/projects/stats``, ``/flows``): old — every
   project read as ORM rows and grouped with the place lookups that looped over all places;
   new — the records kept per state of the table and the lookups by dictionary;
3. 协同成效 figures (``GET /api/loop``): old — computed afresh on every call (the previous
   code's computation; its row reads now take only the needed columns, so the ratio
   understates the gain); new — kept until the data change;
4. 补链·延链·强链 suggestions (``GET /api/industries/{slug}/suggestions``): old — every
   candidate partner built and sorted; new — a bounded heap over a generator;
5. the chain context's cache key: the three aggregate queries of before and the stamps of
   now, on the database as it is and on a copy with the ``updated_at`` indexes proposed for
   a migration.

"Old place lookups" are the loops the atlas used before (``prefecture_unit_of`` listing the
units per call, ``containing`` scanning every place, …), put back on a copy of the atlas.
"""

from __future__ import annotations

import argparse
import copy
import importlib
import shutil
import sqlite3
import statistics
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jingjinji.atlas import Atlas, Place, load_atlas
from jingjinji.chains.coverage import coverage
from jingjinji.chains.places import scope_of
from jingjinji.chains.repository import chain_context
from jingjinji.chains.suggest import CORRIDOR_DISCOUNT, PARTNER_LIMIT, Partner
from jingjinji.loop import presence
from jingjinji.loop.repository import landed_stamp, loop_report
from jingjinji.loop.repository.report import _loop_report
from jingjinji.policies import search as policy_search
from jingjinji.policies.queries import PolicySearchIndex, search_policies
from jingjinji.policies.repository import PolicyFilter
from jingjinji.projects import breakdown, flows, totals
from jingjinji.projects.repository import (
    ProjectFilter,
    filtered,
    filtered_projects,
    filtered_records,
    includes_sample,
    table_stamp,
    to_record,
)
from jingjinji.samples import SAMPLE_LOADERS
from jingjinji.store import create_db_engine, make_session_factory, transaction, upgrade
from jingjinji.store.models import Enterprise, EnterpriseSegment, Policy, Project

# the module (``jingjinji.chains.suggest`` the attribute is the function of that name)
suggest_module = importlib.import_module("jingjinji.chains.suggest")
FOLDER = Path(__file__).resolve().parents[1] / "var" / "bench-read-paths"
QUERIES = ["氢能 补贴", "人才", '"专精特新"', "集成电路 研发费用加计扣除", "京津冀 协同创新 中试"]
POLICY_FILTERS = [PolicyFilter(), PolicyFilter(place="130600"), PolicyFilter(type="资金")]
PROJECT_FILTERS = [ProjectFilter(), ProjectFilter(destination="130600")]
LOOP_COMBOS = [(None, None), ("hydrogen", "130600")]
SUGGEST_COMBOS = [("hydrogen", "130600"), ("robotics", "120000"), ("integrated-circuits", "region")]
#: Indexes that make every stamp index lookups (proposed for a migration; none exists yet).
PROPOSED_INDEXES = {
    "ix_enterprises_updated_at": ("enterprises", "updated_at"),
    "ix_enterprise_segments_updated_at": ("enterprise_segments", "updated_at"),
    "ix_projects_updated_at": ("projects", "updated_at"),
    "ix_projects_stage_updated_at": ("projects", "stage, updated_at"),
    "ix_matches_updated_at": ("matches", "updated_at"),
    "ix_policies_updated_at": ("policies", "updated_at"),
}


# -- data ----------------------------------------------------------------------------------


def sample_database(rebuild: bool) -> Path:
    """The sample database of `jjj db init`, built once (about a minute)."""
    path = FOLDER / "sample.sqlite3"
    if path.is_file() and not rebuild:
        print(f"(sample database read from {path})")
        return path
    FOLDER.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    engine = create_db_engine(f"sqlite:///{path}")
    upgrade(engine)
    atlas = load_atlas()
    factory = make_session_factory(engine)
    started = time.perf_counter()
    for label, loader in SAMPLE_LOADERS:
        with transaction(factory) as session:
            print(f"  sample {label}: {loader(session, atlas):,} rows")
    engine.dispose()
    print(f"sample database built in {time.perf_counter() - started:.0f} s: {path}")
    return path


def add_long_policies(factory: sessionmaker[Session], count: int, chars: int) -> None:
    paragraph = (
        "为推动京津冀产业协同发展，支持氢能、集成电路、机器人等重点产业链补链强链，"
        "对承接北京科技成果转化的中试平台、首台套装备和专精特新企业给予资金补贴与贷款贴息；"
    )
    with transaction(factory) as session:
        owner = session.scalar(select(Policy.organization_id).limit(1))
        for i in range(count):
            session.add(
                Policy(
                    title=f"关于推进京津冀产业协同发展的若干政策措施（全文{i + 1}）",
                    place_adcode=("110000", "120000", "130600", "130100")[i % 4],
                    type="资金",
                    department="示例部门",
                    full_text=(paragraph * (chars // len(paragraph) + 1))[:chars],
                    organization_id=owner,
                    provenance="manual",
                )
            )


# -- the place lookups of before, on a copy of the atlas ------------------------------------


def old_lookups(atlas: Atlas) -> Atlas:
    """A copy of ``atlas`` whose place lookups loop over every place, as they did."""
    old = copy.copy(atlas)
    places = atlas.places

    def new_areas() -> list[Place]:
        return [
            p
            for p in places
            if p.level == "special" and "state-level-new-area" in p.tags and p.administers
        ]

    def prefecture_units(self: Atlas) -> list[Place]:
        municipalities = [p for p in places if p.level == "province" and p.adcode[:2] != "13"]
        return municipalities + [p for p in places if p.level == "prefecture"] + new_areas()

    def prefecture_unit_of(self: Atlas, adcode: str) -> Place | None:
        place: Place | None = self.place(adcode)
        for area in new_areas():
            if adcode == area.adcode or adcode in area.administers:
                return area
        units = {unit.adcode for unit in self.prefecture_units()}
        while place is not None:
            if place.adcode in units:
                return place
            place = self.place(place.parent) if place.parent else None
        return None

    def descendants(self: Atlas, adcode: str) -> list[Place]:
        result: list[Place] = []
        for child in self.children(adcode):
            result.append(child)
            result.extend(self.descendants(child.adcode))
        return result

    def unit_counties(self: Atlas, adcode: str) -> frozenset[str]:
        place = self.place(adcode)
        if place.level == "county":
            return frozenset({adcode})
        if place.level == "special" and place.administers:
            found: set[str] = set()
            for code in place.administers:
                found |= self.unit_counties(code)
            return frozenset(found)
        counties = {p.adcode for p in self.descendants(adcode) if p.level == "county"}
        if place.level == "prefecture":
            unit = self.prefecture_unit_of(adcode)
            counties = {c for c in counties if self.prefecture_unit_of(c) == unit}
        return frozenset(counties)

    def administering(self: Atlas, adcode: str) -> list[Place]:
        return [p for p in places if p.level == "special" and adcode in p.administers]

    for name, method in [
        ("prefecture_units", prefecture_units),
        ("prefecture_unit_of", prefecture_unit_of),
        ("descendants", descendants),
        ("unit_counties", unit_counties),
        ("administering", administering),
    ]:
        setattr(old, name, types.MethodType(method, old))
    return old


def old_partners(
    rows: pd.DataFrame,
    *,
    place_counties: frozenset[str],
    counties: dict[str, tuple[float, bool, str, str]],
    keys_only: bool,
) -> list[Partner]:
    """The previous partner selection: every candidate built, all sorted, five kept."""
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


# -- timing --------------------------------------------------------------------------------


def median_ms(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


ROWS: list[tuple[str, float, float]] = []


def report(name: str, old: float, new: float) -> None:
    ROWS.append((name, old, new))
    print(f"  {name:58s} old {old:9.2f} ms   new {new:8.3f} ms   ×{old / new:8.1f}")


# -- the paths -----------------------------------------------------------------------------


def bench_policies(
    factory: sessionmaker[Session], atlas: Atlas, old_atlas: Atlas, repeat: int
) -> None:
    print("\n1. policy search (one request = one query; old: index built per request)")
    index = PolicySearchIndex(atlas, session_factory=factory)
    with factory() as db:
        start = time.perf_counter()
        index.snapshot(db)
        first = time.perf_counter() - start
        print(f"  new: first build {first * 1000:.0f} ms, {index.tokenized} policies tokenized")
        for filt in POLICY_FILTERS:
            label = ", ".join(f"{k}={v}" for k, v in vars(filt).items() if v is not None) or "-"

            def old_way(filt: PolicyFilter = filt) -> list[Any]:
                policy_search.atlas_words.cache_clear()  # worked out per request before
                return [search_policies(db, q, filt, old_atlas, limit=50) for q in QUERIES]

            def new_way(filt: PolicyFilter = filt) -> list[Any]:
                return [index.search(db, q, filt, limit=50) for q in QUERIES]

            old_ms, old_result = median_ms(old_way, repeat)
            new_ms, new_result = median_ms(new_way, repeat)
            assert _hits(old_result) == _hits(new_result)
            n = len(QUERIES)
            report(f"search, filter {label} (per query)", old_ms / n, new_ms / n)
        assert index.builds == 1, index.builds
        # one edit: only that policy is tokenized again
        for which, order in (("short", Policy.id), ("long", Policy.id.desc())):
            with transaction(factory) as session:
                row = session.scalar(select(Policy).order_by(order).limit(1))
                assert row is not None
                row.summary = (row.summary or "") + "（已修订）"
                size = len(row.full_text or "")
            tokenized = index.tokenized
            start = time.perf_counter()
            index.search(db, QUERIES[0], PolicyFilter(), limit=50)
            after_edit = time.perf_counter() - start
            print(
                f"  new: first search after an edit of a {which} policy ({size:,} characters) "
                f"{after_edit * 1000:.1f} ms ({index.tokenized - tokenized} tokenized)"
            )
        assert index.builds == 3, index.builds


def _hits(results: Any) -> list[list[tuple[int, float, int]]]:
    return [[(hit.key, hit.score, row.id) for hit, row in r.hits] + [r.count] for r in results]


def bench_projects(
    factory: sessionmaker[Session], atlas: Atlas, old_atlas: Atlas, repeat: int
) -> None:
    print("\n2. project statistics and flows (one request each)")
    with factory() as db:
        for filt in PROJECT_FILTERS:
            label = ", ".join(f"{k}={v}" for k, v in vars(filt).items() if v is not None) or "-"
            for by in ("destination", "corridor"):

                def old_stats(filt: ProjectFilter = filt, by: Any = by) -> Any:
                    records = [to_record(r) for r in filtered_projects(db, filt, old_atlas)]
                    query = filtered(filt, old_atlas).where(Project.provenance == "demo").limit(1)
                    sample = db.scalar(query) is not None
                    return totals(records), breakdown(records, by=by, atlas=old_atlas), sample

                def new_stats(filt: ProjectFilter = filt, by: Any = by) -> Any:
                    records = filtered_records(db, filt, atlas)
                    sample = includes_sample(db, filt, atlas)
                    return totals(records), breakdown(records, by=by, atlas=atlas), sample

                old_ms, old_result = median_ms(old_stats, repeat)
                new_stats()  # the first call reads the rows; the next ones are timed
                new_ms, new_result = median_ms(new_stats, repeat)
                assert old_result == new_result
                report(f"stats by {by}, filter {label}", old_ms, new_ms)

            def old_flows(filt: ProjectFilter = filt) -> Any:
                records = [to_record(r) for r in filtered_projects(db, filt, old_atlas)]
                return flows(records, atlas=old_atlas)

            def new_flows(filt: ProjectFilter = filt) -> Any:
                return flows(filtered_records(db, filt, atlas), atlas=atlas)

            old_ms, old_result = median_ms(old_flows, repeat)
            new_ms, new_result = median_ms(new_flows, repeat)
            assert old_result == new_result
            report(f"flows, filter {label}", old_ms, new_ms)


def bench_loop(factory: sessionmaker[Session], atlas: Atlas, repeat: int) -> None:
    print("\n3. 协同成效 figures (one request each; old: computed on every call)")
    with factory() as db:
        context = chain_context(db, atlas)
        for industry, place in LOOP_COMBOS:
            industries = [atlas.industry(industry)] if industry else list(atlas.industries)
            scope = scope_of(atlas, place or "region")

            def old_way(
                industry: Any = industry, industries: Any = industries, scope: Any = scope
            ) -> Any:
                presence._landing_county.cache_clear()  # worked out per project row before
                return _loop_report(db, atlas, context, industry, industries, scope)

            def new_way(industry: Any = industry, place: Any = place) -> Any:
                return loop_report(db, atlas, context, industry=industry, place=place)

            start = time.perf_counter()
            new_way()
            cold = (time.perf_counter() - start) * 1000
            old_ms, old_result = median_ms(old_way, max(3, repeat // 2))
            new_ms, new_result = median_ms(new_way, repeat)
            assert old_result == new_result
            report(f"loop {industry or 'all'} @ {place or 'region'} (new first call {cold:.0f} ms)",
                   old_ms, new_ms)  # fmt: skip


def bench_suggestions(factory: sessionmaker[Session], atlas: Atlas, repeat: int) -> None:
    print("\n4. suggestions (suggest() for one industry and place)")
    with factory() as db:
        context = chain_context(db, atlas)
    for slug, place in SUGGEST_COMBOS:
        industry = atlas.industry(slug)
        cov = coverage(industry, place=scope_of(atlas, place), context=context)

        def run(industry: Any = industry, cov: Any = cov) -> Any:
            return suggest_module.suggest(industry, cov=cov, context=context)

        new_partners = suggest_module._partners
        try:
            suggest_module._partners = old_partners
            old_ms, old_result = median_ms(run, repeat)
        finally:
            suggest_module._partners = new_partners
        new_ms, new_result = median_ms(run, repeat)
        assert old_result == new_result
        count = len(new_result)  # type: ignore[arg-type]
        report(f"suggestions {slug} @ {place} ({count} items)", old_ms, new_ms)


def _old_context_key(db: Session) -> tuple[Any, ...]:
    return (
        *db.execute(
            select(
                func.count(Enterprise.id), func.max(Enterprise.updated_at), func.max(Enterprise.id)
            )
        ).one(),
        *db.execute(
            select(
                func.count(EnterpriseSegment.id),
                func.max(EnterpriseSegment.updated_at),
                func.max(EnterpriseSegment.id),
            )
        ).one(),
        *db.execute(
            select(
                func.count(Project.id), func.max(Project.updated_at), func.max(Project.id)
            ).where(Project.stage == "投产")
        ).one(),
    )


def _new_context_key(db: Session) -> tuple[Any, ...]:
    return (*table_stamp(db, Enterprise, EnterpriseSegment), *landed_stamp(db))


def bench_stamps(path: Path, repeat: int) -> None:
    print("\n5. the chain context's cache key (asked on every chain-map, loop and overview read)")
    indexed = path.with_name("indexed.sqlite3")
    shutil.copyfile(path, indexed)
    with sqlite3.connect(indexed) as connection:
        for name, (table, column) in PROPOSED_INDEXES.items():
            connection.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})")
    for label, file in (("as migrated", path), ("with the proposed indexes", indexed)):
        engine = create_db_engine(f"sqlite:///{file}")
        with make_session_factory(engine)() as db:
            assert _old_context_key(db) == _new_context_key(db)
            old_ms, _ = median_ms(lambda: _old_context_key(db), repeat * 3)
            new_ms, _ = median_ms(lambda: _new_context_key(db), repeat * 3)
        engine.dispose()
        report(f"chain context key, {label}", old_ms, new_ms)
    indexed.unlink()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--long-policies", type=int, default=20)
    parser.add_argument("--long-chars", type=int, default=20_000)
    parser.add_argument("--rebuild", action="store_true", help="build the sample database again")
    args = parser.parse_args()
    base = sample_database(args.rebuild)
    work = base.with_name("work.sqlite3")
    shutil.copyfile(base, work)
    engine = create_db_engine(f"sqlite:///{work}")
    upgrade(engine)
    factory = make_session_factory(engine)
    add_long_policies(factory, args.long_policies, args.long_chars)
    atlas = load_atlas()
    old_atlas = old_lookups(atlas)
    with factory() as db:
        policies = db.scalar(select(func.count(Policy.id)))
        projects = db.scalar(select(func.count(Project.id)))
        enterprises = db.scalar(select(func.count(Enterprise.id)))
    print(f"data: {enterprises:,} enterprises, {projects:,} projects, {policies} policies "
          f"({args.long_policies} of {args.long_chars:,} characters); medians of "
          f"{args.repeat} runs")  # fmt: skip
    bench_policies(factory, atlas, old_atlas, args.repeat)
    bench_projects(factory, atlas, old_atlas, args.repeat)
    bench_loop(factory, atlas, args.repeat)
    bench_suggestions(factory, atlas, args.repeat)
    engine.dispose()
    bench_stamps(work, args.repeat)
    work.unlink()
    print("\nratios old / new (larger = new faster):")
    for name, old, new in ROWS:
        print(f"  ×{old / new:8.1f}  {name}")


if __name__ == "__main__":
    main()
