"""The place a chain map or 协同成效 opens on: the user's own, else the Tianjin/Hebei unit
with the most enterprises of the industry among those still missing a segment."""

from __future__ import annotations

import pandas as pd

from jingjinji.atlas import load_atlas
from jingjinji.chains import ChainContext, opening_place


def _context(rows: list[tuple[str, str]]) -> ChainContext:
    frame = pd.DataFrame(
        [
            {
                "enterprise_id": i + 1,
                "name": f"企业{i}",
                "county": county,
                "segment": segment,
                "key": False,
                "revenue": None,
            }
            for i, (county, segment) in enumerate(rows)
        ]
    )
    return ChainContext(load_atlas(), frame)


def test_opens_on_the_busiest_unit_with_a_gap_and_never_on_beijing() -> None:
    atlas = load_atlas()
    hydrogen = atlas.industry("hydrogen")
    rows = [("110101", "hydrogen-electrolyzer")] * 9  # Beijing: most, but never the opening
    rows += [("130202", "hydrogen-electrolyzer")] * 3 + [("130203", "hydrogen-fc-mea")]  # 唐山
    rows += [("131002", "hydrogen-electrolyzer")] * 2  # 廊坊
    context = _context(rows)
    assert opening_place(context, hydrogen) == "130200"
    assert opening_place(context, None) == "130200"
    # the user's own place wins, as its prefecture-level unit
    assert opening_place(context, hydrogen, own_place="131003") == "131000"
    assert opening_place(context, hydrogen, own_place="130638") == "133100"  # 安新县 → 雄安新区
    # an industry without enterprises opens on the region
    assert opening_place(context, atlas.industry("robotics")) == "region"
