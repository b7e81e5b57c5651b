"""The hand-written sample policies (示例数据), read from ``data/sample_policies.yaml``.

They are fictional and labelled as such in every title, number and department; they exist so
that search, eligibility and the comparison view have something to show before a real list is
imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from jingjinji.atlas import Atlas
from jingjinji.policies.table import PolicyInput, validate_policy

__all__ = ["SAMPLE_FILE", "SAMPLE_SOURCE", "sample_policies"]

SAMPLE_FILE = Path(__file__).with_name("data") / "sample_policies.yaml"
SAMPLE_SOURCE = "示例数据（手工编写的虚构政策，非真实政策）"


def sample_policies(atlas: Atlas) -> list[PolicyInput]:
    """The sample policies, validated against the atlas (``ValueError`` names a bad entry)."""
    data: dict[str, Any] = yaml.safe_load(SAMPLE_FILE.read_text(encoding="utf-8"))
    result = []
    for index, entry in enumerate(data["policies"], start=1):
        policy = PolicyInput(
            title=entry["title"],
            place_adcode=entry["place"],
            type=entry["type"],
            department=entry.get("department", ""),
            number=entry.get("number"),
            issued_on=entry.get("issued_on"),
            effective_on=entry.get("effective_on"),
            expires_on=entry.get("expires_on"),
            target_places=entry.get("target_places", []),
            target_industries=entry.get("target_industries", []),
            target_segments=entry.get("target_segments", []),
            target_tags=entry.get("target_tags", []),
            target_sizes=entry.get("target_sizes", []),
            revenue_min=entry.get("revenue_min"),
            revenue_max=entry.get("revenue_max"),
            founded_after=entry.get("founded_after"),
            benefits=entry.get("benefits", ""),
            summary=entry.get("summary", ""),
            full_text=entry.get("full_text", ""),
            link=entry.get("link", ""),
            source=SAMPLE_SOURCE,
        )
        problems = validate_policy(policy, atlas)
        if problems:
            field, reason, _zh = problems[0]
            raise ValueError(f"{SAMPLE_FILE.name}, policy {index}, {field}: {reason}")
        result.append(policy)
    return result
