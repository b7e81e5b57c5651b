"""Tags are compared in canonical form: a 小巨人 meets a policy for 专精特新“小巨人”."""

from __future__ import annotations

import pytest

from jingjinji.atlas import load_atlas
from jingjinji.policies import EnterpriseProfile, evaluate
from jingjinji.policies.records import TagCondition


@pytest.mark.parametrize(
    ("policy_tag", "held", "status"),
    [
        ("专精特新“小巨人”", "小巨人", "met"),
        ("小巨人", "国家级专精特新小巨人", "met"),
        ("高新技术企业", "高企", "met"),
        ("专精特新“小巨人”", "高新技术企业", "unmet"),
    ],
)
def test_tag_spellings_meet_the_same_condition(policy_tag: str, held: str, status: str) -> None:
    profile = EnterpriseProfile(place="110108", tags=(held,))
    checks = evaluate([TagCondition(tags=[policy_tag])], profile, atlas=load_atlas())
    assert [c.status for c in checks] == [status]
