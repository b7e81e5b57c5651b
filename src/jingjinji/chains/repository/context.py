"""The chain context of the registry: confirmed presence rows plus projects in production,
cached per database until either changes."""

from __future__ import annotations

import logging
import time
from datetime import date

import pandas as pd
from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas
from jingjinji.chains.coverage import ChainContext
from jingjinji.chains.registry_fields import CLOSED_STATUSES
from jingjinji.chains.table import KEY_TAGS
from jingjinji.loop.repository import landed_rows, landed_stamp
from jingjinji.store import ReadCache, table_stamp
from jingjinji.store.models import Enterprise, EnterpriseSegment

__all__ = ["CONTEXTS", "chain_context", "presence_rows"]

log = logging.getLogger(__name__)


def operating_clause(year: int | None = None) -> ColumnElement[bool]:
    """Enterprises that operate (now, or at the end of ``year``): not closed (注销, 吊销,
    撤销, 责令关闭) — or closed only after that year — and founded by then (an unknown
    founding date counts as founded)."""
    closed = Enterprise.status.in_(sorted(CLOSED_STATUSES))
    if year is None:
        return or_(Enterprise.status.is_(None), ~closed)
    end = date(year, 12, 31)
    return and_(
        or_(Enterprise.founded_on.is_(None), Enterprise.founded_on <= end),
        or_(
            Enterprise.status.is_(None),
            ~closed,
            and_(Enterprise.closed_on.is_not(None), Enterprise.closed_on > end),
        ),
    )


def presence_rows(session: Session, *, year: int | None = None) -> pd.DataFrame:
    """The presence table for :mod:`jingjinji.chains.coverage`: confirmed segments only
    (automatic or reviewed) of operating enterprises (:func:`operating_clause`), with the key
    flag from the tags."""
    key_filter = or_(*(Enterprise.tags.like(f"%|{tag}|%") for tag in sorted(KEY_TAGS)))
    statement = (
        select(
            Enterprise.id,
            Enterprise.name,
            Enterprise.place_adcode,
            EnterpriseSegment.segment,
            key_filter,
            Enterprise.revenue,
        )
        .join(EnterpriseSegment, EnterpriseSegment.enterprise_id == Enterprise.id)
        .where(EnterpriseSegment.decision == "confirmed", operating_clause(year))
    )
    rows = session.execute(statement).all()
    frame = pd.DataFrame(
        [tuple(row) for row in rows],
        columns=["enterprise_id", "name", "county", "segment", "key", "revenue"],
    )
    frame["key"] = frame["key"].astype(bool)
    return frame


#: One chain context per database and year: computed once per state of the registry, however
#: many requests ask at the same moment (see :class:`~jingjinji.store.ReadCache`).
CONTEXTS = ReadCache("chain contexts", size=16)


def chain_context(session: Session, atlas: Atlas, *, year: int | None = None) -> ChainContext:
    """The :class:`ChainContext` of the registry, rebuilt only when the registry changed.

    The cache key is the row count, latest change and largest id of enterprises and their
    segments, and of projects in production: a project at 投产 adds one presence row per
    segment in its destination, labelled 项目落地 (:mod:`jingjinji.loop.presence`). Each is a
    lone aggregate (:func:`~jingjinji.store.table_stamp`): with indexes on ``updated_at`` the
    key costs index lookups and counts, not a read of the registry. While the registry's
    new context is built, other requests get the previous one; with none yet (a cold
    start), they wait for the one being built.
    With ``year``, the registry as it stood at the end of that year (enterprises founded by
    then and not yet closed; projects count when they went into production by then).
    """
    stamp = (*table_stamp(session, Enterprise, EnterpriseSegment), *landed_stamp(session))
    return CONTEXTS.get(
        session, (id(atlas), year), stamp, lambda: _build(session, atlas, year=year)
    )


def _build(session: Session, atlas: Atlas, *, year: int | None) -> ChainContext:
    started = time.perf_counter()
    presence = presence_rows(session, year=year)
    landed = landed_rows(session, atlas, year=year)
    if landed:
        extra = pd.DataFrame(landed, columns=list(presence.columns))
        presence = pd.concat([presence, extra], ignore_index=True) if len(presence) else extra
    context = ChainContext(atlas, presence)
    log.info(
        "chain context (year %s): %d presence rows in %.2f s",
        year,
        len(presence),
        time.perf_counter() - started,
    )
    return context
