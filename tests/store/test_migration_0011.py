"""Migration 0011 on a database that already holds rows breaking its unique indexes: the
oldest project of a deal keeps the deal and the oldest policy its 文号, the others are told
apart (audited), policies without a 文号 are untouched, and afterwards the database itself
refuses a second project of a deal and a second policy with a 文号."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from jingjinji.store import create_db_engine, current_revision, head_revision, upgrade

pytestmark = pytest.mark.db

NOW = "2026-01-01"
LONG_NUMBER = "京" + "长" * 98 + "号"  # 100 characters, the column's length


@pytest.fixture
def at_0010(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(database_url)
    upgrade(engine, "0010")
    assert current_revision(engine) == "0010"
    yield engine
    engine.dispose()


def _insert_rows(engine: Engine) -> None:
    projects = [  # (name, match_id), ids 1… in this order
        ("膜电极产业化项目", 7),
        ("膜电极产业化项目（对接7）", 7),
        ("电解槽中试项目", 8),
        ("储能电站项目", None),
        ("储氢瓶项目", None),
        ("膜电极产业化二期", 7),
    ]
    policies = [  # (title, number), ids 1… in this order
        ("氢能产业支持措施", "京政发〔2024〕1号"),
        ("氢能产业支持措施（转载）", "京政发〔2024〕1号"),
        ("人才安居办法", "津人〔2023〕5号"),
        ("集成电路补贴", ""),
        ("数据要素试点", ""),
        ("未编号的通知", None),
        ("空白文号的通知", "  "),
        ("空白文号的另一通知", "  "),
        ("长文号政策", LONG_NUMBER),
        ("长文号政策副本", LONG_NUMBER),
    ]
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO organizations (id, name, kind, place_adcode, created_at, updated_at, "
                "version) VALUES (1, '保定市科技局', 'government', '130600', :now, :now, 1)"
            ),
            {"now": NOW},
        )
        for name, match_id in projects:
            conn.execute(
                text(
                    "INSERT INTO projects (name, origin_adcode, destination_adcode, segments, "
                    "investment, stage, enterprises, match_id, source, provenance, "
                    "organization_id, created_at, updated_at, version) VALUES (:name, "
                    "'110108', '130600', '[]', 1.5, '签约', '[]', :match_id, '', 'manual', 1, "
                    ":now, :now, 1)"
                ),
                {"name": name, "match_id": match_id, "now": NOW},
            )
        for title, number in policies:
            conn.execute(
                text(
                    "INSERT INTO policies (title, place_adcode, department, number, type, "
                    "target_places, target_industries, target_segments, target_tags, "
                    "target_sizes, benefits, summary, full_text, link, conditions, source, "
                    "provenance, organization_id, created_at, updated_at, version) VALUES "
                    "(:title, '110000', '', :number, '资金', '[]', '[]', '[]', '[]', '[]', "
                    "'', '', '', '', '[]', '', 'manual', 1, :now, :now, 1)"
                ),
                {"title": title, "number": number, "now": NOW},
            )


def test_upgrade_tells_existing_duplicates_apart_and_audits_it(at_0010: Engine) -> None:
    _insert_rows(at_0010)
    upgrade(at_0010)
    assert current_revision(at_0010) == head_revision()
    with at_0010.connect() as conn:
        matches = dict(conn.execute(text("SELECT id, match_id FROM projects ORDER BY id")).all())
        numbers = dict(conn.execute(text("SELECT id, number FROM policies ORDER BY id")).all())
        audit = conn.execute(
            text("SELECT actor, action, entity, entity_id, before, after FROM audit_log")
        ).all()
    assert matches == {1: 7, 2: None, 3: 8, 4: None, 5: None, 6: None}
    renamed_long = LONG_NUMBER[:92] + "（重复 #10）"
    assert len(renamed_long) == 100
    assert numbers == {
        1: "京政发〔2024〕1号",
        2: "京政发〔2024〕1号（重复 #2）",
        3: "津人〔2023〕5号",
        4: "",
        5: "",
        6: None,
        7: "  ",
        8: "  ",
        9: LONG_NUMBER,
        10: renamed_long,
    }

    def as_dict(value: object) -> object:
        import json

        return json.loads(value) if isinstance(value, str) else value

    entries = sorted(
        (row.entity, int(row.entity_id), as_dict(row.before), as_dict(row.after)) for row in audit
    )
    assert {(row.actor, row.action) for row in audit} == {("migration 0011", "update")}
    assert entries == [
        ("policy", 2, {"number": "京政发〔2024〕1号"}, {"number": "京政发〔2024〕1号（重复 #2）"}),
        ("policy", 10, {"number": LONG_NUMBER}, {"number": renamed_long}),
        ("project", 2, {"match_id": 7}, {"match_id": None}),
        ("project", 6, {"match_id": 7}, {"match_id": None}),
    ]


def test_after_the_upgrade_the_database_refuses_duplicates(at_0010: Engine) -> None:
    _insert_rows(at_0010)
    upgrade(at_0010)
    insert_project = text(
        "INSERT INTO projects (name, origin_adcode, destination_adcode, segments, investment, "
        "stage, enterprises, match_id, source, provenance, organization_id, created_at, "
        "updated_at, version) VALUES (:name, '110108', '130600', '[]', 2.0, '签约', '[]', "
        ":match_id, '', 'manual', 1, :now, :now, 1)"
    )
    insert_policy = text(
        "INSERT INTO policies (title, place_adcode, department, number, type, target_places, "
        "target_industries, target_segments, target_tags, target_sizes, benefits, summary, "
        "full_text, link, conditions, source, provenance, organization_id, created_at, "
        "updated_at, version) VALUES (:title, '110000', '', :number, '资金', '[]', '[]', '[]', "
        "'[]', '[]', '', '', '', '', '[]', '', 'manual', 1, :now, :now, 1)"
    )
    for statement, values, column in (
        (insert_project, {"name": "另一个项目", "match_id": 8}, "match_id"),
        (insert_policy, {"title": "又一份", "number": "津人〔2023〕5号"}, "number"),
    ):
        with pytest.raises(IntegrityError) as refused, at_0010.begin() as conn:
            conn.execute(statement, {**values, "now": NOW})
        assert column in str(refused.value.orig)
    with at_0010.begin() as conn:  # no deal, no 文号 or a blank one: as many as wanted
        conn.execute(insert_project, {"name": "第三个无对接项目", "match_id": None, "now": NOW})
        for number in ("", None, "  "):
            conn.execute(insert_policy, {"title": "无文号", "number": number, "now": NOW})
        count = conn.execute(sa.text("SELECT count(*) FROM policies")).scalar_one()
    assert count == 13
