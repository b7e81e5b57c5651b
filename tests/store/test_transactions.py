"""Nothing lost: multi-row changes are all-or-nothing, stale writers get a conflict."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from jingjinji import auth
from jingjinji.store import make_session_factory, transaction
from jingjinji.store.models import AuditEntry, Organization


@pytest.mark.db
def test_failure_in_the_middle_leaves_database_as_it_was(db: Session, engine: object) -> None:
    factory = make_session_factory(db.get_bind())  # type: ignore[arg-type]
    before_orgs = db.scalar(select(func.count()).select_from(Organization))
    before_audit = db.scalar(select(func.count()).select_from(AuditEntry))
    names = ["北京机构甲", "天津机构乙", "河北机构丙"]
    with pytest.raises(RuntimeError, match="disk full"), transaction(factory) as session:
        for index, name in enumerate(names):
            auth.create_organization(session, name=name, kind="enterprise")
            if index == 1:
                raise RuntimeError("disk full")
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Organization)) == before_orgs
    assert db.scalar(select(func.count()).select_from(AuditEntry)) == before_audit


@pytest.mark.db
def test_concurrent_edit_gets_conflict(db: Session) -> None:
    org = auth.create_organization(db, name="雄安新区管委会", kind="government")
    db.commit()
    factory = make_session_factory(db.get_bind())  # type: ignore[arg-type]
    first, second = factory(), factory()
    try:
        mine = first.get(Organization, org.id)
        theirs = second.get(Organization, org.id)
        assert mine is not None and theirs is not None
        mine.place_adcode = "133100"
        first.commit()
        theirs.place_adcode = "130600"
        with pytest.raises(StaleDataError):
            second.commit()
    finally:
        first.close()
        second.close()
    db.expire_all()
    stored = db.get(Organization, org.id)
    assert stored is not None
    assert (stored.place_adcode, stored.version) == ("133100", 2)
