"""Sample registry (示例数据): generated enterprises and their segments, inserted in bulk."""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas
from jingjinji.chains import classifier_for
from jingjinji.chains.repository.registry import segment_rows
from jingjinji.chains.sample import sample_enterprises
from jingjinji.chains.table import tag_field
from jingjinji.store.base import utcnow
from jingjinji.store.models import Enterprise

__all__ = ["load_sample_enterprises"]

log = logging.getLogger(__name__)


def load_sample_enterprises(session: Session, atlas: Atlas, *, count: int = 20_000) -> int:
    """Sample loader: ~20,000 generated enterprises (示例数据) and their segments, in bulk.

    Does nothing when the registry already has rows. Returns the rows added (enterprises).
    """
    if session.scalar(select(func.count(Enterprise.id))):
        return 0
    started = time.perf_counter()
    records = sample_enterprises(atlas, count=count)
    now_rows = [
        {
            "name": r["name"],
            "credit_code": r["credit_code"],
            "address": r["address"],
            "place_adcode": r["place_adcode"],
            "industry_code": r["industry_code"],
            "scope": r["scope"],
            "products": r["products"],
            "tags": tag_field(r["tags"]),
            "size": r["size"],
            "revenue": r["revenue"],
            "provenance": "demo",
            "organization_id": None,
            "version": 1,
        }
        for r in records
    ]
    now = utcnow()
    for row in now_rows:
        row["created_at"] = row["updated_at"] = now
    connection = session.connection()
    connection.execute(insert(Enterprise.metadata.tables["enterprises"]), now_rows)
    by_code = {
        code: id_ for code, id_ in session.execute(select(Enterprise.credit_code, Enterprise.id))
    }
    ids = [by_code[r["credit_code"]] for r in records]
    classifier = classifier_for(atlas)
    rows: list[dict[str, Any]] = []
    for enterprise_id, record in zip(ids, records, strict=True):
        rows.extend(segment_rows(enterprise_id, record, classifier, set()))
    for row in rows:
        row["created_at"] = row["updated_at"] = now
        row["reviewed_by"] = None
    connection.execute(insert(Enterprise.metadata.tables["enterprise_segments"]), rows)
    session.flush()
    log.info("sample enterprises: %d in %.1f s", len(ids), time.perf_counter() - started)
    return len(ids)
